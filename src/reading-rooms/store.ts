import { asc, eq, sql } from 'drizzle-orm';
import { collections, readingRooms } from '../../db/tables.ts';
import type { Database } from '../../db/client.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { instantValue, prepared } from '../../db/statements.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { notFound, Refusal } from '../domain/refusal.ts';

type RoomRow = typeof readingRooms.$inferSelect;

const asRoom = (row: RoomRow): ReadingRoom => ({
  id: row.id,
  code: row.code,
  name: row.name,
  timezone: row.timezone,
  seats: row.seats,
  leadBusinessDays: row.leadBusinessDays,
  dailyItemLimit: row.dailyItemLimit,
  maxAdvanceDays: row.maxAdvanceDays,
  holdBusinessDays: row.holdBusinessDays,
  classLeadBusinessDays: row.classLeadBusinessDays,
  classItemLimit: row.classItemLimit,
  // Stored in order (storedTimes), so read as they are.
  pagingTimes: row.pagingTimes.split(','),
  closingTime: row.closingTime,
});

/** Every reading room, the first-created first. */
export async function allRooms(db: Writer): Promise<ReadingRoom[]> {
  return (await prepared(db, 'allRooms', () => db.select().from(readingRooms).orderBy(asc(readingRooms.id))).rows()).map(asRoom);
}

export async function findRoom(db: Writer, id: number): Promise<ReadingRoom | undefined> {
  const row = await prepared(db, 'findRoom', () => db.select().from(readingRooms).where(eq(readingRooms.id, sql.placeholder('id')))).first({ id });
  return row && asRoom(row);
}

/** The reading room a collection is read in. */
export async function roomOfCollection(db: Writer, collectionId: number): Promise<number> {
  const row = await prepared(db, 'roomOfCollection', () =>
    db.select({ roomId: collections.readingRoomId }).from(collections).where(eq(collections.id, sql.placeholder('collectionId'))),
  ).first({ collectionId });
  if (!row) throw new Error(`collection ${collectionId} is not there`);
  return row.roomId;
}

/** The room asked for, or the first room when none is named (v1 clients name none); 404 for an unknown id. */
export async function roomOrFirst(db: Writer, id: number | undefined): Promise<ReadingRoom> {
  const room = id === undefined ? (await allRooms(db))[0] : await findRoom(db, id);
  if (!room) throw notFound(`There is no reading room ${id}.`);
  return room;
}

/** A room's settings as an admin gives them; a PATCH gives some. */
export type RoomSettings = Omit<ReadingRoom, 'id'>;

/** The stored form of the pull times: each once, earliest first, comma-separated. */
export const storedTimes = (times: readonly string[]) => [...new Set(times)].sort().join(',');

const rowOf = (settings: Partial<RoomSettings>) => {
  const { pagingTimes, ...rest } = settings;
  return { ...rest, ...(pagingTimes === undefined ? {} : { pagingTimes: storedTimes(pagingTimes) }) };
};

async function refuseTakenCode(db: Writer, code: string, exceptId?: number): Promise<void> {
  const [taken] = await db
    .select({ id: readingRooms.id })
    .from(readingRooms)
    .where(sql`lower(${readingRooms.code}) = lower(${code})`)
    .limit(1);
  if (taken && taken.id !== exceptId) throw new Refusal('ROOM_CODE_TAKEN', `A reading room with the code "${code}" exists already.`);
}

/** A new room; its settings are its own from the start. */
export function createRoom(db: Database, settings: RoomSettings, now: Date): Promise<ReadingRoom> {
  return commit(db, async (tx) => {
    await refuseTakenCode(tx, settings.code);
    const [made] = await tx.insert(readingRooms).values({ ...settings, pagingTimes: storedTimes(settings.pagingTimes), settingsSeededAt: now, createdAt: now }).returning({ id: readingRooms.id });
    return (await findRoom(tx, made!.id)) as ReadingRoom;
  });
}

/**
 * Changes a room's settings. Seats lowered below a day's bookings keep those bookings (the seat
 * check is made when booking, never against bookings made).
 */
export function updateRoom(db: Database, id: number, settings: Partial<RoomSettings>): Promise<ReadingRoom> {
  return commit(db, async (tx) => {
    if (!(await findRoom(tx, id))) throw notFound(`There is no reading room ${id}.`);
    if (settings.code !== undefined) await refuseTakenCode(tx, settings.code, id);
    const row = rowOf(settings);
    if (Object.keys(row).length > 0) await tx.update(readingRooms).set({ ...row, settingsSeededAt: sql`coalesce(${readingRooms.settingsSeededAt}, ${instantValue(new Date())})` }).where(eq(readingRooms.id, id));
    return (await findRoom(tx, id)) as ReadingRoom;
  });
}
