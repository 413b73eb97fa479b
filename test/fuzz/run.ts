import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `npm run fuzz`: the OpenAPI fuzzing of test/fuzz/openapi.test.ts and the pages' of
// test/fuzz/pages.test.ts, with bigger budgets than CI's. FUZZ_CASES (default here 100,000),
// FUZZ_PAGE_CASES (20,000), FUZZ_SEED (replay a run), FUZZ_ROUTES (a regular expression on
// `METHOD /path`, to chase one API route) and FUZZ_CASE_LIMIT_MS pass through; so do extra
// arguments to `node --test` (e.g. `npm run fuzz -- --test-reporter=tap`).

const tests = ['./openapi.test.ts', './pages.test.ts'].map((file) => fileURLToPath(new URL(file, import.meta.url)));
const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_CASES: process.env.FUZZ_CASES ?? '100000', FUZZ_PAGE_CASES: process.env.FUZZ_PAGE_CASES ?? '20000' };
console.log(
  `fuzzing ${env.FUZZ_CASES} API cases${env.FUZZ_ROUTES ? ` on routes matching /${env.FUZZ_ROUTES}/` : ''} and ${env.FUZZ_PAGE_CASES} page cases${env.FUZZ_SEED ? ` (seed ${env.FUZZ_SEED})` : ''}`,
);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...process.argv.slice(2), ...tests], { env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  if (signal) console.error(`the fuzzing ended by ${signal}`);
  process.exit(code ?? 1);
});
