import type { Database } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import { INTEGERS_OF_JSON, statement } from '../../db/statements.ts';
import { fts5Matches } from './search-fts5.ts';
import { serverMatches } from './search-postgres.ts';
import { markedHtml, WORD } from './snippet.ts';

// Full-text search of the finding aids (docs/search.md): collection titles and abstracts, component
// titles, one entry per collection and per component (src/finding-aids/search-entries.ts). Each
// engine finds and orders the matches its own way (FTS5 on SQLite, tsvector on PostgreSQL); the
// hits are made here.

/**
 * The words of a query as FTS5's unicode61 tokenizer cuts text: runs of letters and digits with
 * their combining marks (a mark alone is no word); everything else (quotes, `*`, `-`, `:`,
 * parentheses) only separates words.
 * Normalised to NFC so that a word typed with combining accents is one word, as in the index.
 */
export const searchWords = (q: string): string[] => q.normalize('NFC').match(WORD) ?? [];

/**
 * Where a hit stands in the order: tier (0 when every word is in the title, 1 when one is only in
 * a collection's abstract), score, call number, entry (finding-aid order).
 * The cursor of a page is its last hit's key.
 */
export interface SearchKey {
  tier: number;
  /** Lower is better: bm25 on SQLite, minus ts_rank on PostgreSQL. */
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

// Each component's own containers, else its nearest ancestor's: walk up while the one reached has none.
const labelsSql = `with recursive up(hit, id, parent) as (
         select c.id, c.id, c.parent_id from ${INTEGERS_OF_JSON} j join components c on c.id = j.value
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

/** A match of a page: its key, its row, and the text its snippet is made from, words marked (src/finding-aids/snippet.ts). */
export interface Matched {
  key: SearchKey;
  row: Omit<SearchHit, 'containers' | 'snippet'>;
  marked: string;
}

/** Up to `limit` hits after `after`, best first, each with its key (the next page's cursor). */
export async function searchEntries(db: Database, query: SearchQuery): Promise<{ hit: SearchHit; key: SearchKey }[]> {
  const matches = await (onPostgres ? serverMatches : fts5Matches)(db, query);
  if (matches.length === 0) return [];
  const components = matches.flatMap(({ row }) => (row.componentId === null ? [] : [row.componentId]));
  const labels = new Map<number, string[]>();
  for (const { hit, label } of await statement<{ hit: number; label: string }>(db, labelsSql).rows(JSON.stringify(components))) {
    const list = labels.get(hit);
    if (list) list.push(label);
    else labels.set(hit, [label]);
  }
  return matches.map(({ key, row, marked }) => ({
    key,
    hit: { ...row, containers: (row.componentId !== null && labels.get(row.componentId)) || [], snippet: markedHtml(marked) },
  }));
}
