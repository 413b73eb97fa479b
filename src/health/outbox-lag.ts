import { isNull, min } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { outbox } from '../../db/tables.ts';

/** Age in whole seconds of the oldest outbox row not yet completed by a worker; 0 when none waits. */
export async function outboxLagSeconds(db: Database, now: Date): Promise<number> {
  const [row] = await db.select({ oldest: min(outbox.createdAt) }).from(outbox).where(isNull(outbox.completedAt));
  if (!row?.oldest) return 0;
  return Math.max(0, Math.floor((now.getTime() - row.oldest.getTime()) / 1000));
}
