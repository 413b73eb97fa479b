import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board's view of the queues, for admins only: every route it adds requires the admin role,
 * from a browser session or a bearer token.
 */
export async function queueDashboard(app: FastifyInstance, { queues, installation }: { queues: Queue[]; installation: string }): Promise<void> {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: ['admin'], session: 'either' };
    route.schema = { ...route.schema, hide: true };
  });
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false, description: `installation ${installation}` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: `Queues of installation ${installation}` } },
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
