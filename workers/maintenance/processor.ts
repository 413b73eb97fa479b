import type { Job } from 'bullmq';
import type { Database } from '../../db/client.ts';
import { commit } from '../../db/transactions.ts';
import { seedFederalHolidays } from '../../db/seed/federal-holidays.ts';
import { holidayYears } from '../../db/seed/index.ts';
import type { Config } from '../../src/config.ts';
import { todayIn, type Clock } from '../../src/domain/calendar.ts';
import { nightlyHarvest } from '../../src/finding-aids/harvest-runs.ts';
import { removeOldLinks } from '../../src/accounts/links.ts';
import type { Log } from '../queues.ts';

export interface MaintenanceDependencies {
  db: Database;
  clock: Clock;
  log: Pick<Log, 'warn'>;
  config: Pick<Config, 'oaiUrl' | 'oaiSet' | 'importMaxBytes' | 'timezone'>;
}

/** The maintenance queue's jobs, each idempotent. */
export function maintenanceProcessor({ db, clock, log, config }: MaintenanceDependencies) {
  return async (job: Job): Promise<unknown> => {
    const now = clock();
    switch (job.name) {
      case 'seed-holidays':
        // The holidays close every room; a day either way of the year's turn is no matter.
        return { seeded: await seedFederalHolidays(db, holidayYears(todayIn(config.timezone, now))) };
      case 'expire-tokens':
        return { removed: await commit(db, (tx) => removeOldLinks(tx, now)) };
      case 'oai-harvest':
        return nightlyHarvest(db, config, clock, log);
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
