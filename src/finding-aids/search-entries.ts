import { onPostgres } from '../../db/engine.ts';
import { statement } from '../../db/statements.ts';
import type { Writer } from '../../db/transactions.ts';

// The search index's entries (docs/search.md), one per collection and one per component. An
// entry's key says where it is: its collection's id times 2^32 plus its position in the finding
// aid (0 for the collection's own entry), so that ordering by call number and finding-aid order,
// and keeping to one collection, read no row per match. On SQLite the key is the FTS5 table's
// rowid; on PostgreSQL the `entry` column, a bigint (db/postgres/migrations).

export const SPAN = 2 ** 32;

/** The key of a collection's entry (position 0) or of its component at `position` (1, 2, …). */
export const entryId = (collectionId: number, position: number) => collectionId * SPAN + position;

/** The keys of one collection's entries, first and last. */
export const entriesOf = (collectionId: number): [number, number] => [entryId(collectionId, 0), entryId(collectionId + 1, 0) - 1];

const texts = {
  collection: {
    sqlite: 'insert into search_entries (rowid, title, abstract, component_id) values (?, ?, ?, null)',
    postgres: 'insert into search_entries (entry, title, abstract, component_id) values (?, ?, ?, null)',
  },
  drop: {
    sqlite: 'delete from search_entries where rowid between ? and ?',
    postgres: 'delete from search_entries where entry between ? and ?',
  },
  newComponents: 'insert into search_entries (rowid, title, abstract, component_id) select ? + position, title, null, id from components where id >= ? order by id',
  components: {
    sqlite: 'insert into search_entries (rowid, title, abstract, component_id) select ? + position, title, null, id from components where collection_id = ? order by position',
    postgres: 'insert into search_entries (entry, title, abstract, component_id) select ?::bigint + position, title, null, id from components where collection_id = ?',
  },
};

/** The collection's own entry: its title and abstract. */
export async function writeCollectionEntry(tx: Writer, collectionId: number, title: string, abstract: string | null): Promise<void> {
  await statement(tx, texts.collection).write(entryId(collectionId, 0), title, abstract);
}

/** Removes every entry of a collection (its own and its components'). */
export async function dropEntries(tx: Writer, collectionId: number): Promise<void> {
  await statement(tx, texts.drop).write(...entriesOf(collectionId));
}

/**
 * The entries of a collection's components, from their rows, in one statement. `newSince`, the
 * first id of a new collection's components: on SQLite they are the newest rows, in position
 * order, read by id with neither index nor sort, and written in rowid order (FTS5 starts a new
 * segment whenever a rowid goes backwards). (As rows bound from here, even many to a statement,
 * they cost more.) PostgreSQL's ids may interleave with another import's: it reads by collection.
 */
export async function writeComponentEntries(tx: Writer, collectionId: number, newSince?: number): Promise<void> {
  const first = entryId(collectionId, 0);
  if (newSince !== undefined && !onPostgres) await statement(tx, texts.newComponents).write(first, newSince);
  else await statement(tx, texts.components).write(first, collectionId);
}
