import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { seedDatabase } from '../../db/seed/index.ts';
import { buildApp } from '../../src/app.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { createRedisProbe } from '../../src/redis.ts';
import { callJson, makeResearchers, nthBooking, openContainerIds, sleep, visitDates, type Answer } from '../helpers/fault-kit.ts';
import { OwnRedis } from '../helpers/redis-server.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { startPipeline } from '../helpers/workers.ts';
import { schedules } from '../../workers/schedules.ts';
import { mailsSince, messageIdOf, openOutboxRows } from '../helpers/outbox-mail.ts';


// Issue 6, fault suite: Redis stopped and restarted (empty: no persistence) while researchers
// submit requests over HTTP to an app with the real worker runtime (relay and workers, the test's
// short BullMQ timings) and a real SMTP server. No submission fails while Redis is down, and each
// requests-submitted mail arrives exactly once, by Message-ID.

const RESEARCHERS = 8;
const PAUSE_MS = 100;
const BEFORE_MS = 1_500;
const DOWN_MS = 3_000;
const AFTER_MS = 1_500;

interface Timed extends Answer {
  sentAt: number;
}

describe('Redis stopped and restarted under load', () => {
  it('no HTTP request fails while Redis is down, and every requests-submitted mail is delivered exactly once', { timeout: 60_000 }, async (t) => {
    const redis = await OwnRedis.start();
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ redisUrl: redis.url, smtpUrl: smtp.url });
    await seedDatabase(pipeline.db, pipeline.config, todayIn(pipeline.config.timezone, new Date()));
    const probe = createRedisProbe({ redisUrl: redis.url });
    const app = await buildApp({ config: pipeline.config, db: pipeline.db, redis: probe, clock: () => new Date() });
    let running = true;
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const researchers = await makeResearchers(pipeline.db, pipeline.config, RESEARCHERS, 'redis');
      const dates = await visitDates(pipeline.db, pipeline.config);
      const containers = await openContainerIds(pipeline.db);

      const answers: Timed[] = [];
      const load = researchers.map(async (researcher) => {
        for (let k = 0; running; k++) {
          const { visitDate, containerId } = nthBooking(k, [researcher], dates, containers);
          const sentAt = Date.now();
          answers.push({ sentAt, ...(await callJson(`${base}/api/v1/requests`, researcher.token, 'POST', { visitDate, containerIds: [containerId] })) });
          await sleep(PAUSE_MS);
        }
      });

      await sleep(BEFORE_MS);
      await redis.stop();
      const downFrom = Date.now();
      await sleep(DOWN_MS / 2);
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      assert.equal(ready.json().redis, 'down', 'the app sees Redis down');
      await sleep(DOWN_MS / 2);
      const downUntil = Date.now();
      await redis.restart();
      await sleep(AFTER_MS);
      running = false;
      await Promise.all(load);

      const failed = answers.filter((a) => a.status !== 201);
      assert.deepEqual(failed, [], 'every submission answered 201');
      const duringOutage = answers.filter((a) => a.sentAt >= downFrom && a.at <= downUntil);
      // Enough to say the outage was served (a round from each researcher, at least), not a speed:
      // on PostgreSQL, on a loaded machine, a round took over a second (17 answers in the 3 s).
      assert.ok(duringOutage.length >= RESEARCHERS, `submissions answered while Redis was down: ${duringOutage.length}`);
      const slowest = Math.max(...duringOutage.map((a) => a.at - a.sentAt));
      assert.ok(slowest < 3_000, `no submission waited on Redis (slowest during the outage: ${slowest} ms)`);

      const submittedMails = (await mailsSince(pipeline.db, 0)).filter((row) => row.jobName === 'requests-submitted');
      const expected = await Promise.all(submittedMails.map((row) => messageIdOf(pipeline.db, row.id)));
      assert.equal(expected.length, answers.length, 'one requests-submitted mail per submission');
      const drainFrom = Date.now();
      await smtp.waitFor(expected.length, 30_000);
      const drainMs = Date.now() - drainFrom;
      await sleep(1_500); // room for a duplicate to show up
      const counts = smtp.countsByMessageId();
      assert.deepEqual([...counts.keys()].sort(), [...expected].sort(), 'every mail arrived, and nothing else');
      const twice = [...counts].filter(([, n]) => n !== 1);
      assert.deepEqual(twice, [], 'no mail arrived twice');
      assert.equal(await openOutboxRows(pipeline.db), 0, 'every outbox row is recorded as done');
      t.diagnostic(`${answers.length} submissions (${duringOutage.length} while Redis was down, slowest then ${slowest} ms); ${smtp.messages.length} mails, the last ${drainMs} ms after the load ended`);
    } finally {
      running = false;
      await app.close();
      await probe.close();
      await pipeline.close();
      await smtp.stop();
      await redis.stop();
    }
  });

  // The job schedulers live in Redis: the workers put them back whenever their connection is ready.
  it(
    'the timed work (paging runs, reminders, closing time, nightly upkeep) is scheduled again after Redis restarts empty',
    { timeout: 30_000 },
    async () => {
      const redis = await OwnRedis.start();
      const pipeline = await startPipeline({ redisUrl: redis.url });
      try {
        const runtime = pipeline.runtime;
        assert.ok(runtime);
        const scheduled = async () => (await Promise.all(Object.values(runtime.queues).map((q) => q.getJobSchedulers()))).flat().length;
        const wanted = schedules(pipeline.config).length;
        assert.equal(await scheduled(), wanted);
        await redis.stop();
        await redis.restart();
        const deadline = Date.now() + 3_000;
        let found = 0;
        while ((found = await scheduled().catch(() => 0)) < wanted && Date.now() < deadline) await sleep(200);
        assert.equal(found, wanted, `${found} of ${wanted} job schedulers after Redis came back empty`);
      } finally {
        await pipeline.close();
        await redis.stop();
      }
    },
  );
});
