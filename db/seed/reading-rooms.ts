import { isNull } from 'drizzle-orm';
import type { Config } from '../../src/config.ts';
import type { Database } from '../client.ts';
import { commit } from '../transactions.ts';
import { readingRooms } from '../tables.ts';
import { storedTimes } from '../../src/reading-rooms/store.ts';

export type FirstRoomSettings = Pick<
  Config,
  'libraryName' | 'timezone' | 'dailyRequestLimit' | 'maxAdvanceDays' | 'pagingTimes' | 'closingTime' | 'readingRoomSeats' | 'holdBusinessDays'
>;

/**
 * The first room, made by the migration that brought rooms in, takes its settings from the v1
 * environment once: at the first start after it. From then on they are the room's own (an admin
 * changes them through the API or the rooms page), and those variables are not read again.
 */
export async function seedFirstRoom(db: Database, config: FirstRoomSettings, now: Date): Promise<void> {
  await commit(db, async (tx) => {
    await tx
      .update(readingRooms)
      .set({
        name: config.libraryName,
        timezone: config.timezone,
        seats: config.readingRoomSeats ?? null,
        dailyItemLimit: config.dailyRequestLimit,
        maxAdvanceDays: config.maxAdvanceDays,
        holdBusinessDays: config.holdBusinessDays,
        pagingTimes: storedTimes(config.pagingTimes),
        closingTime: config.closingTime,
        settingsSeededAt: now,
      })
      .where(isNull(readingRooms.settingsSeededAt));
  });
}
