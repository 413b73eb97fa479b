// @fastify/rate-limit's own stores, which its types do not declare: the per-IP counts are kept in
// the Redis one, and fall back on the in-process one while Redis does not answer
// (src/http/per-ip-counts.ts).
declare module '@fastify/rate-limit/store/LocalStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';

  const LocalStore: new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => FastifyRateLimitStore;
  export default LocalStore;
}

declare module '@fastify/rate-limit/store/RedisStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';
  import type { Cluster, Redis } from 'ioredis';

  /** Counts under `key` + the IP (never its `child`, whose keys name a route). */
  const RedisStore: new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis | Cluster, key?: string) => FastifyRateLimitStore;
  export default RedisStore;
}
