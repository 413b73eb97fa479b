import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { closeDatabase, openDatabase, type Database } from '../db/client.ts';
import type { Role } from '../db/tables.ts';
import { seedDatabase } from '../db/seed/index.ts';
import { hashPassword } from '../src/accounts/secrets.ts';
import { buildApp } from '../src/app.ts';
import { closuresFrom } from '../src/calendar/store.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { bookingHorizon, calendarDays, earliestVisitDate, todayIn, type IsoDate } from '../src/domain/calendar.ts';
import { createRedisProbe } from '../src/redis.ts';

// The people, boxes and requests the HTTP scenarios need, written straight into SQLite: signing
// up 4,000 researchers through the API would cost ~50 ms of argon2 each. The one password hash
// is computed once; tokens are signed with the app's own secret, as login signs them.

/** Researchers who write: a prime count, so `i % RESEARCHERS` and `i % dates` never line up. */
export const RESEARCHERS = 4_001;
/** Boxes the writes cycle through: a prime count, so each date gets distinct boxes for ~275,000 requests. */
export const WRITE_BOXES = 5_003;
/** Requests on the pick list's day. */
export const PICK_LIST_SIZE = 2_000;
/** Requests of the researcher of `read.my-requests`. */
export const MY_REQUESTS = 10;
/** The seed's one reading room: every collection of the bench databases is read in it. */
export const ROOM = 1;

const PASSWORD = 'a benchmark pass phrase';
/** The researchers' photo IDs were checked at the desk, so their boxes can be delivered. */
const IDENTITY_DOCUMENT = 'passport';

export interface Fixture {
  databasePath: string;
  /** The environment the server is started with (besides PORT). */
  env: Record<string, string>;
  /** Open days the writes go to, in turn. */
  writeDates: IsoDate[];
  /** Researchers' ids and tokens, index-aligned. */
  researcherTokens: string[];
  /** Container ids of the writes' boxes. */
  writeContainerIds: number[];
  /** The day whose pick list holds PICK_LIST_SIZE scheduled requests, and their ids. */
  pickListDate: IsoDate;
  pickListRequestIds: number[];
  staffToken: string;
  /** The researcher of `read.my-requests`, and the day of their requests (also `read.containers`' date). */
  readerToken: string;
  readerDate: IsoDate;
  /** The day the database was built on (the reading room's): past requests are before it. */
  today: IsoDate;
}

export interface FixtureOptions {
  /** Boxes in the bench collection (besides GEN MSS 238's 29 containers). */
  boxes: number;
  /** Past requests (each with its events, from creation to its final status), for the scale and report scenarios. */
  pastRequests: number;
  /** The reading room's seats a day, seeded from the environment as at a first start (unset: unlimited). */
  seats?: number;
}

/** The environment every server of the run shares (its own database and queue prefix aside). */
export function serverEnv(databasePath: string, jwtSecret: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_PATH: databasePath,
    JWT_SECRET: jwtSecret,
    RUN_WORKERS: 'false',
    QUEUE_PREFIX: `bench-${process.pid}`,
    HOST: '127.0.0.1',
  };
}

// Illustrative stack locations, shuffled against box numbers so the walking order has work to do.
const location = (n: number) => {
  const h = (n * 2_654_435_761) >>> 0;
  return `Stack ${1 + (h % 9)}, Range ${1 + ((h >>> 4) % 24)}, Shelf ${1 + ((h >>> 9) % 7)}`;
};

/**
 * A fresh database as `npm start` would seed it, plus: RESEARCHERS researchers (their photo ID checked), one staff member,
 * one reader with MY_REQUESTS requests, a second collection of `boxes` boxes, the pick list's day
 * with PICK_LIST_SIZE scheduled requests, and `pastRequests` requests on days gone by.
 */
