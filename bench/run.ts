import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { buildFindingAids, COMPONENTS_PER_FINDING_AID, FILES_PER_SERIES, FINDING_AIDS, SERIES } from './finding-aids.ts';
import { bookAtOnce, bookingsWithRequests, describeGuarantee, GUARANTEE_SEATS, type SeatGuarantee } from './appointments.ts';
import { bulkImport } from './bulk-import.ts';
import { buildFixture, MY_REQUESTS, PICK_LIST_SIZE, RESEARCHERS, WRITE_BOXES, type Fixture } from './fixtures.ts';
import { readingRoomDay, submissions } from './loads.ts';
import { measureHttp, startServer, CONNECTIONS, type HttpFigures, type Load, type ServerProcess } from './http.ts';
import { describeMachine, foreignCpuMeter, loadAverage, waitForQuiet } from './machine.ts';
import { mailPipeline, mailRaw } from './mail.ts';
import { durableInsert } from './sqlite.ts';
import { copiedToPostgres, postgresDurableInsert } from './postgres.ts';
import { eadBareParse, eadImport, eadRead } from './ead.ts';
import { describeYear, reportScenarios } from './reports.ts';
import type { Scenario } from './stats.ts';

// `npm run bench`: every scenario and its baseline measured in the same run on the same machine.
// Load generator, servers and workers share this machine's cores: ratios, not absolute times,
// are what to compare between runs.
//
// Knobs: BENCH_SECONDS (10) per HTTP scenario and for the durable inserts, BENCH_WARMUP_SECONDS (2)
// before each HTTP scenario, BENCH_MESSAGES (10,000) per mail scenario, BENCH_PAST_REQUESTS
// (1,000,000) in the scale database, BENCH_ONLY=name,name to run some scenarios (their baselines
// too, or their ratio is left empty), BENCH_CPU_PROF=<folder> for V8 profiles of the servers,
// BENCH_QUIET_SECONDS (30): how long each scenario may wait for other processes to leave the CPU,
// BENCH_IMPORT_FILES (1,000): finding aids imported by import.bulk. The PostgreSQL scenarios
// (write.requests.postgres.1, .2, .4 and postgres.durable-insert, bench/postgres.ts) use the
// server at TEST_POSTGRES_URL, else 127.0.0.1:5432 as user postgres. The report scenarios
// (bench/reports.ts) repeat their report for BENCH_SECONDS, at least 3 times, on the scale database.

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const PAST_REQUESTS = Number(process.env.BENCH_PAST_REQUESTS ?? 1_000_000);
/** The scale database holds this many containers in all (GEN MSS 238's 29 among them). */
const SCALE_CONTAINERS = 100_000;
const GEN_MSS_238_CONTAINERS = 29;
const QUIET_SECONDS = Number(process.env.BENCH_QUIET_SECONDS ?? 30);
const IMPORT_FILES = Number(process.env.BENCH_IMPORT_FILES ?? 1000);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
/** A scenario is wanted when named, or when a name it extends is (`read.search` runs `read.search.common`). */
const wanted = (name: string) => !only || only.some((o) => name === o || name.startsWith(`${o}.`));

/** The issue's targets: the lowest acceptable ratio to the baseline. */
const targets: Record<string, number> = {
  'http.health': 0.6,
  'read.containers': 0.5,
  'read.my-requests': 0.5,
  'write.requests': 0.5,
  'write.appointments': 0.4,
  'read.pick-list': 0.5,
  'read.search': 0.3,
  'mail.pipeline': 0.6,
  'scale.write-at-1M': 0.8,
  'import.ead': 0.3,
};

const machine = describeMachine();
console.log(machine);
console.log(`Load average at the start: ${loadAverage()}\n`);
console.log(`HTTP scenarios: autocannon, ${CONNECTIONS} connections, no pipelining, ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up, against src/server.ts (RUN_WORKERS=false) on a temporary database and the real Redis.`);
console.log('The load generator (this process) and the server share the machine\'s cores: figures are ratios to baselines measured in this run.\n');

