import { and, asc, gte, lte } from 'drizzle-orm';
import type { Writer } from '../outbox/store.ts';
import { closures } from '../../db/schema.ts';
import type { Closures, IsoDate } from '../domain/calendar.ts';

export function listClosures(db: Writer, range: { from?: IsoDate; to?: IsoDate } = {}) {
  return db
    .select({ date: closures.date, reason: closures.reason })
    .from(closures)
    .where(
      and(
        range.from === undefined ? undefined : gte(closures.date, range.from),
        range.to === undefined ? undefined : lte(closures.date, range.to),
      ),
    )
    .orderBy(asc(closures.date))
    .all();
}

/** The closures from `from` on, as the calendar rules take them. */
export function closuresFrom(db: Writer, from: IsoDate): Closures {
  return new Map(listClosures(db, { from }).map((c) => [c.date, c.reason]));
}
