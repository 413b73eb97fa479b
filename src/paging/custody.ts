import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { containers, requestEvents, requests } from '../../db/tables.ts';

/**
 * A box's chain of custody: every change of every request for it, oldest first, with whose request
 * it was (a researcher's or a class session's). Undefined when there is no such box.
 */
export async function custodyOf(db: Database, containerId: number) {
  const [box] = await db.select({ id: containers.id }).from(containers).where(eq(containers.id, containerId));
  if (!box) return undefined;
  return db
    .select({
      at: requestEvents.at,
      requestId: requestEvents.requestId,
      researcherId: requests.researcherId,
      classSessionId: requests.classSessionId,
      actorId: requestEvents.actorId,
      from: requestEvents.fromStatus,
      to: requestEvents.toStatus,
    })
    .from(requestEvents)
    .innerJoin(requests, eq(requests.id, requestEvents.requestId))
    .where(eq(requests.containerId, containerId))
    .orderBy(asc(requestEvents.id));
}
