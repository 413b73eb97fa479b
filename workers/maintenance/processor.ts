import type { Job } from 'bullmq';
import type { Database } from '../../db/client.ts';
import { seedFederalHolidays } from '../../db/seed/federal-holidays.ts';
import { holidayYears } from '../../db/seed/index.ts';
import { todayIn, type Clock } from '../../src/domain/calendar.ts';

export interface MaintenanceDependencies {
  db: Database;
  clock: Clock;
  timezone: string;
}

/** Timed upkeep. `seed-holidays`: keep this year's and the next two years' holidays closed. */
export function maintenanceProcessor({ db, clock, timezone }: MaintenanceDependencies) {
  return async (job: Job): Promise<string> => {
    switch (job.name) {
      case 'seed-holidays': {
        const seeded = seedFederalHolidays(db, holidayYears(todayIn(timezone, clock())));
        return seeded.length ? `seeded ${seeded.join(', ')}` : 'nothing to seed';
      }
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}

/** The schedules of the maintenance queue, in the reading room's time zone. */
export const maintenanceSchedules = [{ id: 'seed-holidays', pattern: '0 3 * * *' }] as const;
