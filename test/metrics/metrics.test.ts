import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outbox } from '../../db/tables.ts';
import { buildApp } from '../../src/app.ts';
import { makeAccount, signIn } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { startPipeline, type TestPipeline } from '../helpers/workers.ts';

const METRICS_TOKEN = 'a-scraper-token-of-some-length';

let room: TestReadingRoom;
let pipeline: TestPipeline;
let app: Awaited<ReturnType<typeof buildApp>>;
before(async () => {
  room = await startReadingRoom({ env: { METRICS_TOKEN } });
  pipeline = await startPipeline({ workers: false });
  // The real queues, so queue depths are read from Redis.
  await pipeline.startWorkers();
  app = await buildApp({ config: room.config, db: room.db, redis: room.redis, clock: () => THANKSGIVING_MORNING, queues: Object.values(pipeline.runtime?.queues ?? {}) });
});
after(async () => {
  await app.close();
  await pipeline.close();
  await room.close();
});

const scrape = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

describe('GET /metrics', () => {
  it('answers a scraper with METRICS_TOKEN, and refuses a wrong token or none', async () => {
    assert.equal((await scrape(`Bearer ${METRICS_TOKEN}`)).statusCode, 200);
    assert.equal((await scrape('Bearer not-the-token')).statusCode, 401);
    assert.equal((await scrape()).statusCode, 401);
  });

  it('answers an admin', async () => {
    const admin = await makeAccount(room.db, 'admin', { email: 'metrics-admin@example.org' });
    const token = await signIn(app, admin.email, admin.password);
    const response = await scrape(`Bearer ${token}`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
  });

  it('reports latency by route, responses by status, queue depths and the outbox lag', async () => {
    await app.inject({ method: 'GET', url: '/api/v1/collections/1' });
    await app.inject({ method: 'GET', url: '/api/v1/collections/999' });
    (await room.db.$writer.insert(outbox).values({ queue: 'notifications', jobName: 'verify-email', payload: {}, createdAt: new Date(THANKSGIVING_MORNING.getTime() - 90_000) }));
    const text = (await scrape(`Bearer ${METRICS_TOKEN}`)).body;
    assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/collections\/:collectionId",status_code="200"\} 1/);
    assert.match(text, /http_responses_total\{status_code="404"\} 1/);
    assert.match(text, /outbox_lag_seconds 90/);
    for (const queue of ['notifications', 'paging', 'maintenance']) assert.match(text, new RegExp(`queue_jobs\\{queue="${queue}",state="failed"\\} \\d+`));
  });
});
