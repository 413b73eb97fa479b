import type { Database } from '../../db/client.ts';
import { statement } from '../../db/statements.ts';
import { entriesOf, SPAN } from './search-entries.ts';
import { markedHtml, MARK_CLOSE, MARK_OPEN } from './snippet.ts';

// Full-text search of the finding aids (docs/search.md): collection titles and abstracts, component
// titles. One FTS5 entry per collection and per component; an entry's rowid says where it is
// (`entryId`), so ordering by call number and finding-aid order, and keeping to one collection,
// read no row of the table per match.


/**
 * The words of a query as FTS5's unicode61 tokenizer cuts text: runs of letters and digits with
 * their combining marks (a mark alone is no word); everything else (quotes, `*`, `-`, `:`,
 * parentheses) only separates words.
 * Normalised to NFC so that a word typed with combining accents is one word, as in the index.
 */
export const searchWords = (q: string): string[] => q.normalize('NFC').match(/\p{M}*[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{M}\p{Co}]*/gu) ?? [];

/**
 * Each word as an FTS5 string, so `AND`, `NEAR` or `OR` are words and not operators, and as a
 * prefix (`trotsk` finds Trotsky); every one must match.
 */
const matchOf = (words: readonly string[]) => words.map((w) => `"${w}"*`).join(' AND ');

/**
 * Where a hit stands in the order: tier (0 when every word is in the title, 1 when one is only in
 * a collection's abstract), bm25 score, call number, entry (finding-aid order).
 * The cursor of a page is its last hit's key.
 */
export interface SearchKey {
  tier: number;
  /** bm25: lower is better. */
  score: number;
  callNumber: string;
  entry: number;
}

export interface SearchHit {
  collectionId: number;
  callNumber: string;
  collectionTitle: string;
  componentId: number | null;
  title: string;
  dates: string | null;
  containers: string[];
  snippet: string;
}

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

// Each component's own containers, else its nearest ancestor's: walk up while the one reached has none.
const labelsSql = `with recursive up(hit, id, parent) as (
         select c.id, c.id, c.parent_id from json_each(?) j join components c on c.id = j.value
         union all
         select up.hit, p.id, p.parent_id from up join components p on p.id = up.parent
         where not exists (select 1 from component_containers h where h.component_id = up.id)
       )
       select up.hit, c.label from up join component_containers h on h.component_id = up.id join containers c on c.id = h.container_id
       order by up.hit, h.position`;

export interface SearchQuery {
  words: readonly string[];
  collectionId?: number | undefined;
  /** Only collections read in this reading room. */
  readingRoomId?: number | undefined;
  after?: SearchKey | undefined;
  limit: number;
}

/** Up to `limit` hits after `after`, best first, each with its key (the next page's cursor). */
export async function searchEntries(db: Database, query: SearchQuery): Promise<{ hit: SearchHit; key: SearchKey }[]> {
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
  const rows = await statement<Omit<SearchHit, 'containers' | 'snippet'> & { entry: number; marked: string }>(db, detailsSql).rows({
    words: match,
    entries: JSON.stringify(entries),
    low: Math.min(...entries),
    high: Math.max(...entries),
  });
  const byEntry = new Map(rows.map((r) => [r.entry, r]));
  const components = rows.flatMap((r) => (r.componentId === null ? [] : [r.componentId]));
  const labels = new Map<number, string[]>();
  for (const { hit, label } of await statement<{ hit: number; label: string }>(db, labelsSql).rows(JSON.stringify(components))) {
    const list = labels.get(hit);
    if (list) list.push(label);
    else labels.set(hit, [label]);
  }
  return keys.map((key) => {
    const { entry: _entry, marked, ...row } = byEntry.get(key.entry)!;
    return { key, hit: { ...row, containers: (row.componentId !== null && labels.get(row.componentId)) || [], snippet: markedHtml(marked) } };
  });
}
