import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { like } from 'drizzle-orm';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { scheduledRuns } from '../../db/tables.ts';
import type { Log } from '../../workers/queues.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { makePerson } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { quietLog, testPolicy, uniqueQueuePrefix } from '../helpers/workers.ts';

// Any number of `npm run worker` on one installation: the rooms' clock ticks in whichever worker
// takes it, and a tick missed or doubled (a worker back from a pause, two taking ticks at once)
// still makes each paging run once, because the run is recorded in the same transaction as its work.

/** Friday 27 November 2026, 09:00 in New York, a pull time; and a minute before it. */
const FRIDAY_PULL = new Date('2026-11-27T14:00:00Z');
const BEFORE_PULL = new Date('2026-11-27T13:59:00Z');
/** Enough that one worker does not take them all before the other wakes. */
const TICKS = 40;

describe('two workers of one installation, each with its own connection to the database', { timeout: 60_000 }, () => {
  let smtp: SmtpSink;
  let room: TestReadingRoom;
  let secondConnection: Database;
  const runtimes: WorkerRuntime[] = [];
  /** How many ticks of the rooms' clock each worker finished, from its own log of each job's end. */
  const ticksDone = [0, 0];
  const countingLog = (i: number) =>
    ({
      ...quietLog,
      debug: () => {},
      info: (fields: { queue?: string }, message?: string) => {
        if (message === 'job done' && fields.queue === 'paging') ticksDone[i]! += 1;
      },
      warn: () => {},
      error: () => {},
    }) as unknown as Log;
  let now = BEFORE_PULL;

  before(async () => {
    smtp = await SmtpSink.start();
    room = await startReadingRoom({ env: { QUEUE_PREFIX: uniqueQueuePrefix(), SMTP_URL: smtp.url } });
    secondConnection = await openConfiguredDatabase(room.config);
    for (const [i, db] of [room.db, secondConnection].entries()) {
      runtimes.push(await startWorkerRuntime({ config: room.config, db, clock: () => now, log: countingLog(i), policy: testPolicy }));
    }
  });
  after(async () => {
    for (const runtime of runtimes) {
      await Promise.all(Object.values(runtime.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await runtime.close(3_000);
    }
    if (secondConnection) await closeDatabase(secondConnection);
    await room?.close();
    await smtp?.stop();
  });

  it('sends one pick list for a pull time, however many ticks both workers take at once', async () => {
    const researcher = await makePerson(room, 'researcher', 'Reader');
    const staff = await makePerson(room, 'staff', 'Stacks');
    assert.equal((await researcher.call('POST', '/api/v1/requests', { visitDate: '2026-11-30', containerIds: [5] })).statusCode, 201);
    await smtp.waitFor(1); // the researcher's own mail
    now = FRIDAY_PULL;
    const paging = runtimes[0]?.queues.paging;
    assert.ok(paging);
    // Forty ticks at once, as after a pause: each worker takes one at a time, so both run them together.
    const before = ticksDone[0]! + ticksDone[1]!;
    await Promise.all(Array.from({ length: TICKS }, () => paging.add('reading-room-clock', {})));
    const deadline = Date.now() + 20_000;
    while (ticksDone[0]! + ticksDone[1]! < before + TICKS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ticksDone[0]! + ticksDone[1]! >= before + TICKS, 'every tick was taken');
    assert.ok(ticksDone[0]! > 0 && ticksDone[1]! > 0, `both workers took ticks (${ticksDone.join(' and ')})`);
    await smtp.waitFor(2);
    await new Promise((r) => setTimeout(r, 1_000)); // room for a second pick list to show up

    const pickLists = smtp.messages.filter((m) => /pick list/i.test(m.subject ?? ''));
    assert.equal(pickLists.length, 1, 'one pick list');
    assert.match(pickLists[0]?.text ?? '', /Box 5\b/);
    assert.deepEqual(pickLists[0]?.to && 'value' in pickLists[0].to ? pickLists[0].to.value.map((a) => a.address) : [], [staff.email]);
    const runs = await room.db.select({ key: scheduledRuns.key }).from(scheduledRuns).where(like(scheduledRuns.key, 'paging-run:%'));
    assert.deepEqual(runs, [{ key: 'paging-run:1:2026-11-27T09:00' }]);
  });
});
