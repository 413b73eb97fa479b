import type { Database } from '../../db/client.ts';
import type { Writer } from '../../db/transactions.ts';
import { perConnection } from '../caches.ts';
import type { WantedComponent } from '../domain/wanted-containers.ts';

// Reads what src/domain/wanted-containers.ts needs of the components a researcher asks for.

const statements = perConnection((db) => {
  const sqlite = (db as unknown as { session: { client: Database['$client'] } }).session.client;
  return {
    one: sqlite.prepare('select id, parent_id as parentId, title from components where id = ?'),
    own: sqlite.prepare('select container_id as containerId, folder from component_containers where component_id = ? order by position'),
    below: sqlite
      .prepare(
        `with recursive below(id) as (select id from components where parent_id = ?
           union all select c.id from components c join below b on c.parent_id = b.id)
         select h.container_id from below b
           join components c on c.id = b.id
           join component_containers h on h.component_id = b.id
         order by c.position, h.position`,
      )
      .pluck(),
  };
});

/** The components asked for that exist, by id (a missing id is the caller's 404). */
export function wantedComponents(db: Writer, ids: readonly number[]): Map<number, WantedComponent> {
  const { one, own, below } = statements(db);
  const found = new Map<number, WantedComponent>();
  for (const id of new Set(ids)) {
    const row = one.get(id) as { id: number; parentId: number | null; title: string } | undefined;
    if (!row) continue;
    const housings = own.all(id) as { containerId: number; folder: string | null }[];
    let inherited: number[] = [];
    // Imports refuse nesting deeper than 64: the walk up ends.
    for (let parentId = row.parentId; housings.length === 0 && inherited.length === 0 && parentId !== null; ) {
      inherited = (own.all(parentId) as { containerId: number }[]).map((h) => h.containerId);
      parentId = (one.get(parentId) as { parentId: number | null } | undefined)?.parentId ?? null;
    }
    const under = housings.length === 0 && inherited.length === 0 ? (below.all(id) as number[]) : [];
    found.set(id, { id, title: row.title, own: housings, inherited, below: under });
  }
  return found;
}
