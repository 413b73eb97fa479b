import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, until } from './redis-commands.ts';
import { freePort } from './redis-server.ts';

const SLOTS = 16_384;

/**
 * A test's own Redis Cluster: three masters on free ports sharing the 16,384 slots in three
 * ranges, joined with CLUSTER MEET (what `redis-cli --cluster create` does, without replicas).
 * Each node keeps its cluster file in a folder of its own; stopped by pid.
 */
export class OwnRedisCluster {
  private readonly processes: ChildProcess[] = [];

  private constructor(
    private readonly folder: string,
    readonly ports: number[],
  ) {}

  /** The reading room's configuration for it, with a queue prefix that is a hash tag. */
  env(queuePrefix: string): Record<string, string> {
    return {
      REDIS_URL: `redis://127.0.0.1:${this.ports[0]}`,
      REDIS_CLUSTER_NODES: this.ports.map((port) => `127.0.0.1:${port}`).join(','),
      QUEUE_PREFIX: `{${queuePrefix}}`,
    };
  }

  static async start(): Promise<OwnRedisCluster> {
    const folder = mkdtempSync(join(tmpdir(), 'reading-room-cluster-'));
    const cluster = new OwnRedisCluster(folder, [await freePort(), await freePort(), await freePort()]);
    for (const port of cluster.ports) {
      cluster.processes.push(
        spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(folder, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', folder], {
          stdio: 'ignore',
        }),
      );
    }
    for (const port of cluster.ports) await until(`redis-server did not start on port ${port}`, 5_000, async () => (await ask(port, 'PING')) === 'PONG');
    const share = Math.ceil(SLOTS / cluster.ports.length);
    for (const [i, port] of cluster.ports.entries()) {
      await ask(port, 'CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(SLOTS, (i + 1) * share) - 1));
    }
    const [first, ...others] = cluster.ports as [number, ...number[]];
    for (const port of others) await ask(first, 'CLUSTER', 'MEET', '127.0.0.1', String(port));
    await until('the cluster did not come up', 20_000, async () => {
      const states = await Promise.all(cluster.ports.map(async (port) => /cluster_state:ok/.test(String(await ask(port, 'CLUSTER', 'INFO')))));
      return states.every(Boolean);
    });
    return cluster;
  }

  /**
   * A hash tag whose slot is not on the node REDIS_URL names: a client that ignored the cluster
   * and spoke to that node alone would be answered MOVED, not served by luck.
   */
  async tagAwayFromFirstNode(): Promise<string> {
    for (;;) {
      const tag = `reading-room-${randomBytes(4).toString('hex')}`;
      const slot = Number(await ask(this.ports[0] as number, 'CLUSTER', 'KEYSLOT', `{${tag}}`));
      if (slot >= Math.ceil(SLOTS / this.ports.length)) return tag;
    }
  }

  /** The keys matching `pattern` on each node, by port. */
  async keysByNode(pattern: string): Promise<Map<number, string[]>> {
    const keys = new Map<number, string[]>();
    for (const port of this.ports) keys.set(port, (await ask(port, 'KEYS', pattern)) as string[]);
    return keys;
  }

  async stop(): Promise<void> {
    for (const child of this.processes) {
      if (child.exitCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }
}
