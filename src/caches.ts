import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';
import { onPostgres } from '../db/engine.ts';
import { perConnection, statement } from '../db/statements.ts';
import { committed, type Writer } from '../db/transactions.ts';

// The caches of the data access, in one place, each keyed by the database connection:
// - what changes only with the catalogue (collections, containers, components): `whileCatalogueUnchanged`;
// - answers of reads, kept only while the database is unchanged: `whileUnchanged`.

/**
 * A value per connection, made anew by `make` when the catalogue's version (db/schema.ts
 * `catalogue`) has moved since it was made: imports and container edits raise it, in whichever
 * process, on whichever machine, they run. Reading the version is one indexed row, far less than
 * what is kept.
 */
export function whileCatalogueUnchanged<V>(make: () => V): (db: Writer) => Promise<V> {
  const kept = perConnection(() => ({ version: -1, value: undefined as V | undefined }));
  return async (db) => {
    const entry = kept(db);
    const version = await catalogueVersion(db);
    if (entry.version !== version || entry.value === undefined) {
      entry.value = make();
      entry.version = version;
    }
    return entry.value;
  };
}

/**
 * Answers that depend on the catalogue alone (a finding aid's tree, search results), kept while
 * its version stands: unlike `whileUnchanged`, a researcher's request or a desk transition does not
 * empty them. Bounded as `whileUnchanged` is; nothing is kept inside a transaction.
 */
export async function whileCatalogueStands<T>(db: Database, key: string, read: () => Promise<T>): Promise<T> {
  if (db.$client.inTransaction) return read();
  const kept = await catalogueAnswers(db);
  const known = kept.answers.get(key);
  if (known) return known as Promise<T>;
  if (kept.answers.size >= MAX_ENTRIES || kept.bytes >= MAX_BYTES) {
    kept.answers.clear();
    kept.bytes = 0;
  }
  return keep(kept, key, read());
}

const catalogueAnswers = whileCatalogueUnchanged((): Kept => ({ answers: new Map(), bytes: 0 }));

/**
 * The catalogue's version as each PostgreSQL transaction first read it. A submission asks for it
 * three times (its boxes, the boxes' details, its folders), each a round trip to the server; read
 * once, the transaction also judges all its boxes by one catalogue. Forgotten where the
 * transaction raises the version itself (`catalogueChanged`). On SQLite the version is read in
 * the process, and a transaction's `tx` is the connection itself, the same for every transaction.
 */
const versionOfTransaction = new WeakMap<object, Promise<number>>();

async function catalogueVersion(db: Writer): Promise<number> {
  if (!(db instanceof PgTransaction)) return readCatalogueVersion(db);
  let version = versionOfTransaction.get(db);
  if (version === undefined) versionOfTransaction.set(db, (version = readCatalogueVersion(db)));
  return version;
}

async function readCatalogueVersion(db: Writer): Promise<number> {
  const row = await statement<{ version: number }>(db, 'select version from catalogue where id = 1').first();
  return row?.version ?? 0;
}

/**
 * Raises the catalogue's version, so every process reads its collections and containers again;
 * the transaction that raised it reads the new one from then on.
 */
export async function catalogueChanged(tx: Writer): Promise<void> {
  await statement(tx, 'update catalogue set version = version + 1 where id = 1').write();
  versionOfTransaction.delete(tx);
}

/**
 * Answers of read queries, kept for as long as the database has not changed since they were read.
 * "Not changed" is SQLite's own account: the reading connection's `PRAGMA data_version` moves
 * whenever another connection commits (this process's writer, another API process, the workers);
 * and this process's own commits (db/transactions.ts `committed`) are counted as they happen.
 *
 * Nothing is served or remembered inside a transaction: its reads can see its own uncommitted
 * writes. Answers are shared between callers, who must not change them (the callers here freeze
 * them). The cache is emptied whenever the database changes, and when it holds MAX_ENTRIES answers
 * or MAX_BYTES of answers kept as bytes (whole HTTP answers, src/http/answers.ts).
 */
const MAX_ENTRIES = 1_000;
const MAX_BYTES = 32 * 1024 * 1024;

