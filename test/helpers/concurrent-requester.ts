import { closeDatabase, openConfiguredDatabase } from '../../db/client.ts';
import { findUser, type UserRow } from '../../src/accounts/users.ts';
import { loadConfig } from '../../src/config.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { submitRequests } from '../../src/requests/submit.ts';

// A second process submitting requests straight to the same database as a running server, for
// the waiting-list concurrency test. Environment: DATABASE_PATH (and DATABASE_URL on PostgreSQL);
// RESEARCHER_IDS (comma-separated user ids); VISIT_DATE; CONTAINER_ID; CLOCK_OFFSET_MS (added to
// the system clock, so this process's "now" is the server's). Prints `ready` once the database is
// open, waits for SIGUSR2, submits one request per researcher as fast as it can, then prints one
// JSON line of outcomes.

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: required('DATABASE_PATH'), ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}) });
const db = await openConfiguredDatabase(config);
const ctx = requestsContext(db, config);
const visitDate = required('VISIT_DATE');
const containerId = Number(required('CONTAINER_ID'));
const offsetMs = Number(env.CLOCK_OFFSET_MS ?? '0');
const researchers: UserRow[] = [];
for (const id of required('RESEARCHER_IDS').split(',')) {
  const user = await findUser(db, Number(id));
  if (!user) throw new Error(`no user ${id}`);
  researchers.push(user);
}

type Outcome = { researcherId: number; ok: true; requestId: number; status: string } | { researcherId: number; ok: false; code: unknown; message: string };

async function go(): Promise<void> {
  const outcomes: Outcome[] = [];
  for (const researcher of researchers) {
    try {
      const [row] = await submitRequests(ctx, { researcher }, { visitDate, containerIds: [containerId] }, () => new Date(Date.now() + offsetMs));
      outcomes.push({ researcherId: researcher.id, ok: true, requestId: row?.id ?? -1, status: row?.status ?? 'none' });
    } catch (error) {
      const e = error as { code?: unknown; message?: string };
      outcomes.push({ researcherId: researcher.id, ok: false, code: e.code, message: String(e.message) });
    }
  }
  process.stdout.write(`${JSON.stringify({ outcomes })}\n`, () => {
    void closeDatabase(db).finally(() => clearInterval(keepAlive));
  });
}

const keepAlive = setInterval(() => {}, 1000);
process.once('SIGUSR2', () => void go());
process.stdout.write('ready\n');
