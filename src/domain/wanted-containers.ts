import { Refusal } from './refusal.ts';

// What a request for folders and series stands for (docs/finding-aids.md, "Requests by folder"):
// paging staff fetch boxes, so every component asked for resolves to the boxes it is in, and
// each box's request lists the components wanted in it.

/** A component asked for, with the top containers it could stand for. */
export interface WantedComponent {
  id: number;
  /** Its collection: the reading room whose rules the request answers to. */
  collectionId: number;
  title: string;
  /** Its own top containers, with its folders in each. */
  own: readonly { containerId: number; folder: string | null }[];
  /** Its nearest ancestor's top containers (when it has none of its own). */
  inherited: readonly number[];
  /** Its descendants' own top containers, in finding-aid order (for a series asked for whole). */
  below: readonly number[];
}

export interface ComponentInRequest {
  componentId: number;
  title: string;
  folder: string | null;
}

/**
 * The containers a component stands for: its own (with its folders), else its nearest ancestor's,
 * else all its descendants'. A component housed nowhere in its tree cannot be requested.
 */
export function containersFor(component: WantedComponent): { containerId: number; folder: string | null }[] {
  if (component.own.length > 0) return [...component.own];
  const others = component.inherited.length > 0 ? component.inherited : component.below;
  if (others.length === 0) {
    throw new Refusal('NOT_REQUESTABLE', `"${component.title}" (component ${component.id}) is housed in no container; ask the reading room's staff.`);
  }
  return [...new Set(others)].map((containerId) => ({ containerId, folder: null }));
}

/**
 * The containers of one submission: those asked for by id, then those the components stand for,
 * each once, with the components wanted in each (in the order they were asked for).
 */
export function wantedContainers(containerIds: readonly number[], components: readonly WantedComponent[]) {
  const order = [...new Set(containerIds)];
  const componentsIn = new Map<number, ComponentInRequest[]>();
  for (const component of components) {
    for (const { containerId, folder } of containersFor(component)) {
      if (!order.includes(containerId)) order.push(containerId);
      const listed = componentsIn.get(containerId) ?? [];
      if (!listed.some((c) => c.componentId === component.id)) listed.push({ componentId: component.id, title: component.title, folder });
      componentsIn.set(containerId, listed);
    }
  }
  return { containerIds: order, componentsIn };
}