interface State extends Kept {
  version: number;
  changes: number;
}

/** The data version read for the HTTP request that started last (see requestStarted). */
interface Pin {
  request: number;
  version: number;
  changes: number;
}

interface Connection {
  dataVersion: () => number;
  state?: State;
  pin?: Pin;
}

// The pragma itself, not `select … from pragma_data_version`: that table-valued form prepares the
// pragma anew on every call. The data version opens a read. SQLite's alone (PostgreSQL keeps
// nothing here), read synchronously: the version read for a request must stand for the rest of
// its turn of the event loop (below), and better-sqlite3 answers at once.
const connection = perConnection((db): Connection => {
  const dataVersion = (db as Database).$client.prepare('pragma data_version').pluck();
  // eslint-disable-next-line no-restricted-syntax -- SQLite's own pragma, see above
  return { dataVersion: () => dataVersion.get() as number };
});

/** This process's commits so far: one ends whatever was kept, at once, whatever the version says. */
let commitsHere = 0;
committed.on('committed', () => commitsHere++);

// Reading the data version opens a read of the database, the dearest part of a cached answer (a
// request would pay it twice: the access check's person, then the answer). So the version read
// after an HTTP request starts stands for the rest of that turn of the event loop, until the next
// request starts. That is safe: the request's reads run within microseconds of each other, and
// everything else handled in that turn arrived before the version was read (a request, or a job,
// that follows from a later commit arrives in a later turn). A commit of this process still ends
// it at once.
let requestsStarted = 0;
let turnOfARequest = false;

/** Called as each HTTP request starts (src/app.ts). */
export function requestStarted(): void {
  requestsStarted++;
  if (!turnOfARequest) {
    turnOfARequest = true;
    setImmediate(() => (turnOfARequest = false));
  }
}

function currentVersion(cache: Connection, changes: number): number {
  const pin = cache.pin;
  if (turnOfARequest && pin && pin.request === requestsStarted && pin.changes === changes) return pin.version;
  const version = cache.dataVersion();
  cache.pin = turnOfARequest ? { request: requestsStarted, version, changes } : undefined;
  return version;
}

/** `read()`'s answer, or the one it gave for `key` if the database has not changed since. */
export function whileUnchanged<T>(db: Database | Writer, key: string, read: () => Promise<T>): Promise<T> {
  // Inside a transaction (the writing connection, as `commit` hands it to its work), read. On
  // PostgreSQL, too: no version says whether another machine has committed since, short of asking
  // the server, which costs what reading the answer does.
  if (onPostgres || !('$client' in db) || db.$client.inTransaction) return read();
  const cache = connection(db);
  const changes = commitsHere;
  let state = cache.state;
  if (state && state.changes !== changes) {
    // This process committed since: whatever is kept is stale, whatever the version says. Reading
    // the version waits for the next read, or a steady load of writes would pay for it each time.
    cache.state = undefined;
    return read();
  }
  const version = currentVersion(cache, changes);
  if (!state || state.version !== version || state.answers.size >= MAX_ENTRIES || state.bytes >= MAX_BYTES) {
    state = cache.state = { version, changes, answers: new Map(), bytes: 0 };
  }
  const known = state.answers.get(key);
  if (known) return known as Promise<T>;
  // A commit elsewhere between the check and the read leaves a newer answer under the older
  // version, until the next look at the version (after this request) drops it. Never an older one.
  return keep(state, key, read());
}

/** Answers kept, and the bytes of those kept as bytes (whole HTTP answers). */
interface Kept {
  answers: Map<string, Promise<unknown>>;
  bytes: number;
}

/**
 * Keeps `answer` under `key` for as long as `kept` stands. The promise is kept, so that callers
 * asking while it is read share the one read; a read that fails (a refusal) is not kept.
 */
function keep<T>(kept: Kept, key: string, answer: Promise<T>): Promise<T> {
  kept.answers.set(key, answer);
  answer.then(
    (value) => {
      if (Buffer.isBuffer(value)) kept.bytes += value.byteLength;
    },
    () => {
      if (kept.answers.get(key) === answer) kept.answers.delete(key);
    },
  );
  return answer;
}
