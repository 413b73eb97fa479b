import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { installationId } from '../../db/installation.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { startServer } from '../helpers/fault-kit.ts';
import { makePerson } from '../helpers/people.ts';
import { databaseEnvOf } from '../helpers/postgres.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { OwnRedisCluster } from '../helpers/redis-cluster.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { quietLog, testPolicy } from '../helpers/workers.ts';

// REDIS_CLUSTER_NODES: the reading room's queues on a Redis Cluster. BullMQ runs each operation
// as one script over many keys of a queue, which a cluster allows only within one slot: the queue
// prefix is a hash tag, and every key of the installation lands on one node.

const addressOf = (m: SmtpSink['messages'][number]) => (m.to && 'value' in m.to ? (m.to.value[0]?.address ?? '') : '');

describe('on a Redis Cluster', { timeout: 90_000 }, () => {
  let cluster: OwnRedisCluster;
  let smtp: SmtpSink;
  let room: TestReadingRoom;
  let workers: WorkerRuntime;
  let tag: string;

  before(async () => {
    cluster = await OwnRedisCluster.start();
    tag = await cluster.tagAwayFromFirstNode();
    smtp = await SmtpSink.start();
    room = await startReadingRoom({ env: { ...cluster.env(tag), SMTP_URL: smtp.url } });
    workers = await startWorkerRuntime({ config: room.config, db: room.db, clock: () => new Date(), log: quietLog, policy: testPolicy });
  });
  after(async () => {
    await workers?.close(3_000);
    await room?.close();
    await smtp?.stop();
    await cluster?.stop();
  });

  it('takes requests, sends each mail once, and keeps all of the queues on one node', async () => {
    assert.equal((await room.app.inject('/ready')).json().redis, 'up');
    const researchers = [];
    for (let i = 0; i < 5; i++) researchers.push(await makePerson(room, 'researcher', `Reader ${i}`));
    for (const [i, researcher] of researchers.entries()) {
      assert.equal((await researcher.call('POST', '/api/v1/requests', { visitDate: '2026-11-30', containerIds: [1 + i] })).statusCode, 201);
    }
    await smtp.waitFor(researchers.length, 30_000);
    await new Promise((r) => setTimeout(r, testPolicy.leaseMs * 2)); // room for a duplicate to show up
    assert.deepEqual(smtp.messages.map(addressOf).sort(), researchers.map((r) => r.email).sort());
    assert.deepEqual([...smtp.countsByMessageId().values()].filter((n) => n > 1), []);

    const keys = await cluster.keysByNode(`{${tag}}:${await installationId(room.db)}:*`);
    const holding = [...keys].filter(([, found]) => found.length > 0);
    assert.equal(holding.length, 1, 'one node holds every key of the installation');
    assert.ok(holding[0]?.[1].some((key) => key.endsWith(':notifications:completed')), 'the mail queue is among them');
    assert.ok(holding[0]?.[1].some((key) => key.includes(':paging:')), 'and the paging queue with its clock');
  });

  it('is what `npm start` finds at its start, and /ready reports it up', async () => {
    const server = await startServer({ ...cluster.env(tag), ...databaseEnvOf(room.config) });
    try {
      const ready = (await (await fetch(`${server.url}/ready`)).json()) as { redis: string };
      assert.equal(ready.redis, 'up');
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });
});
