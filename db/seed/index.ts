import type { Database } from '../client.ts';
import { seedFederalHolidays } from './federal-holidays.ts';
import { seedFirstRoom, type FirstRoomSettings } from './reading-rooms.ts';
import { seedVictorSergePapers } from './victor-serge-papers.ts';

/** The years whose holidays a start makes sure of: this one and the next two. */
export function holidayYears(today: string): number[] {
  const year = Number(today.slice(0, 4));
  return [year, year + 1, year + 2];
}

/**
 * What `npm start` runs: the first reading room's settings from the environment (once), GEN MSS 238
 * on an empty database, and the holidays of the coming years.
 */
export async function seedDatabase(db: Database, config: FirstRoomSettings, today: string): Promise<void> {
  await seedFirstRoom(db, config, new Date());
  await seedVictorSergePapers(db);
  await seedFederalHolidays(db, holidayYears(today));
}
