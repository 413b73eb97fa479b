import type { Database } from '../../db/client.ts';
import { ApiError } from '../http/errors.ts';

// Provisional: the pages' side of `searchFindingAids`, as the contract shapes it (SearchHit), over
// the import's full-text entries, until the search branch's module replaces this file whole.

export interface SearchHit {
  collectionId: number;
  callNumber: string;
  collectionTitle: string;
  componentId: number | null;
  title: string;
  dates: string | null;
  containers: string[];
  /** The title, HTML-escaped, with the matched words in `<mark>`. */
  snippet: string;
}

export interface SearchQuery {
  q: string;
  collectionId?: number | undefined;
  limit: number;
  cursor?: string | undefined;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const folded = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

export function searchFindingAids(db: Database, query: SearchQuery): { items: SearchHit[]; nextCursor: string | null } {
  const words = folded(query.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) throw new ApiError(400, 'FST_ERR_VALIDATION', 'Give words to search for.');
  const offset = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(400, 'FST_ERR_VALIDATION', 'That cursor is not one this search gave.');
  const match = words.map((w) => `"${w}"*`).join(' ');
  const rows = db.$client
    .prepare(
      `select e.collection_id as collectionId, c.call_number as callNumber, c.title as collectionTitle, e.component_id as componentId,
              coalesce(k.title, c.title) as title, coalesce(k.dates, c.dates) as dates
       from search_entries e join collections c on c.id = e.collection_id left join components k on k.id = e.component_id
       where search_entries match ? and (? is null or e.collection_id = ?)
       order by e.rank, c.call_number, e.position limit ? offset ?`,
    )
    .all(match, query.collectionId ?? null, query.collectionId ?? null, query.limit + 1, offset) as Omit<SearchHit, 'containers' | 'snippet'>[];
  const labels = db.$client.prepare(
    'select c.label from component_containers h join containers c on c.id = h.container_id where h.component_id = ? order by h.position',
  );
  const items = rows.slice(0, query.limit).map((row) => ({
    ...row,
    containers: row.componentId === null ? [] : (labels.pluck().all(row.componentId) as string[]),
    snippet: row.title
      .split(/(\s+)/)
      .map((part) => (words.some((w) => folded(part).replace(/^\W+/u, '').startsWith(w)) ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
      .join(''),
  }));
  return { items, nextCursor: rows.length > query.limit ? String(offset + query.limit) : null };
}
