import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers, type RedisTarget } from '../../src/redis.ts';
import { ask, until } from './redis-commands.ts';
import { freePort } from './redis-server.ts';

const MASTER_NAME = 'reading-room-test';

/**
 * A test's own Redis with failover: a master, a replica of it and one Sentinel watching them
 * (quorum 1, a master counts as down after a second), each a `redis-server` on a free port,
 * stopped by pid. Sentinel rewrites its configuration file, so it gets one in a folder of its own.
 */
export class SentinelRedis {
  private readonly processes = new Map<number, ChildProcess>();

  private constructor(
    private readonly folder: string,
    readonly masterPort: number,
    readonly replicaPort: number,
    readonly sentinelPort: number,
  ) {}

  /** How the reading room reaches it: through the Sentinel; the URL's host is not used. */
  get target(): RedisTarget {
    return { redisUrl: `redis://127.0.0.1:${this.masterPort}`, redisSentinels: [{ host: '127.0.0.1', port: this.sentinelPort }], redisSentinelName: MASTER_NAME };
  }

  get env(): Record<string, string> {
    return { REDIS_URL: this.target.redisUrl, REDIS_SENTINELS: `127.0.0.1:${this.sentinelPort}`, REDIS_SENTINEL_NAME: MASTER_NAME };
  }

  static async start(): Promise<SentinelRedis> {
    const folder = mkdtempSync(join(tmpdir(), 'reading-room-sentinel-'));
    const redis = new SentinelRedis(folder, await freePort(), await freePort(), await freePort());
    await redis.startServer(redis.masterPort, []);
    await redis.startServer(redis.replicaPort, ['--replicaof', '127.0.0.1', String(redis.masterPort)]);
    await until('the replica did not catch up with the master', 10_000, async () =>
      /master_link_status:up/.test(String(await ask(redis.replicaPort, 'INFO', 'replication'))),
    );
    const conf = join(folder, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${redis.sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${folder}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${redis.masterPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        '',
      ].join('\n'),
    );
    redis.spawn(redis.sentinelPort, [conf, '--sentinel']);
    // Sentinel learns of the replica from the master's INFO; only then can it fail over to it.
    await until('the Sentinel did not see the replica', 30_000, async () => {
      const replicas = (await ask(redis.sentinelPort, 'SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
      return replicas.some((fields) => fields.includes(String(redis.replicaPort)));
    });
    return redis;
  }

  /** Kills the master (SIGKILL), and waits until the Sentinel names the replica master instead. */
  async killMasterAndWaitForFailover(): Promise<void> {
    await this.kill(this.masterPort);
    await until('the Sentinel did not promote the replica', 30_000, async () => {
      const [, port] = (await ask(this.sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[];
      return port === String(this.replicaPort);
    });
  }

  async stop(): Promise<void> {
    for (const port of [...this.processes.keys()]) await this.kill(port);
    rmSync(this.folder, { recursive: true, force: true });
  }

  private spawn(port: number, args: string[]): void {
    this.processes.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
  }

  private async startServer(port: number, extra: string[]): Promise<void> {
    this.spawn(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.folder, ...extra]);
    await until(`redis-server did not start on port ${port}`, 5_000, () => redisAnswers({ redisUrl: `redis://127.0.0.1:${port}` }, 200));
  }

  private async kill(port: number): Promise<void> {
    const child = this.processes.get(port);
    this.processes.delete(port);
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
