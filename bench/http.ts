import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/redis-server.ts';
import { foreignCpuMeter, ownCpu, processCpu } from './machine.ts';
import type { Scenario } from './stats.ts';

// The HTTP scenarios: a server in a process of its own, autocannon in this one. Every scenario
// gets the same settings: 50 connections, no pipelining, SECONDS seconds after a short warm-up.

export const CONNECTIONS = 50;

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `entry` (src/server.ts itself, or a bench server) with `env` on a free port and waits
 * until `readyPath` answers 200. With BENCH_CPU_PROF=<folder>, the server writes a V8 CPU profile there.
 */
export async function startServer(entry: string, env: Record<string, string>, readyPath: string): Promise<ServerProcess> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    // The server's request log (pino, as `npm start` writes it) goes nowhere: reading it would cost this process CPU.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}: ${stderr}`);
    const answer = await fetch(url + readyPath).catch(() => undefined);
    if (answer?.ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not answer ${readyPath} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Load {
  /** One request (method, path, headers, body), or one built anew for each request. */
  request: autocannon.Request;
}

export interface HttpFigures extends Omit<Scenario, 'ratio'> {
  /** Answers other than 2xx, and connection errors or timeouts: a run with any is suspect. */
  failed: number;
  statusCodes: string;
  /** Percent of the machine's CPU used meanwhile by processes other than the load generator and the server. */
  otherCpu: number;
  /**
   * CPU time per 2xx answer, in µs: the server's, and the load generator's (this process). Unlike
   * answers per second, the server's figure does not depend on which of the two, sharing the
   * machine's cores, held the other back.
   */
  serverUs: number;
  loadUs: number;
}

/**
 * Warm-up (not counted), then `seconds` of load; rps counts 2xx answers only. Against several
 * servers (API processes on one database), the connections are shared out among them, one
 * autocannon each, all at once: rps is their sum, p50 the middle of theirs weighted by answers,
 * p99 the highest.
 */
export async function measureHttp(name: string, baseline: string, servers: ServerProcess[], load: Load, seconds: number, warmupSeconds: number): Promise<HttpFigures> {
  const share = (i: number) => Math.floor(CONNECTIONS / servers.length) + (i < CONNECTIONS % servers.length ? 1 : 0);
  const run = (duration: number) =>
    Promise.all(servers.map((server, i) => autocannon({ url: server.url, connections: share(i), pipelining: 1, timeout: 30, requests: [load.request], duration })));
  if (warmupSeconds > 0) await run(warmupSeconds);
  const pids = servers.map((server) => server.pid);
  const serversCpu = () => pids.reduce((sum, pid) => sum + processCpu(pid), 0);
  const foreign = foreignCpuMeter(pids);
  const [serverBefore, loadBefore] = [serversCpu(), ownCpu()];
  const results = await run(seconds);
  const otherCpu = foreign();
  const round = (n: number) => Math.round(n * 100) / 100;
  const answered = results.reduce((sum, r) => sum + r['2xx'], 0);
  const duration = Math.max(...results.map((r) => r.duration));
  const perAnswer = (cpuSeconds: number) => (answered > 0 ? Math.round((cpuSeconds * 1e7) / answered) / 10 : Number.NaN);
  const statusCodes = new Map<string, number>();
  for (const r of results) for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCodes.set(code, (statusCodes.get(code) ?? 0) + count);
  return {
    name,
    rps: round(answered / duration),
    p50ms: round(answered > 0 ? results.reduce((sum, r) => sum + r.latency.p50 * r['2xx'], 0) / answered : 0),
    p99ms: round(Math.max(...results.map((r) => r.latency.p99))),
    baseline,
    failed: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    statusCodes: [...statusCodes].map(([code, count]) => `${code}×${count}`).join(' '),
    otherCpu,
    serverUs: perAnswer(serversCpu() - serverBefore),
    loadUs: perAnswer(ownCpu() - loadBefore),
  };
}
