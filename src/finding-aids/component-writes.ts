import { onPostgres } from '../../db/engine.ts';
import { statement } from '../../db/statements.ts';
import type { Writer } from '../../db/transactions.ts';
import { containerKeys } from '../domain/container-identity.ts';
import type { FindingAid } from './finding-aid.ts';
import { rowBatch } from './row-batches.ts';
import { dropEntries, writeCollectionEntry, writeComponentEntries } from './search-entries.ts';

const highestText = "select max(ifnull((select seq from sqlite_sequence where name = 'components'), 0), ifnull((select max(id) from components), 0)) as highest";
const reserveText = "select nextval(pg_get_serial_sequence('components', 'id'))::integer as id from generate_series(1, ?) order by 1";

/**
 * Ids for `count` new components, known before they are written, so that a child's row can name its
 * parent's and the rows go many to a statement. (Rows through json_each were measured too: twice
 * as slow.) On SQLite, the ids AUTOINCREMENT would give, one after the other from the highest ever
 * used (the import's transaction holds the only writer); on PostgreSQL, taken from the column's
 * sequence, as another machine's import may be taking some at the same time. Ids not used (a
 * component kept under its refId needs none) are never used: ids are not reused anyway.
 */
async function reservedIds(tx: Writer, count: number): Promise<number[]> {
  if (onPostgres) return (await statement<{ id: number }>(tx, reserveText).rows(count)).map((r) => r.id);
  const highest = (await statement<{ highest: number }>(tx, highestText).first())!.highest;
  return Array.from({ length: count }, (_, i) => highest + 1 + i);
}

/**
 * Writes a collection's components, their containers, its series and its search entries anew from
 * a finding aid, inside the import's transaction. A component keeps its id while its `refId` is
 * unchanged; the others are made anew (ids are never reused: requests keep what they named). Plain
 * prepared statements, new rows many to a statement: a finding aid of 12,000 components is 12,000
 * rows of each kind, and building a query per row, or a call into SQLite per row, would cost more
 * than writing it.
 */
export async function writeComponents(tx: Writer, collectionId: number, aid: FindingAid, containerIds: ReadonlyMap<string, number>, created: boolean): Promise<void> {
  const kept = new Map<string, number>();
  for (const row of await statement<{ id: number; refId: string }>(tx, 'select id, ref_id as "refId" from components where collection_id = ? and ref_id is not null').rows(collectionId)) {
    kept.set(row.refId, row.id);
  }
  await statement(tx, 'delete from component_containers where component_id in (select id from components where collection_id = ?)').write(collectionId);
  // Only an update has components to drop: a new collection's refIds are not gathered for nothing.
  if (kept.size > 0) {
    const wanted = new Set(aid.components.map((c) => c.refId).filter((r) => r !== null));
    const drop = statement(tx, 'delete from components where id = ?');
    for (const [refId, id] of kept) if (!wanted.has(refId)) await drop.write(id);
  }
  await statement(tx, 'delete from components where collection_id = ? and ref_id is null').write(collectionId);

  const childCounts = new Array<number>(aid.components.length).fill(0);
  for (const c of aid.components) if (c.parent !== null) childCounts[c.parent]! += 1;

  const update = statement(tx, 'update components set parent_id = ?, position = ?, level = ?, title = ?, dates = ?, access_note = ?, child_count = ? where id = ?');
  const newIds = await reservedIds(tx, aid.components.length);
  const firstNewId = newIds[0] ?? 0;
  let nextNew = 0;
  const insert = rowBatch(tx, 'components', ['id', 'collection_id', 'parent_id', 'position', 'ref_id', 'level', 'title', 'dates', 'access_note', 'child_count']);
  const ids: number[] = [];
  // A refId that appears twice in one document (it happens) is the first one's; the second is made anew.
  const used = new Set<string>();
  for (let i = 0; i < aid.components.length; i++) {
    const c = aid.components[i]!;
    const parentId = c.parent === null ? null : ids[c.parent]!;
    const accessNote = c.accessNotes.length > 0 ? c.accessNotes.join(' ') : null;
    const refId = c.refId !== null && !used.has(c.refId) ? c.refId : null;
    if (refId !== null) used.add(refId);
    const existing = refId === null ? undefined : kept.get(refId);
    let id: number;
    if (existing !== undefined) {
      await update.write(parentId, i + 1, c.level, c.title, c.dates, accessNote, childCounts[i], existing);
      id = existing;
    } else {
      id = newIds[nextNew++]!;
      await insert.add(id, collectionId, parentId, i + 1, refId, c.level, c.title, c.dates, accessNote, childCounts[i]);
    }
    ids.push(id);
  }
  await insert.flush();
  const house = rowBatch(tx, 'component_containers', ['component_id', 'container_id', 'position', 'folder']);
  const keyOf = containerKeys();
  // Housings once every component is written: their rows name components.
  for (let i = 0; i < aid.components.length; i++) {
    const housings = aid.components[i]!.housings;
    for (let position = 0; position < housings.length; position++) {
      const h = housings[position]!;
      await house.add(ids[i], containerIds.get(keyOf(h.container)), position + 1, h.folder);
    }
  }
  await house.flush();

  await statement(tx, 'delete from series where collection_id = ?').write(collectionId);
  const series = statement(tx, 'insert into series (collection_id, position, title) values (?, ?, ?)');
  for (const [i, c] of aid.components.filter((top) => top.parent === null).entries()) await series.write(collectionId, i + 1, c.title);

  // A new collection has no entries yet: the range delete, which costs FTS5 a walk of its index, is for updates.
  if (!created) await dropEntries(tx, collectionId);
  await writeCollectionEntry(tx, collectionId, aid.collection.title, aid.collection.abstract);
  await writeComponentEntries(tx, collectionId, created ? firstNewId : undefined);
}
