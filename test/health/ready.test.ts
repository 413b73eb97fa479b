import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { installationId } from '../../db/installation.ts';
import { outbox } from '../../db/tables.ts';
import { OwnRedis } from '../helpers/redis-server.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { closeDatabase } from '../../db/client.ts';

async function ready(room: TestReadingRoom) {
  const response = await room.app.inject({ method: 'GET', url: '/ready' });
  return { status: response.statusCode, body: response.json() };
}

/** Asks /ready until Redis shows `want`, for at most a few seconds (reconnection takes a moment). */
async function waitForRedis(room: TestReadingRoom, want: 'up' | 'down') {
  const deadline = Date.now() + 8000;
  for (;;) {
    const answer = await ready(room);
    if (answer.body.redis === want || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /health', () => {
  it('answers ok', async () => {
    const room = await startReadingRoom();
    try {
      const response = await room.app.inject({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok' });
    } finally {
      await room.close();
    }
  });
});

describe('GET /ready with its own Redis', () => {
  let redis: OwnRedis;
  let room: TestReadingRoom;
  before(async () => {
    redis = await OwnRedis.start();
    room = await startReadingRoom({ env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    await room.close();
    await redis.stop();
  });

  it('reports Redis up while it answers', async () => {
    assert.deepEqual(await waitForRedis(room, 'up'), { status: 200, body: { status: 'ready', redis: 'up', outboxLagSeconds: 0, installation: await installationId(room.db) } });
  });

  it('still answers 200 with Redis down while Redis is stopped, and up again once it is back', async () => {
    await redis.stop();
    const down = await waitForRedis(room, 'down');
    assert.equal(down.status, 200);
    assert.equal(down.body.redis, 'down');

    await redis.restart();
    const up = await waitForRedis(room, 'up');
    assert.equal(up.status, 200);
    assert.equal(up.body.redis, 'up');
  });

  it('with Redis holding the connection but answering nothing, says down within seconds, and the account routes still answer', async () => {
    assert.equal((await waitForRedis(room, 'up')).body.redis, 'up');
    redis.pause();
    try {
      const asked = Date.now();
      assert.equal((await ready(room)).body.redis, 'down');
      const attempt = await room.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: 'not-a-token' } });
      assert.equal(attempt.statusCode, 400, attempt.body);
      // Each waits for the connection's one-second command timeout at most, not for Redis.
      assert.ok(Date.now() - asked < 5_000, `${Date.now() - asked} ms`);
    } finally {
      redis.resume();
    }
    assert.equal((await waitForRedis(room, 'up')).body.redis, 'up');
  });

  it('reports the age of the oldest side effect not yet completed as the outbox lag', async () => {
    const fiveMinutesAgo = new Date(THANKSGIVING_MORNING.getTime() - 300_000);
    (await room.db.$writer
      .insert(outbox)
      .values([
        { queue: 'notifications', jobName: 'test', payload: {}, createdAt: new Date(THANKSGIVING_MORNING.getTime() - 900_000), completedAt: fiveMinutesAgo },
        { queue: 'notifications', jobName: 'test', payload: {}, createdAt: fiveMinutesAgo },
      ])
      );
    assert.equal((await ready(room)).body.outboxLagSeconds, 300);
  });
});

describe('GET /ready without SQLite', () => {
  it('answers 503 NOT_READY when the database does not answer', async () => {
    const room = await startReadingRoom();
    try {
      await closeDatabase(room.db);
      const { status, body } = await ready(room);
      assert.equal(status, 503);
      assert.equal(body.code, 'NOT_READY');
      assert.equal(body.statusCode, 503);
      assert.doesNotMatch(JSON.stringify(body), /sqlite|database connection is not open/i, 'no internals leak');
    } finally {
      await room.close();
    }
  });
});