type Figures = Omit<Scenario, 'ratio'> & { failed?: number; statusCodes?: string; otherCpu: number; serverUs?: number; loadUs?: number };
const measured: Figures[] = [];
const record = <T extends Figures>(figures: T): T => {
  measured.push(figures);
  console.log(
    `${figures.name.padEnd(26)} ${String(figures.rps).padStart(9)} /s   p50 ${figures.p50ms} ms   p99 ${figures.p99ms} ms${figures.serverUs === undefined ? '' : `   CPU an answer: server ${figures.serverUs} µs, load generator ${figures.loadUs} µs`}   (other processes: ${figures.otherCpu}% of the CPU)`,
  );
  return figures;
};
/** Before a scenario: a moment for the machine to be quiet, or a word that it is not. */
async function quiet(name: string) {
  const share = await waitForQuiet(QUIET_SECONDS);
  if (share >= 10) console.warn(`  (other processes still use ${share}% of the CPU as ${name} starts)`);
}
/** An in-process scenario, with the CPU other processes used meanwhile. */
async function inProcess(name: string, figures: () => Omit<Scenario, 'ratio'> | Promise<Omit<Scenario, 'ratio'>>) {
  if (!wanted(name)) return;
  await quiet(name);
  const foreign = foreignCpuMeter();
  const result = await figures();
  record({ ...result, otherCpu: foreign() });
}

const folder = mkdtempSync(join(tmpdir(), 'reading-room-bench-'));
const cleanUp = () => rmSync(folder, { recursive: true, force: true });
process.on('exit', cleanUp);

interface HttpOptions {
  /** Run before the load: the scenario measures the wrong thing unless it passes. */
  check?: (url: string) => Promise<void>;
  /** The server's entry point (src/server.ts, or a bench server), and the path that answers once it is up. */
  entry?: string;
  readyPath?: string;
  /** API processes on the one database, the load shared among them. */
  processes?: number;
}

