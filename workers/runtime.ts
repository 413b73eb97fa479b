import { Worker, type Job, type Processor, type Queue } from 'bullmq';
import type { RedisConnection } from '../src/redis.ts';
import type { Database } from '../db/client.ts';
import { installationId } from '../db/installation.ts';
import type { Config } from '../src/config.ts';
import type { Clock } from '../src/domain/calendar.ts';
import { maintenanceProcessor } from './maintenance/processor.ts';
import { pagingProcessor } from './paging/processor.ts';
import { upsertSchedules } from './schedules.ts';
import { createMailer } from './notifications/mailer.ts';
import { notificationProcessor } from './notifications/processor.ts';
import { defaultPolicy, openQueues, producerConnection, queueNamespace, workerConnection, workerOptions, type Log, type QueuePolicy } from './queues.ts';
import { OutboxRelay } from './relay.ts';
import { requestsContext } from '../src/requests/moves.ts';

export interface WorkerRuntimeOptions {
  config: Config;
  db: Database;
  clock: Clock;
  log: Log;
  policy?: QueuePolicy;
}

export interface WorkerRuntime {
  /** This database's installation id, and the BullMQ prefix its queues live under. */
  installation: string;
  namespace: string;
  relay: OutboxRelay;
  queues: Record<string, Queue>;
  /** Stops taking jobs, lets active ones finish, and closes queues and Redis, in at most `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Logs every job's end: id, queue, attempt and outcome. */
function logged<T>(log: Log, queue: string, process: Processor<T>): Processor<T> {
  return async (job: Job<T>, token?: string) => {
    const started = Date.now();
    const fields = { jobId: job.id, queue, name: job.name, attempt: job.attemptsMade + 1 };
    try {
      const outcome: unknown = await process(job, token);
      log.info({ ...fields, outcome, ms: Date.now() - started }, 'job done');
      return outcome;
    } catch (error) {
      log.warn({ ...fields, outcome: 'error', err: error, ms: Date.now() - started }, 'job failed');
      throw error;
    }
  };
}

function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

const messageIdDomain = (mailFrom: string) => /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'localhost';

/** The outbox relay and the workers, as `npm run worker` runs them (and `npm start` with RUN_WORKERS). */
export async function startWorkerRuntime({ config, db, clock, log, policy = defaultPolicy }: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const producer = producerConnection(config);
  const connections: RedisConnection[] = [producer];
  const quiet = (what: string) => (error: Error) => log.debug({ err: error }, `${what}: Redis error`);
  producer.on('error', quiet('queue connection'));
  const installation = await installationId(db);
  const namespace = queueNamespace(config.queuePrefix, installation);
  const queues = openQueues(producer, namespace, log);

  const mailer = createMailer(config);
  const settings = { libraryName: config.libraryName, publicUrl: config.publicUrl };
  const ctx = requestsContext(db, config);
  const processors = {
    // Far more than the SMTP pool's connections (nodemailer queues the rest): a job also waits for
    // Redis and for its completion record's shared commit (src/outbox/store.ts completionWriter),
    // so the slots, not SMTP, would cap the rate with fewer (README, "Performance").
    notifications: { concurrency: 32, process: notificationProcessor({ db, mailer, settings, clock, installation, messageIdDomain: messageIdDomain(config.mailFrom) }) },
    paging: { concurrency: 1, process: pagingProcessor({ ctx, clock, log }) },
    maintenance: { concurrency: 1, process: maintenanceProcessor({ db, clock, log, config }) },
  };
  const workers = Object.entries(processors).map(([name, { concurrency, process }]) => {
    const connection = workerConnection(config);
    connection.on('error', quiet(`worker ${name}`));
    connections.push(connection);
    const worker = new Worker(name, logged(log, name, process as Processor), workerOptions(connection, namespace, policy, concurrency));
    worker.on('error', quiet(`worker ${name}`));
    return worker;
  });

  await upsertSchedules(queues, config);
  // A Redis that comes back empty (restarted without persistence) has lost the schedulers: put
  // them back whenever the connection is ready again.
  producer.on('ready', () => {
    upsertSchedules(queues, config).catch((error: unknown) => log.warn({ err: error }, 'could not restore the job schedulers'));
  });

  const relay = new OutboxRelay(installation, db, queues, producer, policy, clock, log);
  relay.start();

  return {
    installation,
    namespace,
    relay,
    queues,
    async close(graceMs = 8_000) {
      const deadline = Date.now() + graceMs;
      await relay.stop();
      // Without Redis a worker's close() waits for ever; past the grace period it is forced.
      if (!(await within(Promise.all(workers.map((w) => w.close())), deadline - Date.now()))) {
        log.warn('workers did not finish in time; closing them by force');
        await within(Promise.all(workers.map((w) => w.close(true))), 500);
      }
      await within(Promise.all(Object.values(queues).map((q) => q.close())), Math.max(200, deadline - Date.now()));
      mailer.close();
      for (const connection of connections) connection.disconnect();
    },
  };
}
