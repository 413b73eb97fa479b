import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { classSessions } from '../../db/tables.ts';
import { requestIdsBy } from '../requests/store.ts';
import type { Writer } from '../../db/transactions.ts';
import type { IsoDate } from '../domain/calendar.ts';

export type ClassSessionRow = typeof classSessions.$inferSelect;

export async function findClassSession(db: Writer, id: number): Promise<ClassSessionRow | undefined> {
  const [row] = await db.select().from(classSessions).where(eq(classSessions.id, id));
  return row;
}

export interface ClassSessionFilter {
  from?: IsoDate | undefined;
  to?: IsoDate | undefined;
  readingRoomId?: number | undefined;
}

/** Sessions by date, then start time, then the order they were booked in. */
export async function listClassSessions(db: Writer, filter: ClassSessionFilter): Promise<ClassSessionRow[]> {
  return await db
    .select()
    .from(classSessions)
    .where(
      and(
        filter.from === undefined ? undefined : gte(classSessions.date, filter.from),
        filter.to === undefined ? undefined : lte(classSessions.date, filter.to),
        filter.readingRoomId === undefined ? undefined : eq(classSessions.readingRoomId, filter.readingRoomId),
      ),
    )
    .orderBy(asc(classSessions.date), asc(classSessions.startTime), asc(classSessions.id));
}

/** The booked sessions of a day, in one room or (null) in every room. */
export async function classSessionsOn(db: Writer, date: IsoDate, roomId: number | null): Promise<ClassSessionRow[]> {
  return (await listClassSessions(db, { from: date, to: date, readingRoomId: roomId ?? undefined })).filter((s) => s.status === 'booked');
}

/** The class session as docs/api.md ("Class sessions") defines it. */
const classSessionView = (row: ClassSessionRow, requestIds: number[]) => ({
  id: row.id,
  readingRoomId: row.readingRoomId,
  date: row.date,
  startTime: row.startTime,
  endTime: row.endTime,
  title: row.title,
  instructorName: row.instructorName,
  instructorEmail: row.instructorEmail,
  headcount: row.headcount,
  status: row.status,
  requestIds,
});

export async function classSessionViews(db: Writer, rows: readonly ClassSessionRow[]) {
  const ids = await requestIdsBy(db, 'classSessionId', rows.map((r) => r.id));
  return rows.map((r) => classSessionView(r, ids.get(r.id) ?? []));
}
