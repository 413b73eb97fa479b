import type { Database } from '../../db/client.ts';
import { statement } from '../../db/statements.ts';
import type { Matched, SearchKey, SearchQuery } from './search.ts';
import { entriesOf, SPAN } from './search-entries.ts';
import { MARK_CLOSE, MARK_OPEN } from './snippet.ts';

// The search on SQLite: an FTS5 table, its bm25 ranking and its snippets. An entry's rowid says
// where it is (src/finding-aids/search-entries.ts), so ordering by call number and finding-aid
// order, and keeping to one collection, read no row of the table per match.

/**
 * Each word as an FTS5 string, so `AND`, `NEAR` or `OR` are words and not operators, and as a
 * prefix (`trotsk` finds Trotsky); every one must match.
 */
const matchOf = (words: readonly string[]) => words.map((w) => `"${w}"*`).join(' AND ');

// The ordered keys of every match are computed (bm25 needs each row's sizes), the details only for
// the page. An abstract can only be a collection's, so the title-only match that decides the tier is
// run only when a collection's entry matched (a component's entry is tier 0).
const keysSql = (withinCollection: boolean, inRoom: boolean, after: boolean) => `
  select s.rowid as entry, c.call_number as "callNumber", bm25(s.search_entries) as score,
    case when s.rowid % ${SPAN} = 0 and s.rowid not in (select rowid from search_entries where search_entries match :titled) then 1 else 0 end as tier
  from search_entries s cross join collections c on c.id = s.rowid / ${SPAN}
  where s.search_entries match :words
    ${withinCollection ? 'and s.rowid between :first and :last' : ''}
    ${inRoom ? 'and c.reading_room_id = :roomId' : ''}
    ${after ? 'and (tier, score, callNumber, entry) > (:tier, :score, :callNumber, :entry)' : ''}
  order by tier, score, callNumber, entry
  limit :limit`;

// One statement for each combination of filters (db/statements.ts prepares each text once per connection).
const keysTexts = new Map<string, string>();
function keysFor(within: boolean, inRoom: boolean, after: boolean): string {
  const name = `${within}:${inRoom}:${after}`;
  let text = keysTexts.get(name);
  if (text === undefined) keysTexts.set(name, (text = keysSql(within, inRoom, after)));
  return text;
}

// The page's entries: one pass over the matches between the lowest and the highest (a rowid
// list would run the whole match again for each entry, hence the `+`).
const detailsSql = `select s.rowid as entry, s.component_id as "componentId", s.title, c.id as "collectionId", c.call_number as "callNumber",
         c.title as "collectionTitle", case when s.component_id is null then c.dates else p.dates end as dates,
         snippet(s.search_entries, -1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 32) as marked
       from search_entries s cross join collections c on c.id = s.rowid / ${SPAN} left join components p on p.id = s.component_id
       where s.search_entries match :words and s.rowid between :low and :high and +s.rowid in (select value from json_each(:entries))`;

/** The page's matches on SQLite, best first. */
export async function fts5Matches(db: Database, query: SearchQuery): Promise<Matched[]> {
  const match = matchOf(query.words);
  const { collectionId, readingRoomId, after } = query;
  const params = {
    words: match,
    titled: `title : (${match})`,
    limit: query.limit,
    ...(collectionId === undefined ? {} : { first: entriesOf(collectionId)[0], last: entriesOf(collectionId)[1] }),
    ...(readingRoomId === undefined ? {} : { roomId: readingRoomId }),
    ...after,
  };
  // Named parameters (`:words`), bound from one object: FTS5's SQL is SQLite's own.
  const keys = await statement<SearchKey>(db, keysFor(collectionId !== undefined, readingRoomId !== undefined, after !== undefined)).rows(params);
  if (keys.length === 0) return [];
  const entries = keys.map((k) => k.entry);
  const rows = await statement<Matched['row'] & { entry: number; marked: string }>(db, detailsSql).rows({
    words: match,
    entries: JSON.stringify(entries),
    low: Math.min(...entries),
    high: Math.max(...entries),
  });
  const byEntry = new Map(rows.map(({ entry, marked, ...row }) => [entry, { row, marked }]));
  return keys.map((key) => ({ key, ...byEntry.get(key.entry)! }));
}
