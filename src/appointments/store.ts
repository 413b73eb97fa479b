import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import { appointments, oneOf, type AppointmentStatus } from '../../db/tables.ts';
import type { Writer } from '../../db/transactions.ts';
import { prepared } from '../../db/statements.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { seatTakingStatuses } from '../domain/appointments.ts';
import { requestIdsBy } from '../requests/store.ts';

export type AppointmentRow = typeof appointments.$inferSelect;

export function findAppointment(db: Writer, id: number): Promise<AppointmentRow | undefined> {
  return prepared(db, 'findAppointment', () => db.select().from(appointments).where(eq(appointments.id, sql.placeholder('id')))).first({ id });
}

/** The researcher's appointment that takes a seat in a room on a day (one at most). */
export function seatOf(db: Writer, researcherId: number, roomId: number, date: IsoDate): Promise<AppointmentRow | undefined> {
  return prepared(db, 'seatOf', () =>
    db
      .select()
      .from(appointments)
      .where(
        and(
          eq(appointments.researcherId, sql.placeholder('researcherId')),
          eq(appointments.readingRoomId, sql.placeholder('roomId')),
          eq(appointments.date, sql.placeholder('date')),
          // Literals, so the unique index appointments_one_seat_each (partial on these statuses) finds
          // the row; with parameters, SQLite read every seat-taking appointment of the room that day.
          oneOf(appointments.status, seatTakingStatuses),
        ),
      ),
  ).first({ researcherId, roomId, date });
}

/** Seats taken in a room on each day from `from` to `to`: days with none are left out. */
export async function seatsTaken(db: Writer, roomId: number, from: IsoDate, to: IsoDate): Promise<Map<IsoDate, number>> {
  const rows = await prepared(db, 'seatsTaken', () =>
    db
      .select({ date: appointments.date, taken: count() })
      .from(appointments)
      .where(
        and(
          eq(appointments.readingRoomId, sql.placeholder('roomId')),
          sql`${appointments.date} between ${sql.placeholder('from')} and ${sql.placeholder('to')}`,
          inArray(appointments.status, [...seatTakingStatuses]),
        ),
      )
      .groupBy(appointments.date),
  ).rows({ roomId, from, to });
  return new Map(rows.map((r) => [r.date, r.taken]));
}

export interface AppointmentFilter {
  date?: IsoDate | undefined;
  readingRoomId?: number | undefined;
  researcherId?: number | undefined;
  status?: AppointmentStatus | undefined;
  afterId?: number | undefined;
}

export async function listAppointments(db: Writer, filter: AppointmentFilter, limit: number): Promise<AppointmentRow[]> {
  return db
    .select()
    .from(appointments)
    .where(
      and(
        filter.date === undefined ? undefined : eq(appointments.date, filter.date),
        filter.readingRoomId === undefined ? undefined : eq(appointments.readingRoomId, filter.readingRoomId),
        filter.researcherId === undefined ? undefined : eq(appointments.researcherId, filter.researcherId),
        filter.status === undefined ? undefined : eq(appointments.status, filter.status),
        filter.afterId === undefined ? undefined : gt(appointments.id, filter.afterId),
      ),
    )
    .orderBy(asc(appointments.id))
    .limit(limit);
}

/** The appointment as docs/api.md defines it. */
export function appointmentView(row: AppointmentRow, requestIds: number[]) {
  return {
    id: row.id,
    researcherId: row.researcherId,
    readingRoomId: row.readingRoomId,
    date: row.date,
    status: row.status,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
    requestIds,
  };
}

export async function appointmentViews(db: Writer, rows: AppointmentRow[]) {
  const ids = await requestIdsBy(db, 'appointmentId', rows.map((r) => r.id));
  return rows.map((r) => appointmentView(r, ids.get(r.id) ?? []));
}
