import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { register } from '../../src/accounts/registration.ts';
import { findUser, type UserRow } from '../../src/accounts/users.ts';
import { loadConfig } from '../../src/config.ts';
import { ApiError } from '../../src/http/errors.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { submitRequests } from '../../src/requests/submit.ts';
import { FAULT_PASSWORD, nthBooking } from './fault-kit.ts';

// Another process writing the same SQLite file as a running server, for the fault suite, through
// the domain operations (as test/helpers/concurrent-requester.ts does). Environment:
//   DATABASE_PATH; RESEARCHER_IDS (comma-separated); VISIT_DATES (comma-separated open days);
//   CONTAINER_IDS (comma-separated, unrestricted); REGISTER_EVERY (0: never; n: every n-th
//   operation registers a new researcher instead); WRITER_NAME (unique, names registrations);
//   DURATION_MS (stop after this long; without it, until SIGTERM); PAUSE_MS (between operations).
// Prints `ready` once the database is open and starts on SIGUSR2. Each acknowledged write is
// printed at once as `ack <json>` with `at` (Date.now() just after the commit returned); each
// failure as `error <json>`; at the end `done <json>`, then it exits 0.

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const list = (name: string) => required(name).split(',');

const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: required('DATABASE_PATH') });
const db = openDatabase(config.databasePath);
const ctx = requestsContext(db, config);
const accounts = { db, publicUrl: config.publicUrl };
const dates = list('VISIT_DATES');
const containerIds = list('CONTAINER_IDS').map(Number);
const registerEvery = Number(env.REGISTER_EVERY ?? '0');
const writer = env.WRITER_NAME ?? `writer-${process.pid}`;
const durationMs = env.DURATION_MS ? Number(env.DURATION_MS) : undefined;
const pauseMs = Number(env.PAUSE_MS ?? '0');
const researchers: UserRow[] = [];
for (const id of list('RESEARCHER_IDS')) {
  const user = await findUser(db, Number(id));
  if (!user) throw new Error(`no user ${id}`);
  researchers.push(user);
}

let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

const line = (tag: string, value: unknown) => process.stdout.write(`${tag} ${JSON.stringify(value)}\n`);

function failure(error: unknown) {
  const e = error as { name?: string; code?: unknown; message?: string; statusCode?: number };
  return { name: e.name, code: e.code, statusCode: e.statusCode, apiError: error instanceof ApiError, message: String(e.message) };
}

async function run(): Promise<void> {
  const started = Date.now();
  let acks = 0;
  let errors = 0;
  let bookings = 0;
  for (let op = 0; !stopping && (durationMs === undefined || Date.now() - started < durationMs); op++) {
    try {
      if (registerEvery > 0 && op % registerEvery === registerEvery - 1) {
        const email = `${writer}-${op}@example.org`;
        await register(accounts, { email, password: FAULT_PASSWORD, name: `Registered ${writer} ${op}` }, { ip: writer, now: new Date() });
        line('ack', { kind: 'registration', email, at: Date.now() });
      } else {
        const { researcher, visitDate, containerId } = nthBooking(bookings++, researchers, dates, containerIds);
        const rows = await submitRequests(ctx, { researcher }, { visitDate, containerIds: [containerId] }, () => new Date());
        line('ack', { kind: 'request', ids: rows.map((r) => r.id), researcherId: researcher.id, at: Date.now() });
      }
      acks += 1;
    } catch (error) {
      errors += 1;
      line('error', failure(error));
    }
    // Let signals and the registration's hashing in; a writer otherwise never yields.
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    else await yieldToEvents();
  }
  line('done', { writer, acks, errors, ms: Date.now() - started });
  await closeDatabase(db);
  clearInterval(keepAlive);
}

const keepAlive = setInterval(() => {}, 1000);
process.once('SIGUSR2', () => {
  void run();
});
process.stdout.write('ready\n');
