import type { Writer } from '../db/transactions.ts';

/**
 * A map kept per database connection (drizzle's session, shared by the connection and its
 * transactions): what is made once per connection, such as prepared queries and the rows nothing
 * ever edits, lives in one of these. It goes with the connection.
 */
export function perConnection<K, V>(): (db: Writer) => Map<K, V> {
  const maps = new WeakMap<object, Map<K, V>>();
  return (db) => {
    const session = (db as unknown as { session: object }).session;
    let map = maps.get(session);
    if (!map) maps.set(session, (map = new Map<K, V>()));
    return map;
  };
}

const queries = perConnection<string, unknown>();

/**
 * One drizzle prepared query per connection and key, built on first use. Building and preparing a
 * query costs several times what running it does, on paths taken by every request (the access
 * check's person, a request, the outbox).
 */
export function prepared<T>(db: Writer, key: string, build: () => T): T {
  const cache = queries(db);
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}
