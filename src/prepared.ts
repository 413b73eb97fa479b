import type { Writer } from '../db/transactions.ts';

/**
 * One drizzle prepared query per connection and key, built on first use. Building and preparing a
 * query costs several times what running it does, on paths taken by every request (the access
 * check's person, a request, the outbox).
 */
const caches = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: Writer, key: string, build: () => T): T {
  const session = (db as unknown as { session: object }).session;
  let cache = caches.get(session);
  if (!cache) caches.set(session, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}
