import { isNull, min } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';

/** Age in whole seconds of the oldest outbox row not yet completed by a worker; 0 when none waits. */
export function outboxLagSeconds(db: Database, now: Date): number {
  const [row] = db.select({ oldest: min(outbox.createdAt) }).from(outbox).where(isNull(outbox.completedAt)).all();
  if (!row?.oldest) return 0;
  return Math.max(0, Math.floor((now.getTime() - row.oldest.getTime()) / 1000));
}
