import closeWithGrace from 'close-with-grace';
import { closeDatabase, openConfiguredDatabase } from '../db/client.ts';
import { installationId } from '../db/installation.ts';
import { seedDatabase } from '../db/seed/index.ts';
import { openQueues, producerConnection, queueNamespace } from '../workers/queues.ts';
import { startWorkerRuntime } from '../workers/runtime.ts';
import { buildApp } from './app.ts';
import { todayIn } from './domain/calendar.ts';
import { createLog } from './log.ts';
import { createRedisProbe } from './redis.ts';
import { configurationOrExit } from './startup.ts';

// `npm start`: migrate, seed an empty database, serve the API and, with RUN_WORKERS, the workers.

const SHUTDOWN_GRACE_MS = 10_000;

const config = await configurationOrExit();
const clock = () => new Date();
const db = await openConfiguredDatabase(config);
await seedDatabase(db, config, todayIn(config.timezone, clock()));
const redis = createRedisProbe(config);
const logger = createLog(config);
const workers = config.runWorkers ? await startWorkerRuntime({ config, db, clock, log: logger }) : undefined;
// Without in-process workers, the dashboard still needs the queues (a fail-fast connection).
const dashboardConnection = workers ? undefined : producerConnection(config).on('error', () => {});
const queues = workers?.queues ?? (dashboardConnection ? openQueues(dashboardConnection, queueNamespace(config.queuePrefix, await installationId(db)), logger) : {});
const app = await buildApp({ config, db, redis, clock, queues: Object.values(queues), logger });

closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await workers?.close(SHUTDOWN_GRACE_MS - 2_000);
  dashboardConnection?.disconnect();
  await redis.close();
  await closeDatabase(db);
});

await app.listen({ port: config.port, host: config.host });
