import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { RedisConnection } from '../redis.ts';

// Where the per-IP limit of the account routes (docs/api.md: 300 an hour) keeps its counts: in
// Redis, so that every API process of an installation counts the same attempts. Behind a proxy
// that spreads requests over several processes, a count in each would allow that many times the
// limit. While Redis does not answer, each process counts on its own, as a single process always
// did: an outage never lifts the limit, and never makes a sign-in wait for Redis. Both counts are
// @fastify/rate-limit's own stores; this one only chooses between them.

/**
 * The store, as @fastify/rate-limit takes one (a class), of the counts kept under `keyPrefix` on
 * `redis`: a connection that refuses a command at once while Redis is down, rather than queue it.
 */
export function perIpCounts(redis: RedisConnection, keyPrefix: string) {
  return class PerIpCounts implements FastifyRateLimitStore {
    readonly #sharedCounts = new RedisStore(false, false, redis, keyPrefix);
    readonly #ownCounts = new LocalStore(false, false);

    incr(ip: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      if (redis.status !== 'ready') return this.#ownCounts.incr(ip, callback, timeWindow, max);
      this.#sharedCounts.incr(ip, (error, result) => (error ? this.#ownCounts.incr(ip, callback, timeWindow, max) : callback(null, result)), timeWindow, max);
    }

    /** Every account route counts against the one limit, so every route shares this store. */
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
