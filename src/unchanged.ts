import type { Database } from '../db/client.ts';
import type { Writer } from './outbox/store.ts';

/**
 * Answers of read queries, kept for as long as the database has not changed since they were read.
 * "Not changed" is SQLite's own account: `PRAGMA data_version` moves whenever another connection
 * (another API process, the workers) commits, and `total_changes()` whenever this connection
 * writes a row (rolled-back writes included, which only empties the cache for nothing). Checking
 * both is one small statement, about a quarter of the queries it stands in for.
 *
 * Nothing is served or remembered inside a transaction: its reads can see its own uncommitted
 * writes. Answers are shared between callers, who must not change them (the callers here freeze
 * them). The cache is emptied whenever the database changes, and when it holds MAX_ENTRIES answers.
 */
const MAX_ENTRIES = 1_000;

interface State {
  version: number;
  changes: number;
  answers: Map<string, unknown>;
}

const states = new WeakMap<object, { check: () => [number, number]; state?: State }>();

function connection(db: Database) {
  let found = states.get(db.$client);
  if (!found) {
    const statement = db.$client.prepare('select data_version, total_changes() from pragma_data_version').raw();
    found = { check: () => statement.get() as [number, number] };
    states.set(db.$client, found);
  }
  return found;
}

/** `read()`'s answer, or the one it gave for `key` if the database has not changed since. */
export function whileUnchanged<T>(db: Database | Writer, key: string, read: () => T): T {
  // A drizzle transaction has no $client of its own: inside one, read.
  if (!('$client' in db) || db.$client.inTransaction) return read();
  const cache = connection(db);
  const [version, changes] = cache.check();
  let state = cache.state;
  if (!state || state.version !== version || state.changes !== changes || state.answers.size >= MAX_ENTRIES) {
    state = cache.state = { version, changes, answers: new Map() };
  }
  if (state.answers.has(key)) return state.answers.get(key) as T;
  // A commit elsewhere between the check and the read leaves a newer answer under the older
  // version: the next check sees the new version and drops it. Never an older answer.
  const answer = read();
  state.answers.set(key, answer);
  return answer;
}
