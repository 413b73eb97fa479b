import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { installationId } from '../../db/installation.ts';
import { roomClock } from '../../src/paging/runs.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { openPostgres } from '../../db/postgres/client.ts';
import { ok } from '../helpers/answers.ts';
import { runScript } from '../helpers/child.ts';
import { OwnPostgresDatabase } from '../helpers/postgres.ts';
import { callJson, startServer, visitDates } from '../helpers/fault-kit.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makeReportHistory, type ReportHistory } from '../helpers/report-history.ts';
import { uniqueQueuePrefix } from '../helpers/workers.ts';

// Not under test:postgres: it copies a SQLite database into PostgreSQL databases of its own.

// `npm run cli -- db:copy`: a SQLite installation made through the API moved into PostgreSQL,
// checked table by table; refused into a database that holds data; nothing kept when a table
// reads back differently.

/** The tables of a database made by the suite, and how many rows each has, counted by SQLite itself. */
function sqliteCounts(room: TestReadingRoom): Record<string, number> {
  const tables = room.db.$client
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name not like 'search_entries_%'`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.sort().map((t) => [t, room.db.$client.prepare(`select count(*) from "${t}"`).pluck().get() as number]));
}

async function postgresCounts(database: OwnPostgresDatabase, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = (await database.query<{ n: number }>(`select count(*)::int as n from "${table}"`))[0]?.n ?? -1;
  return counts;
}

const copy = (from: string, to: string) => runScript('src/cli.ts', { NODE_ENV: 'test' }, ['db:copy', '--from', `sqlite:${from}`, '--to', to]);

describe('db:copy from SQLite into PostgreSQL', { timeout: 120_000 }, () => {
  let room: TestReadingRoom;
  let expected: Record<string, number>;
  let history: ReportHistory;
  /** A researcher with no visit booked. */
  let eve: Person;
  const databases: OwnPostgresDatabase[] = [];
  const newDatabase = async () => {
    const database = await OwnPostgresDatabase.create();
    databases.push(database);
    return database;
  };

  before(async () => {
    room = await startReadingRoom();
    history = await makeReportHistory(room);
    const { staff, curator, admin, researcher } = history;
    // Two visits booked on one day, then fewer seats than that: the copy carries it as it is.
    const other = await makePerson(room, 'researcher', 'Dora');
    eve = await makePerson(room, 'researcher', 'Eve');
    for (const [who, box] of [[researcher, 10], [other, 11]] as const) ok(await who.call('POST', '/api/v1/requests', { visitDate: '2026-12-14', containerIds: [box] }), 201);
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 1 }));
    // What the history leaves out: a note, a saved box, a class session.
    ok(await staff.call('POST', '/api/v1/requests/1/notes', { text: 'Corner torn; handle with "care"', visibility: 'staff' }), 201);
    ok(await researcher.call('POST', '/api/v1/me/saved', { containerId: 7 }), 201);
    ok(
      await curator.call('POST', '/api/v1/class-sessions', {
        readingRoomId: 1,
        date: '2026-12-10',
        startTime: '10:00',
        endTime: '11:30',
        title: 'Revolutionary presses — seminar',
        instructorName: 'Dana Instructor',
        instructorEmail: 'dana@example.edu',
        headcount: 12,
        containerIds: [8, 9],
      }),
      201,
    );
    ok(await room.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: 'new.reader@example.org', password: 'a long enough passphrase', name: 'New Reader' } }), 202);
    // A pull time of Monday's: the rooms' clock records its paging run (and the reminders' run).
    assert.ok((await roomClock(requestsContext(room.db, room.config), localInstant('2026-12-07', '09:00'))).some((r) => r.run === 'paging-run 09:00'));
    expected = sqliteCounts(room);
  });
  after(async () => {
    await room?.close();
    for (const database of databases) await database.drop();
  });

  it('copies every table of a database the suite made, each read back the same, as the same installation', async () => {
    const target = await newDatabase();
    const run = copy(room.config.databasePath, target.url);
    const { code, stderr } = await run.exit;
    assert.equal(code, 0, stderr);
    const empty = Object.entries(expected).filter(([, n]) => n === 0).map(([t]) => t);
    assert.deepEqual(empty, ['oai_harvests', 'request_components'], 'the history fills every other table (harvests and folder requests are copied as the rest)');

    assert.deepEqual(await postgresCounts(target, Object.keys(expected)), expected, 'each table has as many rows as in SQLite');
    const lines = run.stdout().trim().split('\n');
    for (const table of Object.keys(expected)) {
      const line = lines.find((l) => l.startsWith(`${table} `));
      assert.match(line ?? '', new RegExp(`^${table}\\s+${expected[table]} rows\\s+[0-9a-f]{32}\\s+same$`), `${table} is reported`);
    }
    assert.match(lines.at(-1) ?? '', new RegExp(`^Copied installation ${await installationId(room.db)} into postgres://\\*\\*\\*@`));

    const [installation] = await target.query<{ id: string }>('select id from installation');
    assert.equal(installation?.id, await installationId(room.db), 'the same installation: its queues and Message-IDs go on');
    const [event] = await target.query<{ at: Date; note: string | null }>(`select at, note from request_events order by id limit 1`);
    const sqliteEvent = room.db.$client.prepare('select at, note from request_events order by id limit 1').get() as { at: number; note: string | null };
    assert.deepEqual(event, { at: new Date(sqliteEvent.at), note: sqliteEvent.note });
    const [note] = await target.query<{ text: string }>('select text from request_notes');
    assert.equal(note?.text, 'Corner torn; handle with "care"');
    const [payload] = await target.query<{ payload: unknown }>('select payload from outbox order by id limit 1');
    assert.deepEqual(payload?.payload, JSON.parse(room.db.$client.prepare('select payload from outbox order by id limit 1').pluck().get() as string));
    const found = await target.query(`select entry from search_entries where words @@ plainto_tsquery('simple', folded('drafts'))`);
    assert.equal(found.length, 1, 'the imported finding aid is searchable on PostgreSQL');

    // New rows take the next ids: the copied ids did not leave the sequences behind.
    const [user] = await target.query<{ id: number }>(`insert into users (email, name, password_hash) values ('new@example.org', 'New', 'x') returning id`);
    assert.equal(user?.id, (expected.users ?? 0) + 1);
  });

  it('serves the reading room once copied: npm start on it answers as on SQLite, signs people in with their passwords, and takes new work', async () => {
    const target = await newDatabase();
    const copied = await copy(room.config.databasePath, target.url).exit;
    assert.equal(copied.code, 0, copied.stderr);
    // The same installation on PostgreSQL: its JWT secret is the file beside the SQLite database.
    const server = await startServer({ DATABASE_PATH: room.config.databasePath, DATABASE_URL: target.url, QUEUE_PREFIX: uniqueQueuePrefix() });
    try {
      const { researcher, staff, curator } = history;
      // What the history's people read, as the SQLite installation answers it: the same on the copy.
      const reads: [Person, string][] = [
        [researcher, '/api/v1/me'],
        [researcher, '/api/v1/requests?limit=100'],
        [researcher, '/api/v1/requests/1/events'],
        [researcher, '/api/v1/me/saved'],
        [staff, '/api/v1/requests?visitDate=2026-12-14'],
        [staff, '/api/v1/requests/1/notes'],
        [staff, '/api/v1/paging/pick-list?date=2026-12-14'],
        [curator, '/api/v1/reports/service?from=2026-11-01&to=2026-12-31'],
        [curator, '/api/v1/class-sessions?from=2026-12-01&to=2026-12-31'],
        [researcher, '/api/v1/reading-rooms'],
        [researcher, '/api/v1/search?q=drafts'],
      ];
      for (const [person, path] of reads) {
        const onSqlite = await person.call('GET', path);
        assert.equal(onSqlite.statusCode, 200, `${path} on SQLite: ${onSqlite.body}`);
        const onCopy = await callJson(`${server.url}${path}`, person.token, 'GET');
        assert.equal(onCopy.status, 200, `${path} on the copy: ${onCopy.body}`);
        assert.deepEqual(JSON.parse(onCopy.body), onSqlite.json(), `${path} answers the same on the copy`);
      }

      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: researcher.email, password: researcher.password }),
      });
      assert.equal(login.status, 200, 'a password set on SQLite signs in on the copy');
      const token = ((await login.json()) as { accessToken: string }).accessToken;

      // New work on a day the researcher may book today: the next request id, its mail in the outbox.
      const [visitDate] = await visitDates(room.db, room.config);
      const made = await callJson(`${server.url}/api/v1/requests`, token, 'POST', { visitDate, containerIds: [12] });
      assert.equal(made.status, 201, made.body);
      const [request] = (JSON.parse(made.body) as { items: { id: number; status: string }[] }).items;
      assert.deepEqual(request, { ...request, id: (expected.requests ?? 0) + 1, status: 'scheduled' });
      const mailed = await target.query<{ n: number }>(`select count(*)::int as n from outbox where job_name = 'requests-submitted' and (payload -> 'data' ->> 'visitDate') = $1`, [visitDate]);
      assert.deepEqual(mailed, [{ n: 1 }]);
      // Seats lowered below a day's bookings keep them, and take no more (the seats trigger holds on the copy).
      const full = await callJson(`${server.url}/api/v1/appointments`, eve.token, 'POST', { readingRoomId: 1, date: '2026-12-14' });
      assert.equal(full.status, 409, full.body);
      assert.equal(JSON.parse(full.body).code, 'READING_ROOM_FULL');
    } finally {
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
  });

  it('refuses a database that already holds an installation, and changes nothing there', async () => {
    const target = await newDatabase();
    assert.equal((await copy(room.config.databasePath, target.url).exit).code, 0);
    const before = await postgresCounts(target, Object.keys(expected));
    const again = await copy(room.config.databasePath, target.url).exit;
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the target database is not empty: table \w+ has \d+ rows/);
    assert.deepEqual(await postgresCounts(target, Object.keys(expected)), before);
  });

  it('keeps nothing when a table reads back differently, and says which', async () => {
    // A target that alters what it is given, as a lossy column type or someone else's trigger would.
    const altered = await newDatabase();
    await (await openPostgres(altered.url)).$client.end();
    await altered.query(`create function shout() returns trigger language plpgsql as $$ begin new.name := upper(new.name); return new; end $$`);
    await altered.query(`create trigger shout before insert on users for each row execute function shout()`);
    const run = copy(room.config.databasePath, altered.url);
    const { code, stderr } = await run.exit;
    assert.equal(code, 1);
    assert.match(run.stdout(), /^users\s+\d+ rows\s+[0-9a-f]{32}\s+DIFFERENT$/m);
    assert.match(stderr, /Nothing was kept: users read back differently/);
    assert.deepEqual(await altered.query('select count(*)::int as n from users'), [{ n: 0 }]);
    assert.deepEqual(await altered.query('select count(*)::int as n from requests'), [{ n: 0 }]);
  });

  it('says what it needs when its arguments are wrong, without repeating a password', async () => {
    const cases: [string[], RegExp][] = [
      [['db:copy'], /db:copy needs --from sqlite:FILE/],
      [['db:copy', '--from', room.config.databasePath, '--to', 'postgres://x@localhost/y'], /db:copy needs --from sqlite:FILE/],
      [['db:copy', '--from', 'sqlite:/no/such/file.sqlite', '--to', 'postgres://x@localhost/y'], /there is no file \/no\/such\/file\.sqlite/],
      [['db:copy', '--from', `sqlite:${room.config.databasePath}`, '--to', 'mysql://root:hunter2@localhost/y'], /db:copy needs --to postgres:\/\//],
      [['db:copy', '--from', `sqlite:${room.config.databasePath}`, '--to', 'postgres://root:hunter2@127.0.0.1:1/y'], /--to: could not reach or migrate postgres:\/\/\*\*\*@127\.0\.0\.1:1\/y: .*ECONNREFUSED/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runScript('src/cli.ts', { NODE_ENV: 'test' }, args).exit));
    for (const [i, [args, message]] of cases.entries()) {
      const { code, stderr } = runs[i] as (typeof runs)[number];
      assert.equal(code, 1, args.join(' '));
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /hunter2/);
    }
  });
});
