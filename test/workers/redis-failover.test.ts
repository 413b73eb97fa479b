import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { SentinelRedis } from '../helpers/redis-sentinel.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { quietLog, testPolicy, uniqueQueuePrefix } from '../helpers/workers.ts';

// REDIS_SENTINELS: the reading room finds its Redis through Sentinel, and when the master dies
// under load it goes on with the replica Sentinel promotes. Nothing waits on Redis to be told it
// succeeded, and the outbox publishes again what the dead master took but never passed on.

const VISIT = '2026-11-30';
const RESEARCHERS = 16;
const KILLED_AFTER = 5;

const addressOf = (m: SmtpSink['messages'][number]) => (m.to && 'value' in m.to ? (m.to.value[0]?.address ?? '') : '');

describe('Redis failover through Sentinel, mid-burst', { timeout: 120_000 }, () => {
  let redis: SentinelRedis;
  let smtp: SmtpSink;
  let room: TestReadingRoom;
  let workers: WorkerRuntime;
  const researchers: Person[] = [];

  before(async () => {
    redis = await SentinelRedis.start();
    smtp = await SmtpSink.start();
    room = await startReadingRoom({ env: { ...redis.env, SMTP_URL: smtp.url, QUEUE_PREFIX: uniqueQueuePrefix() } });
    workers = await startWorkerRuntime({ config: room.config, db: room.db, clock: () => new Date(), log: quietLog, policy: testPolicy });
    for (let i = 0; i < RESEARCHERS + 1; i++) researchers.push(await makePerson(room, 'researcher', `Reader ${i}`));
  });
  after(async () => {
    await workers?.close(3_000);
    await room?.close();
    await smtp?.stop();
    await redis?.stop();
  });

  it('the API answers throughout, the workers follow the new master, and every mail arrives once', async () => {
    assert.equal((await room.app.inject('/ready')).json().redis, 'up', 'the API reaches the master through the Sentinel');
    const answers: number[] = [];
    let failover: Promise<void> | undefined;
    for (const [i, researcher] of researchers.slice(0, RESEARCHERS).entries()) {
      if (i === KILLED_AFTER) failover = redis.killMasterAndWaitForFailover();
      const submitted = await researcher.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [1 + i] });
      answers.push(submitted.statusCode);
      assert.equal((await room.app.inject('/health')).statusCode, 200);
    }
    assert.deepEqual(answers, Array(RESEARCHERS).fill(201), 'every request was accepted while the master died');
    await failover;

    // After the failover, new work goes to the new master and is done there.
    const late = researchers[RESEARCHERS] as Person;
    assert.equal((await late.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [1 + RESEARCHERS] })).statusCode, 201);
    await smtp.waitFor(RESEARCHERS + 1, 60_000);
    await new Promise((r) => setTimeout(r, testPolicy.leaseMs * 2)); // room for a duplicate to show up

    assert.deepEqual(smtp.messages.map(addressOf).sort(), researchers.map((r) => r.email).sort(), 'each researcher heard once');
    assert.deepEqual([...smtp.countsByMessageId().values()].filter((n) => n > 1), [], 'no message arrived twice');
    // The probe reconnects with a backoff of up to a second; a busy machine may take some seconds more.
    const deadline = Date.now() + 30_000;
    while ((await room.app.inject('/ready')).json().redis !== 'up' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await room.app.inject('/ready')).json().redis, 'up', 'the API reaches the new master');
  });
});
