import type { Job } from 'bullmq';
import type { Database } from '../../db/client.ts';
import { seedFederalHolidays } from '../../db/seed/federal-holidays.ts';
import { holidayYears } from '../../db/seed/index.ts';
import type { Config } from '../../src/config.ts';
import { todayIn, type Clock } from '../../src/domain/calendar.ts';
import { nightlyHarvest } from '../../src/finding-aids/harvest-runs.ts';
import { removeOldLinks } from '../../src/accounts/links.ts';
import { closingTime, visitReminders } from '../../src/paging/runs.ts';
import type { RequestsContext } from '../../src/requests/moves.ts';
import type { Log } from '../queues.ts';

export interface MaintenanceDependencies {
  ctx: RequestsContext;
  db: Database;
  clock: Clock;
  log: Pick<Log, 'warn'>;
  config: Pick<Config, 'oaiUrl' | 'oaiSet' | 'importMaxBytes' | 'timezone'>;
}

/** The maintenance queue's jobs, each idempotent. */
export function maintenanceProcessor({ ctx, db, clock, log, config }: MaintenanceDependencies) {
  return async (job: Job): Promise<unknown> => {
    const now = clock();
    switch (job.name) {
      case 'visit-reminders':
        return visitReminders(ctx, now);
      case 'closing-time': {
        const outcome = closingTime(ctx, now);
        if (outcome.done && outcome.skipped) log.warn({ skipped: outcome.skipped }, 'closing time left alone requests that were not in the state it expected');
        return outcome;
      }
      case 'seed-holidays':
        return { seeded: seedFederalHolidays(db, holidayYears(todayIn(ctx.timezone, now))) };
      case 'expire-tokens':
        return { removed: removeOldLinks(db, now) };
      case 'oai-harvest':
        return nightlyHarvest(db, config, clock, log);
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
