import type { ComponentDraft } from './finding-aid.ts';

// A component housed in no container, neither its own, nor an ancestor's, nor a descendant's,
// cannot be requested (NOT_REQUESTABLE): the import says so once per such branch.

/** One warning for each topmost component whose whole branch, and every ancestor, names no container. */
export function unhousedWarnings(components: readonly ComponentDraft[]): string[] {
  // Components come parents first, so one pass backwards sums each branch into its parent.
  const housedBelow = components.map((c) => c.housings.length > 0);
  const size = components.map(() => 1);
  for (let i = components.length - 1; i >= 0; i--) {
    const parent = components[i]?.parent;
    if (parent == null) continue;
    housedBelow[parent] ||= housedBelow[i] ?? false;
    size[parent] = (size[parent] ?? 1) + (size[i] ?? 1);
  }
  const housedAbove: boolean[] = [];
  const warnings: string[] = [];
  components.forEach((c, i) => {
    const parent = c.parent;
    const above = parent !== null && ((housedAbove[parent] ?? false) || (components[parent]?.housings.length ?? 0) > 0);
    housedAbove[i] = above;
    // Its ancestors were housed nowhere either: the warning about the topmost covers it.
    const warnedAbove = parent !== null && !above && !(housedBelow[parent] ?? false);
    if (above || housedBelow[i] || warnedAbove) return;
    const descendants = (size[i] ?? 1) - 1;
    const also = descendants > 0 ? ` (and its ${descendants} descendant${descendants === 1 ? '' : 's'})` : '';
    warnings.push(`"${c.title}"${c.refId ? ` (${c.refId})` : ''}${also} is in no container, above or below: it cannot be requested.`);
  });
  return warnings;
}
