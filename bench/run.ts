import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { mailPipeline, mailRaw } from './mail.ts';
import type { Scenario } from './stats.ts';

// `npm run bench`: every scenario and its baseline measured in the same run on the same machine.
// Load generator, servers and workers share this machine's cores: ratios, not absolute times,
// are what to compare between runs.

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);

const measured = [await mailRaw(MESSAGES), await mailPipeline(MESSAGES)];
const byName = new Map(measured.map((s) => [s.name, s]));
const scenarios: Scenario[] = measured.map((s) => ({ ...s, ratio: Math.round((s.rps / (byName.get(s.baseline)?.rps ?? s.rps)) * 100) / 100 }));

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(machine);
console.table(scenarios);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ machine, scenarios }, null, 2)}\n`);
