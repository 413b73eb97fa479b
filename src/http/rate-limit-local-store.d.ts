// @fastify/rate-limit's own in-process store, which its types do not declare: the per-IP counts
// fall back on it while Redis does not answer (src/http/per-ip-counts.ts).
declare module '@fastify/rate-limit/store/LocalStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';

  const LocalStore: new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => FastifyRateLimitStore;
  export default LocalStore;
}
