import { Redis } from 'ioredis';

export type RedisStatus = 'up' | 'down';

/** Tells /ready whether Redis answers, without ever making a request wait on it. */
export interface RedisProbe {
  status(): Promise<RedisStatus>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 1000;

export function createRedisProbe(url: string): RedisProbe {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: PING_TIMEOUT_MS,
    // Keep reconnecting, at most a second apart, so /ready sees Redis come back promptly.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  // A Redis that is down is reported by /ready; each failed reconnection needs no log line of its own.
  client.on('error', () => {});

  return {
    async status() {
      if (client.status !== 'ready') return 'down';
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<RedisStatus>((resolve) => {
        timer = setTimeout(() => resolve('down'), PING_TIMEOUT_MS);
      });
      const ping = client.ping().then(
        (): RedisStatus => 'up',
        (): RedisStatus => 'down',
      );
      try {
        return await Promise.race([ping, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      client.disconnect();
    },
  };
}

/** Whether Redis answers a PING within `timeoutMs`, trying once. */
export async function redisAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new Redis(url, {
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
