import closeWithGrace from 'close-with-grace';
import { closeDatabase, openConfiguredDatabase } from '../db/client.ts';
import { createLog } from '../src/log.ts';
import { configurationOrExit } from '../src/startup.ts';
import { startWorkerRuntime } from './runtime.ts';

// `npm run worker`: the outbox relay and the workers alone. Run as many as you like beside the API.

const SHUTDOWN_GRACE_MS = 10_000;

const config = await configurationOrExit();
const log = createLog(config, { name: 'worker' });
const db = await openConfiguredDatabase(config);
const runtime = await startWorkerRuntime({ config, db, clock: () => new Date(), log });
log.info({ queuePrefix: config.queuePrefix }, 'workers started');

closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down');
  await runtime.close(SHUTDOWN_GRACE_MS - 1_000);
  await closeDatabase(db);
});
