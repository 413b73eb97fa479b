import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../domain/calendar.ts';
import { outboxLagSeconds } from '../health/outbox-lag.ts';
import { rowsNotTaken } from '../outbox/store.ts';

export interface MetricsOptions {
  db: Database;
  clock: Clock;
  queues: Queue[];
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
/** How long a scrape waits for Redis before leaving the queue figures out. */
const QUEUE_COUNT_TIMEOUT_MS = 1000;

/**
 * Prometheus metrics at GET /metrics, for an admin or `Authorization: Bearer <METRICS_TOKEN>`:
 * latency by route, responses by status, queue depths and failed jobs, and the outbox lag, the
 * one number that says mail is stuck.
 */
export async function metricsRoutes(app: FastifyInstance, { db, clock, queues }: MetricsOptions): Promise<void> {
  const registry = new Registry();
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const responses = new Counter({ name: 'http_responses_total', help: 'HTTP responses by status', labelNames: ['status_code'], registers: [registry] });
  new Gauge({
    name: 'outbox_lag_seconds',
    help: 'Age of the oldest side effect (e-mail, paging work) not yet completed by a worker',
    registers: [registry],
    async collect() {
      this.set(await outboxLagSeconds(db, clock()));
    },
  });
  new Gauge({
    name: 'outbox_rows_not_taken',
    help: "Side effects whose last publication BullMQ did not take: their job id held another database's job (a copy of this database on the same Redis)",
    registers: [registry],
    async collect() {
      this.set(await rowsNotTaken(db));
    },
  });
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per BullMQ queue and state (failed jobs are kept)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(
        queues.map((queue) =>
          Promise.race([
            queue.getJobCounts(...QUEUE_STATES),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), QUEUE_COUNT_TIMEOUT_MS).unref()),
          ]).catch(() => undefined),
        ),
      );
      queues.forEach((queue, i) => {
        for (const [state, count] of Object.entries(counts[i] ?? {})) this.set({ queue: queue.name, state }, count);
      });
    },
  });

  // The label sets of each series, made once: every answer is counted, so the hook allocates nothing
  // it can keep (and, as a callback hook, no promise either).
  const latencyLabels = new Map<string, { method: string; route: string; status_code: string }>();
  const responseLabels = new Map<number, { status_code: string }>();
  app.addHook('onResponse', (request, reply, done) => {
    const { method } = request;
    const route = request.routeOptions.url ?? 'unknown';
    const status = reply.statusCode;
    const key = `${status} ${method} ${route}`;
    let labels = latencyLabels.get(key);
    if (labels === undefined) latencyLabels.set(key, (labels = { method, route, status_code: String(status) }));
    latency.observe(labels, reply.elapsedTime / 1000);
    let statusLabels = responseLabels.get(status);
    if (statusLabels === undefined) responseLabels.set(status, (statusLabels = { status_code: labels.status_code }));
    responses.inc(statusLabels);
    done();
  });

  app.get('/metrics', { config: { access: ['admin'], metricsToken: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
