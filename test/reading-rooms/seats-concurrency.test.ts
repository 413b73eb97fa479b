import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, count, countDistinct, eq, inArray, isNull } from 'drizzle-orm';
import { callJson, checkFile, freshDatabase, makeResearchers, openContainerIds, startServer, visitDates, type Answer } from '../helpers/fault-kit.ts';
import { closeDatabase, openConfiguredDatabase } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import { appointments, requests } from '../../db/tables.ts';

// The seat guarantee, from two API processes on one database (a SQLite file, or PostgreSQL under
// test:postgres): 50 researchers ask at once for the last 10 seats of a day, half by booking an
// appointment, half by requesting a box (which books their appointment). Exactly 10 get a seat, 40
// are told the room is full, and the database agrees.

describe('the last seats of a day', () => {
  it('50 researchers at once through two API processes: exactly 10 seats taken, 40 READING_ROOM_FULL, the database agrees', { timeout: 90_000 }, async () => {
    const file = await freshDatabase({ READING_ROOM_SEATS: '12' });
    const [early1, early2, ...racers] = await makeResearchers(file.db, file.config, 52, 'seat');
    const date = (await visitDates(file.db, file.config))[0]!;
    const boxes = await openContainerIds(file.db);
    await closeDatabase(file.db);
    const servers = await Promise.all([startServer(file.env), startServer(file.env)]);
    try {
      // Two seats of twelve are taken before the rush.
      for (const early of [early1!, early2!]) {
        assert.equal((await callJson(`${servers[0]!.url}/api/v1/appointments`, early.token, 'POST', { readingRoomId: 1, date })).status, 201);
      }
      const answers: Answer[] = await Promise.all(
        racers.map((researcher, i) => {
          const server = servers[i % 2]!;
          return i % 4 < 2
            ? callJson(`${server.url}/api/v1/appointments`, researcher.token, 'POST', { readingRoomId: 1, date })
            : callJson(`${server.url}/api/v1/requests`, researcher.token, 'POST', { visitDate: date, containerIds: [boxes[i % boxes.length]] });
        }),
      );
      const byStatus = new Map<number, number>();
      for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      assert.deepEqual([...byStatus].sort(), [
        [201, 10],
        [409, 40],
      ], answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => a.body).join('\n'));
      for (const refused of answers.filter((a) => a.status === 409)) {
        const body = JSON.parse(refused.body) as { code: string; message: string };
        assert.equal(body.code, 'READING_ROOM_FULL');
        assert.match(body.message, /next open day with a seat is \d{4}-\d{2}-\d{2}/);
      }
    } finally {
      for (const server of servers) await server.stop();
    }
    const db = await openConfiguredDatabase(file.config);
    try {
      const onTheDay = eq(appointments.date, date);
      const [seats] = await db.select({ n: count() }).from(appointments).where(and(onTheDay, inArray(appointments.status, ['booked', 'attended'])));
      assert.equal(seats?.n, 12, 'twelve seats taken, no more');
      const [oneEach] = await db.select({ n: countDistinct(appointments.researcherId) }).from(appointments).where(onTheDay);
      assert.equal(oneEach?.n, 12);
      const [orphans] = await db.select({ n: count() }).from(requests).where(and(eq(requests.visitDate, date), isNull(requests.appointmentId)));
      assert.equal(orphans?.n, 0, 'every request stored belongs to an appointment');
      const [stored] = await db.select({ n: count() }).from(requests).innerJoin(appointments, eq(appointments.id, requests.appointmentId)).where(eq(requests.visitDate, date));
      assert.ok((stored?.n ?? 0) <= 12, 'a refused request left no row');
    } finally {
      await closeDatabase(db);
    }
    if (!onPostgres) assert.deepEqual(checkFile(file.path), { integrity: 'ok', foreignKeyViolations: 0 });
    await file.remove();
  });
});
