import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgres } from '../../db/postgres/client.ts';
import { OwnPostgresDatabase } from '../helpers/postgres.ts';

// Not under test:postgres: it runs on a PostgreSQL database of its own under npm test.

// The seat guarantee on PostgreSQL (db/postgres/migrations/0002): bookings from many connections
// at once, as from several API machines, never take more seats than the room has.

const RESEARCHERS = 12;

describe('the seats of a reading room on PostgreSQL', { timeout: 60_000 }, () => {
  let database: OwnPostgresDatabase;

  before(async () => {
    database = await OwnPostgresDatabase.create();
    await (await openPostgres(database.url)).$client.end();
    await database.query(
      `insert into users (email, name, password_hash) select 'reader' || n || '@example.org', 'Reader ' || n, 'x' from generate_series(1, ${RESEARCHERS}) n`,
    );
    await database.query(`insert into reading_rooms (code, name, timezone, seats) values ('small', 'Small room', 'America/New_York', 3), ('open', 'Open room', 'America/New_York', null)`);
  });
  after(async () => {
    await database?.drop();
  });

  /** Every researcher books `room` on `date` at once, each on a connection of its own. */
  async function allAtOnce(room: string, date: string, isolation = 'read committed') {
    return Promise.allSettled(
      Array.from({ length: RESEARCHERS }, async (_, i) => {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          await client.query(`begin isolation level ${isolation}`);
          await client.query(
            `insert into appointments (researcher_id, reading_room_id, date, status) select u.id, r.id, $1, 'booked' from users u, reading_rooms r where u.email = $2 and r.code = $3`,
            [date, `reader${i + 1}@example.org`, room],
          );
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          await client.end();
        }
      }),
    );
  }
  const booked = async (room: string, date: string) =>
    (await database.query<{ n: number }>(`select count(*)::int as n from appointments a join reading_rooms r on r.id = a.reading_room_id where r.code = $1 and a.date = $2 and a.status in ('booked', 'attended')`, [room, date]))[0]?.n;

  it('gives the last seats to as many as there are, and refuses the rest as full', async () => {
    const outcomes = await allAtOnce('small', '2026-12-07');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      assert.equal((o.reason as { code?: string }).code, '23P01');
      assert.match(String(o.reason), /reading room full/);
    }
    assert.equal(await booked('small', '2026-12-07'), 3);
  });

  it('never oversells at REPEATABLE READ either: a late booking is a serialization failure, to be retried', async () => {
    const outcomes = await allAtOnce('small', '2026-12-08', 'repeatable read');
    const codes = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code?: string }).code);
    assert.ok(codes.every((code) => code === '23P01' || code === '40001'), codes.join(' '));
    const taken = await booked('small', '2026-12-08');
    assert.ok(taken !== undefined && taken <= 3, `${taken} seats taken of 3`);
    assert.equal(taken, outcomes.filter((o) => o.status === 'fulfilled').length);
  });

  it('lets everyone into a room without a seat limit', async () => {
    const outcomes = await allAtOnce('open', '2026-12-07');
    assert.deepEqual(outcomes.filter((o) => o.status === 'rejected'), []);
    assert.equal(await booked('open', '2026-12-07'), RESEARCHERS);
  });

  it('refuses a booking moved or brought back into a full day, and lets one keep its seat', async () => {
    const [other] = await database.query<{ id: number }>(
      `insert into appointments (researcher_id, reading_room_id, date, status) select u.id, r.id, '2026-12-09', 'booked' from users u, reading_rooms r where u.email = 'reader12@example.org' and r.code = 'small' returning id`,
    );
    await assert.rejects(database.query(`update appointments set date = '2026-12-07' where id = $1`, [other?.id]), /reading room full/);
    await database.query(`update appointments set status = 'cancelled' where id = $1`, [other?.id]);
    await database.query(`update appointments set date = '2026-12-07' where id = $1`, [other?.id]);
    await assert.rejects(database.query(`update appointments set status = 'booked' where id = $1`, [other?.id]), /reading room full/);
    const [holder] = await database.query<{ id: number }>(`select a.id from appointments a join reading_rooms r on r.id = a.reading_room_id where r.code = 'small' and a.date = '2026-12-07' and a.status = 'booked' limit 1`);
    await database.query(`update appointments set status = 'attended', checked_in_at = now() where id = $1`, [holder?.id]);
    assert.equal(await booked('small', '2026-12-07'), 3);
  });
});
