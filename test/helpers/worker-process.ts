import { openConfiguredDatabase } from '../../db/client.ts';
import { loadConfig } from '../../src/config.ts';
import { startWorkerRuntime } from '../../workers/runtime.ts';
import { quietLog, testPolicy } from './workers.ts';

// A worker in a child process with the test's short BullMQ timings, for tests that kill it.
// Configured by the environment, like `npm run worker`. Its job lock is 5 s, not the tests' 1 s:
// a worker starved of the CPU by other work (a CI run beside other tests) would otherwise lose the
// lock of a job in the middle of its send, and send it again itself (a fresh-clone CI run saw 9
// duplicates of 8 jobs in flight); a killed worker's jobs still come back within seconds.

const config = loadConfig();
const db = await openConfiguredDatabase(config);
const runtime = await startWorkerRuntime({ config, db, clock: () => new Date(), log: quietLog, policy: { ...testPolicy, lockDurationMs: 5_000 } });
process.on('SIGTERM', () => {
  void runtime.close(3_000).then(() => process.exit(0));
});
process.stdout.write('ready\n');
