import type { Writer } from '../../db/transactions.ts';
import { statement } from '../../db/statements.ts';
import type { WantedComponent } from '../domain/wanted-containers.ts';
import { findComponent } from './tree.ts';

// Reads what src/domain/wanted-containers.ts needs of the components a researcher asks for: its
// containers as the tree shows them (its own, else its nearest ancestor's), and for one housed in
// neither, its descendants'.

const descendantsHousings = `with recursive below(id) as (select id from components where parent_id = ?
         union all select c.id from components c join below b on c.parent_id = b.id)
       select h.container_id as "containerId" from below b
         join components c on c.id = b.id
         join component_containers h on h.component_id = b.id
       order by c.position, h.position`;

/** The components asked for that exist, by id (a missing id is the caller's 404). */
export async function wantedComponents(db: Writer, ids: readonly number[]): Promise<Map<number, WantedComponent>> {
  const found = new Map<number, WantedComponent>();
  for (const id of new Set(ids)) {
    const component = await findComponent(db, id);
    if (!component) continue;
    const own = component.containers.filter((h) => !h.inherited).map(({ containerId, folder }) => ({ containerId, folder }));
    const inherited = component.containers.filter((h) => h.inherited).map((h) => h.containerId);
    const below = own.length === 0 && inherited.length === 0 ? (await statement<{ containerId: number }>(db, descendantsHousings).rows(id)).map((h) => h.containerId) : [];
    found.set(id, { id, collectionId: component.collectionId, title: component.title, own, inherited, below });
  }
  return found;
}