/** One HTTP scenario against servers of its own (one unless said), stopped afterwards. */
async function http(name: string, baseline: string, fixture: Pick<Fixture, 'env'>, load: Load, options: HttpOptions = {}): Promise<HttpFigures | undefined> {
  if (!wanted(name)) return undefined;
  const { check, entry = 'src/server.ts', readyPath = '/health', processes = 1 } = options;
  const servers: ServerProcess[] = [];
  try {
    // One after the other: each applies the migrations at start.
    while (servers.length < processes) servers.push(await startServer(entry, fixture.env, readyPath));
    await check?.(servers[0]!.url);
    await quiet(name);
    const figures = record(await measureHttp(name, baseline, servers, load, SECONDS, WARMUP_SECONDS));
    if (figures.failed > 0) console.warn(`  ${name}: ${figures.failed} requests failed (${figures.statusCodes}); rps counts 2xx answers only`);
    return figures;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** `seats.guarantee` is not a rate: its outcome is reported beside the table. */
let seatGuarantee: SeatGuarantee | undefined;

const get = (path: string, token?: string): autocannon.Request => ({ method: 'GET', path, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });

/** An answer's `items` must hold `count` entries, or the scenario measures the wrong thing. */
const expectItems = (path: string, count: number, token?: string) => async (url: string) => {
  const answer = await fetch(url + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const body = (await answer.json()) as { items?: unknown[] };
  if (answer.status !== 200 || body.items?.length !== count) throw new Error(`${path} answered ${answer.status} with ${body.items?.length} items, not ${count}`);
};

try {
  await inProcess('sqlite.durable-insert', () => durableInsert(folder, SECONDS));
  await inProcess('mail.raw', () => mailRaw(MESSAGES));
  await inProcess('ead.bare-parse', () => eadBareParse(SECONDS));
  await inProcess('ead.read', () => eadRead(SECONDS));
  await inProcess('import.ead', () => eadImport(mkdtempSync(join(folder, 'import-')), SECONDS));

  const mainFolder = mkdtempSync(join(folder, 'main-'));
  let started = performance.now();
  const main = await buildFixture(mainFolder, { boxes: WRITE_BOXES, pastRequests: 0 });
  console.log(`(database: ${RESEARCHERS} researchers, ${WRITE_BOXES} boxes, a pick list of ${PICK_LIST_SIZE}, in ${Math.round(performance.now() - started)} ms)`);

  await http('http.bare', 'http.bare', main, { request: get('/health') }, { entry: 'bench/bare-health.ts' });
  await http('http.health', 'http.bare', main, { request: get('/health') });
  const containersPath = `/api/v1/collections/1/containers?date=${main.readerDate}`;
  await http('read.containers', 'http.health', main, { request: get(containersPath) }, { check: expectItems(containersPath, GEN_MSS_238_CONTAINERS) });
  await http('read.my-requests', 'http.health', main, { request: get('/api/v1/requests', main.readerToken) }, { check: expectItems('/api/v1/requests', MY_REQUESTS, main.readerToken) });
  await http('write.requests', 'write-ceiling', main, submissions(main));
  if (wanted('write.appointments')) {
    // A booking with requests is one submission by a researcher with no appointment that day, which
    // books it in the same transaction: the researcher's pages book no other way. submissions()
    // pairs a researcher with a day again only after 4,001 × the open days, so each one books; on a
    // database of its own, as on write.requests' it would repeat those submissions and be refused.
    const booking = await buildFixture(mkdtempSync(join(folder, 'appointments-')), { boxes: WRITE_BOXES, pastRequests: 0 });
    await http('write.appointments', 'sqlite.durable-insert', booking, submissions(booking));
    console.log(`  (write.appointments: ${(await bookingsWithRequests(booking.databasePath)).toLocaleString('en')} requests made, warm-up included, each with an appointment of its own)`);
  }
  if (wanted('write.requests.postgres')) {
    // Issue 18: the same submissions on PostgreSQL from 1, 2 and 4 API processes, against
    // write.requests (SQLite, one process). Each count on a copy of its own of one bench database
    // (db:copy's code), as submissions() would repeat those of the last and be refused.
    await inProcess('postgres.durable-insert', () => postgresDurableInsert(SECONDS));
    const source = await buildFixture(mkdtempSync(join(folder, 'postgres-')), { boxes: WRITE_BOXES, pastRequests: 0 });
    for (const processes of [1, 2, 4]) {
      const database = await copiedToPostgres(source);
      try {
        await http(`write.requests.postgres.${processes}`, 'write.requests', database, submissions(database), { processes });
      } finally {
        await database.drop();
      }
    }
  }
  const rawPath = `/raw/pick-list?date=${main.pickListDate}`;
  await http('raw.pick-list', 'raw.pick-list', main, { request: get(rawPath) }, { check: expectItems(rawPath, PICK_LIST_SIZE), entry: 'bench/raw-pick-list.ts', readyPath: rawPath });
  const pickPath = `/api/v1/paging/pick-list?date=${main.pickListDate}`;
  await http('read.pick-list', 'raw.pick-list', main, { request: get(pickPath, main.staffToken) }, { check: expectItems(pickPath, PICK_LIST_SIZE, main.staffToken) });

  if (wanted('mixed.day')) {
    // A database of its own: the day's writes must not meet those of write.requests.
    const day = await buildFixture(mkdtempSync(join(folder, 'day-')), { boxes: WRITE_BOXES, pastRequests: 0 });
    await http('mixed.day', 'http.health', day, readingRoomDay(day));
  }

  if (wanted('read.search') || wanted('read.tree')) {
    const aids = await buildFindingAids(mkdtempSync(join(folder, 'finding-aids-')));
    const components = (FINDING_AIDS * COMPONENTS_PER_FINDING_AID).toLocaleString('en');
    console.log(`(finding aids: ${FINDING_AIDS} of ${COMPONENTS_PER_FINDING_AID.toLocaleString('en')} components, ${components} in all, in ${aids.buildMs} ms; "${aids.rareWord}" is in ${aids.rareHits} entries, "${aids.commonWord}" in ${aids.commonHits.toLocaleString('en')})`);
    const searchPath = (word: string) => `/api/v1/search?q=${word}`;
    await http('read.search', 'http.health', aids, { request: get(searchPath(aids.rareWord)) }, { check: expectItems(searchPath(aids.rareWord), Math.min(50, aids.rareHits)) });
    // Each request a word not asked before: what a search costs when no answer is kept.
    let next = 0;
    const varied = { method: 'GET' as const, path: searchPath(aids.rareWord), setupRequest: (request: autocannon.Request) => ({ ...request, path: searchPath(aids.rareWords[next++ % aids.rareWords.length]!) }) };
    await http('read.search.varied', 'http.health', aids, { request: varied });
    await http('read.search.common', 'http.health', aids, { request: get(searchPath(aids.commonWord)) }, { check: expectItems(searchPath(aids.commonWord), 50) });
    const topPath = `/api/v1/collections/${aids.collectionId}/components`;
    await http('read.tree', 'http.health', aids, { request: get(topPath) }, { check: expectItems(topPath, SERIES) });
    const seriesPath = `${topPath}?parentId=${aids.seriesId}`;
    await http('read.tree.series', 'http.health', aids, { request: get(seriesPath) }, { check: expectItems(seriesPath, FILES_PER_SERIES) });
  }

  if (wanted('seats.guarantee')) {
    // No boxes: appointments only. Two API processes on one database file, as a library running two
    // servers would: what guards the last seat must be SQLite's write lock, not anything one process keeps.
    const rooms = await buildFixture(mkdtempSync(join(folder, 'seats-')), { boxes: 0, pastRequests: 0, seats: GUARANTEE_SEATS });
    const servers: ServerProcess[] = [];
    try {
      // One after the other: each applies the migrations at start.
      while (servers.length < 2) servers.push(await startServer('src/server.ts', rooms.env, '/health'));
      await quiet('seats.guarantee');
      seatGuarantee = await bookAtOnce(rooms, servers.map((server) => server.url));
      console.log(describeGuarantee(seatGuarantee));
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  await inProcess('mail.pipeline', () => mailPipeline(MESSAGES));

  // The scale database, built once for the scenarios that want it: the reports read it first,
  // before scale.write-at-1M adds its requests (days ahead, outside the reports' year).
  let scale: Fixture | undefined;
  const scaleDatabase = async (): Promise<Fixture> => {
    if (scale) return scale;
    started = performance.now();
    scale = await buildFixture(mkdtempSync(join(folder, 'scale-')), { boxes: SCALE_CONTAINERS - GEN_MSS_238_CONTAINERS, pastRequests: PAST_REQUESTS });
    console.log(`(scale database: ${PAST_REQUESTS.toLocaleString('en')} past requests with their events, ${SCALE_CONTAINERS.toLocaleString('en')} containers, in ${Math.round(performance.now() - started)} ms)`);
    return scale;
  };

  const reportNames = ['report.bare-group-by', 'report.usage-year', 'report.usage-year.json'];
  if (reportNames.some(wanted)) {
    const { databasePath, today } = await scaleDatabase();
    const reports = reportScenarios(databasePath, today);
    try {
      await inProcess('report.bare-group-by', () => reports.bareGroupBy(SECONDS));
      await inProcess('report.usage-year', () => reports.usageYear(SECONDS));
      await inProcess('report.usage-year.json', () => reports.usageYearJson(SECONDS));
      const year = describeYear();
      if (year) console.log(year);
    } finally {
      await reports.close();
    }
  }

  if (wanted('scale.write-at-1M')) {
    const database = await scaleDatabase();
    await http('scale.write-at-1M', 'write.requests', database, submissions(database));
  }

  await inProcess('import.bulk', async () => {
    const { figures, rssAt100, rssAtEnd } = await bulkImport(mkdtempSync(join(folder, 'import-')), IMPORT_FILES);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log(`(import.bulk: ${IMPORT_FILES} finding aids; peak RSS of the command ${mb(rssAt100)} MB after 100 files, ${mb(rssAtEnd)} MB after ${IMPORT_FILES})`);
    return figures;
  });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}

// Ratios, once every baseline is in. write.requests' baseline is the lower of its two ceilings.
const byName = new Map(measured.map((s) => [s.name, s]));
const health = byName.get('http.health');
const durable = byName.get('sqlite.durable-insert');
const writeCeiling = [health, durable].filter((s) => s !== undefined).sort((a, b) => a.rps - b.rps)[0];
const scenarios: Scenario[] = measured.map(({ name, rps, p50ms, p99ms, baseline: wantedBaseline }) => {
  const baselineName = wantedBaseline === 'write-ceiling' ? (writeCeiling?.name ?? 'http.health') : wantedBaseline;
  const base = byName.get(baselineName);
  const ratio = base && base.rps > 0 ? Math.round((rps / base.rps) * 100) / 100 : Number.NaN;
  return { name, rps, p50ms, p99ms, baseline: baselineName, ratio };
});

console.log('');
console.log(machine);
console.table(
  scenarios.map((s) => {
    const target = targets[s.name];
    const figures = byName.get(s.name);
    return {
      ...s,
      target: target === undefined ? '' : `≥ ${target}`,
      met: target === undefined ? '' : s.ratio >= target ? 'yes' : 'NO',
      'server µs/answer': figures?.serverUs ?? '',
      'other CPU %': figures?.otherCpu,
      ...(figures?.failed ? { failed: figures.failed } : {}),
    };
  }),
);
if (seatGuarantee) (seatGuarantee.met ? console.log : console.warn)(describeGuarantee(seatGuarantee));
console.log(`Load average at the end: ${loadAverage()}. "other CPU %": the share of the machine used by processes other than the benchmark's during each scenario (Redis's own work counts there for mail.pipeline); above a few percent, that scenario's figures are skewed.`);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ machine, scenarios, ...(seatGuarantee ? { seatGuarantee } : {}) }, null, 2)}\n`);
console.log('Written to bench/results.json.');
