import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { RedisConnection } from '../redis.ts';

// Where the per-IP limit of the account routes (docs/api.md: 300 an hour) keeps its counts: in
// Redis, so that every API process of an installation counts the same attempts. Behind a proxy
// that spreads requests over several processes, a count in each would allow that many times the
// limit. While Redis does not answer, each process counts on its own, as a single process always
// did: an outage never lifts the limit, and never makes a sign-in wait for Redis.

/** One attempt more for KEYS[1]; its window (ARGV[1] ms) starts with the first. */
const COUNT_ONE = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {current, redis.call('PTTL', KEYS[1])}`;

/**
 * The store, as @fastify/rate-limit takes one (a class), of the counts kept under `keyPrefix` on
 * `redis`: a connection that refuses a command at once while Redis is down, rather than queue it.
 */
export function perIpCounts(redis: RedisConnection, keyPrefix: string) {
  return class PerIpCounts implements FastifyRateLimitStore {
    readonly #ownCounts = new LocalStore(false, false);

    incr(ip: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      if (redis.status !== 'ready') return this.#ownCounts.incr(ip, callback, timeWindow, max);
      (redis.eval(COUNT_ONE, 1, keyPrefix + ip, timeWindow) as Promise<[number, number]>).then(
        ([current, ttl]) => callback(null, { current, ttl }),
        () => this.#ownCounts.incr(ip, callback, timeWindow, max),
      );
    }

    /** Every account route counts against the one limit, so every route shares this store. */
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
