import { and, asc, gte, lte, sql } from 'drizzle-orm';
import { prepared } from '../caches.ts';
import type { Writer } from '../../db/transactions.ts';
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
  const query = prepared(db, 'closuresFrom', () =>
    db.select({ date: closures.date, reason: closures.reason }).from(closures).where(gte(closures.date, sql.placeholder('from'))).orderBy(asc(closures.date)).prepare(),
  );
  return new Map(query.all({ from }).map((c) => [c.date, c.reason]));
}

/**
 * The closures from `from` to `to`: what the booking rules need when `to` is the booking horizon
 * (a handful of rows instead of every future closure).
 */
export function closuresBetween(db: Writer, from: IsoDate, to: IsoDate): Closures {
  const query = prepared(db, 'closuresBetween', () =>
    db
      .select({ date: closures.date, reason: closures.reason })
      .from(closures)
      .where(and(gte(closures.date, sql.placeholder('from')), lte(closures.date, sql.placeholder('to'))))
      .orderBy(asc(closures.date))
      .prepare(),
  );
  return new Map(query.all({ from, to }).map((c) => [c.date, c.reason]));
}
