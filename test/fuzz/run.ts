import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `npm run fuzz`: the OpenAPI fuzzing of test/fuzz/openapi.test.ts with a bigger budget than CI's.
// FUZZ_CASES (default here 100,000), FUZZ_SEED (replay a run), FUZZ_ROUTES (a regular expression
// on `METHOD /path`, to chase one route) and FUZZ_CASE_LIMIT_MS pass through; so do extra
// arguments to `node --test` (e.g. `npm run fuzz -- --test-reporter=tap`).

const test = fileURLToPath(new URL('./openapi.test.ts', import.meta.url));
const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_CASES: process.env.FUZZ_CASES ?? '100000' };
console.log(`fuzzing ${env.FUZZ_CASES} cases${env.FUZZ_SEED ? ` (seed ${env.FUZZ_SEED})` : ''}${env.FUZZ_ROUTES ? ` on routes matching /${env.FUZZ_ROUTES}/` : ''}`);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), test], { env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  if (signal) console.error(`the fuzzing ended by ${signal}`);
  process.exit(code ?? 1);
});
