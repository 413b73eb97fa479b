import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeDatabase, openConfiguredDatabase } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import {
  callJson,
  checkFile,
  freshDatabase,
  makeResearchers,
  nthBooking,
  openContainerIds,
  assertAcknowledgedKept,
  sleep,
  startServer,
  visitDates,
  type Acknowledged,
  type Answer,
} from '../helpers/fault-kit.ts';

// Issue 6, fault suite: `kill -9` of the API during a burst of writes. Every request that got a
// 201 is in the database with its events and its mail in the outbox, a SQLite file passes
// `PRAGMA integrity_check`, and `npm start` starts again on the database.

const RESEARCHERS = 40;
const ACKS_BEFORE_KILL = 150;

describe('kill -9 of the API during a burst of writes', () => {
  it('every 201 survives with its events and outbox row, integrity_check is ok, and the server starts again on the file', { timeout: 60_000 }, async (t) => {
    const file = await freshDatabase();
    const researchers = await makeResearchers(file.db, file.config, RESEARCHERS, 'crash');
    const dates = await visitDates(file.db, file.config);
    const containers = await openContainerIds(file.db);
    await closeDatabase(file.db); // from here on only the server writes
    const env = file.env;
    const server = await startServer(env);
    let killing = false;
    try {
      const acknowledged: Acknowledged[] = [];
      const beforeKill: Answer[] = [];
      let inFlight = 0;

      // Each researcher submits one request after another (a new date each time): 40 in parallel.
      const burst = researchers.map(async (researcher) => {
        for (let k = 0; !killing; k++) {
          const { visitDate, containerId } = nthBooking(k, [researcher], dates, containers);
          inFlight += 1;
          const answer = await callJson(`${server.url}/api/v1/requests`, researcher.token, 'POST', { visitDate, containerIds: [containerId] });
          inFlight -= 1;
          if (answer.status === 201) {
            for (const item of JSON.parse(answer.body).items as { id: number; status: string }[]) {
              acknowledged.push({ id: item.id, researcherId: researcher.id, status: item.status });
            }
          }
          if (!killing) beforeKill.push(answer);
        }
      });

      const deadline = Date.now() + 20_000;
      while (acknowledged.length < ACKS_BEFORE_KILL && Date.now() < deadline) await sleep(5);
      assert.ok(acknowledged.length >= ACKS_BEFORE_KILL, `only ${acknowledged.length} requests acknowledged in 20 s`);
      killing = true;
      const inFlightAtKill = inFlight;
      const exit = await server.kill();
      await Promise.all(burst);

      assert.equal(exit.signal, 'SIGKILL');
      assert.ok(inFlightAtKill > 0, 'the kill came while requests were in flight');
      const refused = beforeKill.filter((a) => a.status !== 201);
      assert.deepEqual(refused, [], 'before the kill every submission was accepted');

      // The database as the next process finds it (opening a SQLite file recovers the WAL).
      if (!onPostgres) assert.deepEqual(checkFile(file.path), { integrity: 'ok', foreignKeyViolations: 0 });
      const db = await openConfiguredDatabase(file.config);
      try {
        const stored = await assertAcknowledgedKept(db, acknowledged);
        t.diagnostic(`${acknowledged.length} requests acknowledged, ${inFlightAtKill} in flight at the kill; ${stored} stored (${stored - acknowledged.length} committed but never answered)`);
      } finally {
        await closeDatabase(db);
      }

      // `npm start` on the same database: it answers, reads what was acknowledged, and takes new writes.
      const again = await startServer(env);
      try {
        const sample = acknowledged[acknowledged.length - 1] as Acknowledged;
        const owner = researchers.find((r) => r.id === sample.researcherId);
        assert.ok(owner);
        const read = await callJson(`${again.url}/api/v1/requests/${sample.id}`, owner.token, 'GET');
        assert.equal(read.status, 200, read.body);
        assert.equal(JSON.parse(read.body).status, sample.status);
        const { visitDate, containerId } = nthBooking(1_000, [owner], dates, containers);
        const fresh = await callJson(`${again.url}/api/v1/requests`, owner.token, 'POST', { visitDate, containerIds: [containerId] });
        assert.equal(fresh.status, 201, fresh.body);
      } finally {
        const stopped = await again.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    } finally {
      killing = true;
      await server.kill();
      await file.remove();
    }
  });
});