export async function buildFixture(folder: string, options: FixtureOptions): Promise<Fixture> {
  const databasePath = join(folder, 'reading-room.sqlite');
  const jwtSecret = randomBytes(32).toString('hex');
  const env = { ...serverEnv(databasePath, jwtSecret), ...(options.seats === undefined ? {} : { READING_ROOM_SEATS: String(options.seats) }) };
  const config = loadConfig(env);
  const now = new Date();
  const today = todayIn(config.timezone, now);
  const db = openDatabase(databasePath);
  await seedDatabase(db, config, today);

  const closures = await closuresFrom(db, ROOM, today);
  const open = calendarDays(earliestVisitDate(today, closures), bookingHorizon(today, config.maxAdvanceDays), closures)
    .filter((d) => d.open)
    .map((d) => d.date);
  // The first two open days are left alone: a run that crosses midnight must not find its dates gone.
  const [pickListDate, readerDate, ...writeDates] = open.slice(2);
  if (!pickListDate || !readerDate || writeDates.length < 10) throw new Error(`too few open days ahead: ${open.join(', ')}`);

  const passwordHash = await hashPassword(PASSWORD);
  const sqlite = db.$writer.$client;
  const nowMs = now.getTime();
  const build = sqlite.transaction(() => {
    const addUser = sqlite.prepare(
      `insert into users (email, name, role, password_hash, email_verified_at, identity_verified_at, identity_document_type, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const userId = (email: string, name: string, role: string) =>
      Number(addUser.run(email, name, role, passwordHash, nowMs, role === 'researcher' ? nowMs : null, role === 'researcher' ? IDENTITY_DOCUMENT : null, nowMs).lastInsertRowid);
    const researcherIds = Array.from({ length: RESEARCHERS }, (_, i) => userId(`bench-researcher-${i}@example.org`, `Researcher ${i}`, 'researcher'));
    const staffId = userId('bench-staff@example.org', 'Paging Staff', 'staff');
    const readerId = userId('bench-reader@example.org', 'Reader With Ten Requests', 'researcher');

    const collectionId = Number(
      sqlite
        .prepare(`insert into collections (call_number, title, dates, extent, repository) values (?, ?, ?, ?, ?)`)
        .run('BENCH MSS 1', 'Benchmark papers', '1900-2000', `${options.boxes} boxes`, 'Benchmark Library').lastInsertRowid,
    );
    const addBox = sqlite.prepare(
      `insert into containers (collection_id, type, indicator, label, location, position) values (?, 'box', ?, ?, ?, ?)`,
    );
    const boxIds: number[] = [];
    for (let n = 1; n <= options.boxes; n++) boxIds.push(Number(addBox.run(collectionId, String(n), `Box ${n}`, location(n), n).lastInsertRowid));

    const addRequest = sqlite.prepare(
      `insert into requests (researcher_id, container_id, visit_date, reading_room_id, status, created_at, updated_at) values (?, ?, ?, ${ROOM}, 'scheduled', ?, ?)`,
    );
    const addEvent = sqlite.prepare(
      `insert into request_events (request_id, at, actor_id, actor_role, from_status, to_status) values (?, ?, ?, 'researcher', null, 'scheduled')`,
    );
    const request = (researcherId: number, containerId: number, date: IsoDate) => {
      const id = Number(addRequest.run(researcherId, containerId, date, nowMs, nowMs).lastInsertRowid);
      addEvent.run(id, nowMs, researcherId);
      return id;
    };
    // The pick list's day: boxes from the end of the collection, clear of the writes' boxes where there is room.
    const pickBoxes = boxIds.slice(-PICK_LIST_SIZE);
    const pickListRequestIds = pickBoxes.map((containerId, i) => request(researcherIds[i % RESEARCHERS] as number, containerId, pickListDate));
    // The reader: GEN MSS 238's first boxes on their day, so read.containers shows some taken.
    const genMss238 = sqlite.prepare(`select id from containers where collection_id = 1 and restricted = 0 order by position limit ?`).all(MY_REQUESTS) as { id: number }[];
    for (const { id } of genMss238) request(readerId, id, readerDate);

    if (options.pastRequests > 0) {
      // Past requests over the ~4 years before today, spread over every box and researcher, each
      // with its events: INSERT … SELECT from a recursive CTE, one statement for the requests and two
      // for their events.
      // The two tables' indexes are dropped meanwhile and created again from their own definitions
      // (sqlite_master): one sorted build each instead of a million random inserts.
      const indexes = sqlite
        .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name in ('requests', 'request_events') and sql is not null`)
        .all() as { name: string; sql: string }[];
      for (const { name } of indexes) sqlite.exec(`drop index "${name}"`);
      const [firstBox, firstResearcher] = [boxIds[0] as number, researcherIds[0] as number];
      sqlite
        .prepare(
          `with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ?)
           insert into requests (researcher_id, container_id, visit_date, reading_room_id, status, created_at, updated_at)
           select ? + (i % ?), ? + ((i * 7919) % ?), date(?, '-' || (1 + (i % 1460)) || ' days'), ${ROOM},
                  case when i % 10 = 0 then 'cancelled' when i % 25 = 1 then 'no_show' else 'reshelved' end,
                  ? - (1 + (i % 1460)) * 86400000, ? - (1 + (i % 1460)) * 86400000
           from n`,
        )
        .run(options.pastRequests, firstResearcher, RESEARCHERS, firstBox, options.boxes, today, nowMs, nowMs);
      sqlite
        .prepare(
          `insert into request_events (request_id, at, actor_id, actor_role, from_status, to_status)
           select id, created_at, researcher_id, 'researcher', null, 'scheduled' from requests where visit_date < ?`,
        )
        .run(today);
      // Then the rest of each one's history, as the desk and the closing time wrote it: a reshelved
      // request was paged, delivered, returned and reshelved; a no-show was marked so at closing
      // time (the system, no actor); a cancelled one was cancelled by its researcher. One statement
      // over the steps of each final status, request by request.
      sqlite
        .prepare(
          `with steps(final, step, minutes, actor, from_status, to_status) as (values
             ('reshelved', 1, 60, 'staff', 'scheduled', 'paged'),
             ('reshelved', 2, 120, 'staff', 'paged', 'delivered'),
             ('reshelved', 3, 300, 'staff', 'delivered', 'returned'),
             ('reshelved', 4, 1500, 'staff', 'returned', 'reshelved'),
             ('no_show', 1, 1080, 'system', 'scheduled', 'no_show'),
             ('cancelled', 1, 5, 'researcher', 'scheduled', 'cancelled'))
           insert into request_events (request_id, at, actor_id, actor_role, from_status, to_status)
           select r.id, r.created_at + s.minutes * 60000,
                  case s.actor when 'staff' then @staffId when 'researcher' then r.researcher_id end,
                  s.actor, s.from_status, s.to_status
           from requests r cross join steps s
           where r.visit_date < @today and s.final = r.status
           order by r.id, s.step`,
        )
        .run({ today, staffId });
      for (const { sql } of indexes) sqlite.exec(sql);
    }
    return { researcherIds, staffId, readerId, writeBoxIds: boxIds.slice(0, WRITE_BOXES), pickListRequestIds };
  });
  // A big build: no fsync per page; the server reopens the file with the real pragmas.
  sqlite.pragma('synchronous = OFF');
  const built = build();
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('analyze');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');

  const tokens = await signTokens(config, db, [
    ...built.researcherIds.map((id) => ({ id, role: 'researcher' as const })),
    { id: built.staffId, role: 'staff' },
    { id: built.readerId, role: 'researcher' },
  ]);
  await closeDatabase(db);
  // Flush what the build left in the page cache now, not during the first measurement.
  execFileSync('sync');
  return {
    databasePath,
    env,
    writeDates,
    researcherTokens: tokens.slice(0, RESEARCHERS),
    writeContainerIds: built.writeBoxIds,
    pickListDate,
    pickListRequestIds: built.pickListRequestIds,
    staffToken: tokens[RESEARCHERS] as string,
    readerToken: tokens[RESEARCHERS + 1] as string,
    readerDate,
    today,
  };
}

/** Tokens as login signs them (src/http/auth.ts issueToken), by the app itself with its secret. */
async function signTokens(config: Config, db: Database, people: { id: number; role: Role }[]): Promise<string[]> {
  const redis = createRedisProbe(config);
  const app = await buildApp({ config, db, redis, clock: () => new Date(), logger: pino({ level: 'silent' }) });
  await app.ready();
  const tokens = people.map(({ id, role }) => app.jwt.sign({ sub: String(id), role, ver: 0 }));
  await app.close();
  await redis.close();
  return tokens;
}
