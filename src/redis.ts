import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisStatus = 'up' | 'down';

export interface HostAndPort {
  host: string;
  port: number;
}

/**
 * Where Redis is: one server at `redisUrl`; or, with `redisSentinels`, whichever server the
 * Sentinels name master of `redisSentinelName`; or, with `redisClusterNodes`, a Redis Cluster
 * found from those nodes. Behind Sentinel or a cluster the URL's host is not used; its password,
 * user and `rediss:` still are (and, behind Sentinel, its database number).
 */
export interface RedisTarget {
  redisUrl: string;
  redisSentinels?: readonly HostAndPort[] | undefined;
  redisSentinelName?: string | undefined;
  redisClusterNodes?: readonly HostAndPort[] | undefined;
}

/** A connection to one Redis, to a master behind Sentinel, or to a cluster: BullMQ takes each. */
export type RedisConnection = Redis | Cluster;

/**
 * A connection to the target's Redis: the one way every process connects. Through Sentinel it asks
 * for the master on each (re)connection and checks the server it reaches is master: a dead master
 * closes its connections, and the reconnection finds the replica Sentinel promoted. On a
 * cluster it follows the slots' moves; every key of one installation's queues is in one slot (the
 * queue prefix is a hash tag, which the configuration requires).
 */
export function connectRedis(target: RedisTarget, options: RedisOptions): RedisConnection {
  if (target.redisClusterNodes?.length) {
    // What concerns the cluster as a whole is the cluster's option; the rest is each node's.
    const { retryStrategy, enableOfflineQueue, lazyConnect, ...nodeOptions } = options;
    const url = new URL(target.redisUrl);
    return new Cluster(
      target.redisClusterNodes.map(({ host, port }) => ({ host, port })),
      {
        enableOfflineQueue,
        lazyConnect,
        clusterRetryStrategy: retryStrategy,
        redisOptions: {
          ...nodeOptions,
          ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
          ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
          ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
        },
      },
    );
  }
  if (target.redisSentinels?.length) {
    return new Redis(target.redisUrl, {
      ...options,
      sentinels: target.redisSentinels.map(({ host, port }) => ({ host, port })),
      name: target.redisSentinelName,
      // Not ioredis's failoverDetector: with it, a client reconnecting while the failover was
      // announced was left stuck, never ready, in most runs of the failover test under load.
    });
  }
  return new Redis(target.redisUrl, options);
}

/**
 * The API's own connection to Redis: it tells /ready whether Redis answers, and keeps the per-IP
 * counts of the account routes (src/http/per-ip-counts.ts), without ever making a request wait on
 * Redis: a command while Redis is down fails at once, one Redis does not answer fails in a second.
 */
export interface RedisProbe {
  status(): Promise<RedisStatus>;
  readonly connection: RedisConnection;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 1000;

export function createRedisProbe(target: RedisTarget): RedisProbe {
  const client = connectRedis(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: PING_TIMEOUT_MS,
    commandTimeout: PING_TIMEOUT_MS,
    // Keep reconnecting, at most a second apart, so /ready sees Redis come back promptly.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  // A Redis that is down is reported by /ready; each failed reconnection needs no log line of its own.
  client.on('error', () => {});

  return {
    connection: client,
    async status() {
      if (client.status !== 'ready') return 'down';
      // commandTimeout bounds the wait for a Redis that takes the connection but does not answer.
      return client.ping().then(
        (): RedisStatus => 'up',
        (): RedisStatus => 'down',
      );
    },
    async close() {
      client.disconnect();
    },
  };
}

/** Whether Redis answers a PING within `timeoutMs`, trying once. */
export async function redisAnswers(target: RedisTarget, timeoutMs: number): Promise<boolean> {
  const client = connectRedis(target, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
