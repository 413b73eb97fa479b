import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { summarise } from './stats.ts';

/**
 * `import.bulk`: `npm run cli -- collections:import` (as a child process, as an operator runs it)
 * over `files` finding aids, the shared EAD fixtures again and again, each copy a collection of
 * its own (its first archdesc/did/unitid and its eadid rewritten). Files per second, each file's
 * time (between two of the command's lines), and the child's peak RSS (VmHWM) after the first
 * 100 files and at the last: equal when memory stays flat with the number of files.
 */
export async function bulkImport(folder: string, files: number) {
  const fixtures = resolve('../shared/fixtures/ead');
  const names = readdirSync(fixtures).filter((f) => f.endsWith('.xml')).sort();
  const documents = join(folder, 'finding-aids');
  mkdirSync(documents);
  for (let i = 0; i < files; i++) {
    // latin1 both ways keeps every byte of a document as it is, whatever its encoding.
    const text = readFileSync(join(fixtures, names[i % names.length] as string), 'latin1');
    writeFileSync(join(documents, `${String(i).padStart(5, '0')}.xml`), asNewCollection(text, i), 'latin1');
  }

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'collections:import', documents], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(folder, 'bulk-import.sqlite') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const latencies: number[] = [];
  const failures: string[] = [];
  let rssAt100 = 0;
  let rssAtEnd = 0;
  let started = 0;
  let last = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.includes(': failed: ')) failures.push(line);
    if (!/\.xml: /.test(line)) continue;
    const now = performance.now();
    if (latencies.length === 0 && started === 0) started = now;
    else latencies.push(now - last);
    last = now;
    const done = latencies.length + 1;
    if (done === 100) rssAt100 = peakRss();
    if (done === files) rssAtEnd = peakRss();
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || failures.length > 0) throw new Error(`import.bulk: the command exited ${code}; ${failures.slice(0, 3).join('; ')}`);
  // The first file's own time is lost to the child's start; the rate is over the other files.
  const figures = summarise('import.bulk', latencies, latencies.length, last - started, 'import.bulk');
  return { figures, rssAt100, rssAtEnd };
}

/** A fixture under a call number and an EAD id of its own. */
function asNewCollection(text: string, i: number): string {
  const archdesc = text.search(/<archdesc[\s>]/);
  const unitid = /(<unitid[^>]*>)[\s\S]*?(<\/unitid>)/.exec(text.slice(archdesc));
  if (archdesc < 0 || !unitid) throw new Error('a fixture without archdesc/did/unitid');
  const at = archdesc + unitid.index;
  const renamed = `${text.slice(0, at)}${unitid[1]}BENCH ${i}${unitid[2]}${text.slice(at + unitid[0].length)}`;
  return renamed.replace(/(<(eadid|recordid)[^>]*>)[\s\S]*?(<\/\2>)/, `$1bench-${i}$3`);
}
