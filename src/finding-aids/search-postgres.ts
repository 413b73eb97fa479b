import type { Database } from '../../db/client.ts';
import { statement } from '../../db/statements.ts';
import type { Matched, SearchKey, SearchQuery } from './search.ts';
import { entriesOf, SPAN } from './search-entries.ts';
import { markedText } from './snippet.ts';

// The search on PostgreSQL: the `words` tsvector of db/postgres/migrations (accents folded, the
// title weighted A, the abstract B), a prefix query per word, ts_rank for the score. Call numbers
// are ordered byte by byte ("C"), as SQLite orders text, whatever the database's collation.

/** Each word as a prefix in a tsquery (`'trotsk':*`); `weight` keeps it to the title. The words hold letters, digits and marks only. */
const tsquery = (words: readonly string[], weight = '') => words.map((w) => `'${w}':*${weight}`).join(' & ');

const keysSql = (withinCollection: boolean, inRoom: boolean, after: boolean) => `
  with q as (select to_tsquery('simple', folded(?)) as words, to_tsquery('simple', folded(?)) as titled)
  select * from (
    select s.entry::float8 as entry, c.call_number as "callNumber", (-ts_rank(s.words, q.words))::float8 as score,
      case when s.entry % ${SPAN} = 0 and not s.words @@ q.titled then 1 else 0 end as tier
    from q cross join search_entries s join collections c on c.id = s.entry / ${SPAN}
    where s.words @@ q.words
      ${withinCollection ? 'and s.entry between ? and ?' : ''}
      ${inRoom ? 'and c.reading_room_id = ?' : ''}
  ) k
  ${after ? 'where (k.tier, k.score, k."callNumber" collate "C", k.entry) > (?, ?, ? collate "C", ?)' : ''}
  order by k.tier, k.score, k."callNumber" collate "C", k.entry
  limit ?`;

const detailsSql = `
  with q as (select to_tsquery('simple', folded(?)) as titled)
  select s.entry::float8 as entry, s.component_id as "componentId", s.title, s.abstract, c.id as "collectionId", c.call_number as "callNumber",
    c.title as "collectionTitle", case when s.component_id is null then c.dates else p.dates end as dates, s.words @@ q.titled as "inTitle"
  from q cross join search_entries s join collections c on c.id = s.entry / ${SPAN} left join components p on p.id = s.component_id
  where s.entry = any(?::bigint[])`;

/** The page's matches on PostgreSQL, best first. */
export async function serverMatches(db: Database, query: SearchQuery): Promise<Matched[]> {
  const { words, collectionId, readingRoomId, after } = query;
  const values = [
    tsquery(words),
    tsquery(words, 'A'),
    ...(collectionId === undefined ? [] : entriesOf(collectionId)),
    ...(readingRoomId === undefined ? [] : [readingRoomId]),
    ...(after === undefined ? [] : [after.tier, after.score, after.callNumber, after.entry]),
    query.limit,
  ];
  const keys = await statement<SearchKey>(db, keysSql(collectionId !== undefined, readingRoomId !== undefined, after !== undefined)).rows(...values);
  if (keys.length === 0) return [];
  type Row = Matched['row'] & { entry: number; abstract: string | null; inTitle: boolean };
  const rows = await statement<Row>(db, detailsSql).rows(tsquery(words, 'A'), keys.map((k) => k.entry));
  const byEntry = new Map(rows.map(({ entry, abstract, inTitle, ...row }) => [entry, { row, marked: markedText(inTitle || abstract === null ? row.title : abstract, words) }]));
  return keys.map((key) => ({ key, ...byEntry.get(key.entry)! }));
}
