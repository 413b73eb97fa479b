import { seedDatabase } from '../../db/seed/index.ts';
import { buildApp, type App } from '../../src/app.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { createRedisProbe, type RedisProbe } from '../../src/redis.ts';
import { SmtpSink } from './smtp-sink.ts';
import { startPipeline, type TestPipeline } from './workers.ts';

export interface LiveSystem {
  app: App;
  pipeline: TestPipeline;
  smtp: SmtpSink;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The whole system on today's real date, as a person meets it: the seeded database, the real
 * workers sending to a real SMTP server, and the app listening on a port of this machine.
 */
export async function startLiveSystem(): Promise<LiveSystem> {
  const smtp = await SmtpSink.start();
  const pipeline = await startPipeline({ smtpUrl: smtp.url });
  const clock = () => new Date();
  await seedDatabase(pipeline.db, pipeline.config, todayIn(pipeline.config.timezone, clock()));
  const redis: RedisProbe = createRedisProbe(pipeline.config);
  const app = await buildApp({ config: pipeline.config, db: pipeline.db, redis, clock, queues: Object.values(pipeline.runtime?.queues ?? {}) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    pipeline,
    smtp,
    baseUrl: address,
    async close() {
      await app.close();
      await redis.close();
      await pipeline.close();
      await smtp.stop();
    },
  };
}
