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

/** Warm-up (not counted), then `seconds` of load; rps counts 2xx answers only. */
export async function measureHttp(name: string, baseline: string, server: ServerProcess, load: Load, seconds: number, warmupSeconds: number): Promise<HttpFigures> {
  const options = { url: server.url, connections: CONNECTIONS, pipelining: 1, timeout: 30, requests: [load.request] };
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds });
  const foreign = foreignCpuMeter([server.pid]);
  const [serverBefore, loadBefore] = [processCpu(server.pid), ownCpu()];
  const result = await autocannon({ ...options, duration: seconds });
  const otherCpu = foreign();
  const round = (n: number) => Math.round(n * 100) / 100;
  const perAnswer = (cpuSeconds: number) => (result['2xx'] > 0 ? Math.round((cpuSeconds * 1e7) / result['2xx']) / 10 : Number.NaN);
  return {
    name,
    rps: round(result['2xx'] / result.duration),
    p50ms: round(result.latency.p50),
    p99ms: round(result.latency.p99),
    baseline,
    failed: result.non2xx + result.errors,
    statusCodes: Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(' '),
    otherCpu,
    serverUs: perAnswer(processCpu(server.pid) - serverBefore),
    loadUs: perAnswer(ownCpu() - loadBefore),
  };
}
