import Holidays from 'date-holidays';
import { inArray } from 'drizzle-orm';
import { isWeekend, type IsoDate } from '../../src/domain/calendar.ts';
import type { Database } from '../client.ts';
import { commit } from '../transactions.ts';
import { closures, holidaySeedings } from '../tables.ts';

export interface Holiday {
  date: IsoDate;
  name: string;
}

/**
 * The US federal holidays of a year as the reading room observes them: the holiday itself, or the
 * weekday it is observed on when it falls on a weekend. Weekend dates are left out: the room is
 * shut on them anyway.
 */
export function federalHolidays(year: number): Holiday[] {
  const calendar = new Holidays('US');
  return calendar
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }))
    .filter((h) => !isWeekend(h.date));
}

/**
 * Closes the reading room on the federal holidays of each year not seeded before, and returns the
 * years it seeded. A closure an admin already made on such a day keeps its own reason, and a
 * holiday an admin reopened stays open: a year is seeded once.
 */
export function seedFederalHolidays(db: Database, years: readonly number[]): Promise<number[]> {
  return commit(db, async (tx) => {
      const done = new Set(
        (await tx.select({ year: holidaySeedings.year }).from(holidaySeedings).where(inArray(holidaySeedings.year, [...years]))).map((r) => r.year),
      );
      const todo = years.filter((y) => !done.has(y));
      for (const year of todo) {
        const days = federalHolidays(year).map((h) => ({ date: h.date, reason: h.name }));
        if (days.length > 0) await tx.insert(closures).values(days).onConflictDoNothing();
        await tx.insert(holidaySeedings).values({ year });
      }
      return todo;
  });
}
