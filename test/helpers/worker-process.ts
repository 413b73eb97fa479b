import { openConfiguredDatabase } from '../../db/client.ts';
import { loadConfig } from '../../src/config.ts';
import { startWorkerRuntime } from '../../workers/runtime.ts';
import { quietLog, testPolicy } from './workers.ts';

// A worker in a child process with the test's short BullMQ timings, for tests that kill it.
// Configured by the environment, like `npm run worker`.

const config = loadConfig();
const db = await openConfiguredDatabase(config);
const runtime = await startWorkerRuntime({ config, db, clock: () => new Date(), log: quietLog, policy: testPolicy });
process.on('SIGTERM', () => {
  void runtime.close(3_000).then(() => process.exit(0));
});
process.stdout.write('ready\n');
