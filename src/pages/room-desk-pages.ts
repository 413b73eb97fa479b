import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { deskAppointment } from '../appointments/moves.ts';
import { findAppointment, listAppointments } from '../appointments/store.ts';
import { deskActionsFor } from '../domain/appointments.ts';
import { addDays, FIRST_DATE, LAST_DATE, todayIn, type IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { walkingOrder } from '../domain/walking-order.ts';
import { accountOf } from '../http/auth.ts';
import { IdSchema, IsoDateSchema, literals } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { holdShelf } from '../paging/pick-list.ts';
import { allRooms } from '../reading-rooms/store.ts';
import { requestsOfAppointment } from '../requests/store.ts';
import { appointmentWords, readableDate, readableInstant } from '../wording.ts';
import { hidden, FormBody } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { deskRow, researcherLookup } from './staff/rows.ts';

// The desk's pages of a reading room's day: the appointments (who is expected, checked in or
// out, with their photo ID and their boxes), and the hold shelf (boxes kept for researchers
// coming back). Check-in and check-out are the domain's deskAppointment; the rest is read.

const staffOnly = { access: ['staff'] as const };
const deskActions = ['check-in', 'check-out'] as const;
const actionWords: Record<(typeof deskActions)[number], { button: string; done: string }> = {
  'check-in': { button: 'Check in', done: 'checked in' },
  'check-out': { button: 'Check out', done: 'checked out' },
};
/** Every appointment of a day in a room: the room's seats bound them. */
const ALL_OF_THEM = 100_000;
/** The statuses in the order the desk looks at them: who is here, who is coming, then the rest. */
const deskOrder = ['attended', 'booked', 'no_show', 'cancelled'] as const;

const RoomDayQuery = { room: Type.Optional(IdSchema), date: Type.Optional(IsoDateSchema) };

type Extra = { notice?: string | null; problem?: string | null; status?: number };

export const roomDeskPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.desk(), label: 'Back to the desk' });

  /** The room and day a page shows: the first room and its today when not named; undefined for an unknown room. */
  const roomAndDay = async (roomId: number | undefined, date: IsoDate | undefined) => {
    const rooms = await allRooms(db);
    const room = roomId === undefined ? rooms[0] : rooms.find((r) => r.id === roomId);
    if (!room) return undefined;
    const today = todayIn(room.timezone, clock());
    return { rooms, room, today, date: date ?? today };
  };

  /** What both pages show to choose the room and the day. */
  const dayChoice = (path: (roomId?: number, date?: IsoDate) => string, rooms: ReadingRoom[], room: ReadingRoom, date: IsoDate, today: IsoDate) => ({
    action: path(),
    rooms,
    room,
    date,
    isToday: date === today,
    today: path(room.id),
    previous: date > FIRST_DATE ? { href: path(room.id, addDays(date, -1)), label: readableDate(addDays(date, -1)) } : null,
    next: date < LAST_DATE ? { href: path(room.id, addDays(date, 1)), label: readableDate(addDays(date, 1)) } : null,
  });

  const showAppointments = async (request: FastifyRequest, reply: FastifyReply, roomId: number | undefined, date: IsoDate | undefined, extra: Extra = {}) => {
    const shown = await roomAndDay(roomId, date);
    if (!shown) return missing(request, reply, 'No such reading room', `There is no reading room ${roomId}.`);
    const { rooms, room, today } = shown;
    const researcher = researcherLookup(db);
    const readable = (at: Date | null) => (at ? readableInstant(at, room.timezone) : null);
    const people = (
      await Promise.all(
        (await listAppointments(db, { date: shown.date, readingRoomId: room.id }, ALL_OF_THEM)).map(async (row) => ({
          id: row.id,
          status: row.status,
          statusWords: appointmentWords[row.status].desk,
          researcher: await researcher(row.researcherId),
          checkedIn: readable(row.checkedInAt),
          checkedOut: readable(row.checkedOutAt),
          actions: deskActionsFor(row, today).map((action) => ({ action, label: actionWords[action].button })),
          requests: await Promise.all((await requestsOfAppointment(db, row.id)).sort(walkingOrder).map((r) => deskRow(db, r, researcher))),
        })),
      )
    ).sort((a, b) => deskOrder.indexOf(a.status) - deskOrder.indexOf(b.status) || a.researcher.name.localeCompare(b.researcher.name, 'en'));
    return page(
      request,
      reply,
      'staff-appointments',
      {
        title: `Appointments: ${room.name}, ${readableDate(shown.date)}`,
        wide: true,
        choice: dayChoice(pagePaths.deskAppointments, rooms, room, shown.date, today),
        people,
        seats: room.seats,
        taking: people.filter((p) => p.status === 'booked' || p.status === 'attended').length,
        notice: extra.notice ?? null,
        problem: extra.problem ?? null,
      },
      extra.status,
    );
  };

  app.get(
    '/desk/appointments',
    {
      config: staffOnly,
      schema: { ...hidden, querystring: Type.Object({ ...RoomDayQuery, done: Type.Optional(literals(deskActions)), appointment: Type.Optional(IdSchema) }) },
    },
    async (request, reply) => {
      const { room, date, done, appointment } = request.query;
      const row = appointment === undefined ? undefined : await findAppointment(db, appointment);
      const notice = row && done ? `${(await researcherLookup(db)(row.researcherId)).name} is ${actionWords[done].done}.` : null;
      return showAppointments(request, reply, room, date, { notice });
    },
  );

  for (const action of deskActions) {
    app.post(
      `/desk/appointments/:id/${action}`,
      {
        config: staffOnly,
        preHandler: app.csrfProtection,
        schema: { ...hidden, params: Type.Object({ id: IdSchema }), body: FormBody({}) },
      },
      async (request, reply) => {
        const { id } = request.params;
        const row = await findAppointment(db, id);
        if (!row) return missing(request, reply, 'No such appointment', `There is no appointment ${id}.`);
        const moved = await attempt(() => deskAppointment(requests, id, accountOf(request), action, clock));
        if (!moved.ok) {
          const { message, statusCode, code } = moved.refusal;
          return showAppointments(request, reply, row.readingRoomId, row.date, { problem: `${message} (${statusCode} ${code})`, status: statusCode });
        }
        return seeOther(reply, config, `${pagePaths.deskAppointments(row.readingRoomId, row.date)}&done=${action}&appointment=${id}`);
      },
    );
  }

  app.get('/paging/hold-shelf', { config: staffOnly, schema: { ...hidden, querystring: Type.Object(RoomDayQuery) } }, async (request, reply) => {
    const shown = await roomAndDay(request.query.room, request.query.date);
    if (!shown) return missing(request, reply, 'No such reading room', `There is no reading room ${request.query.room}.`);
    const { rooms, room, today, date } = shown;
    const researcher = researcherLookup(db);
    // Holds are researchers' only (a class session's box is never held).
    const items = [];
    for (const item of await holdShelf(db, date, room.id)) if (item.researcher) items.push({ ...item, researcher: await researcher(item.researcher.id) });
    return page(request, reply, 'staff-hold-shelf', {
      title: `Hold shelf: ${room.name}, ${readableDate(date)}`,
      wide: true,
      choice: dayChoice(pagePaths.holdShelf, rooms, room, date, today),
      items,
    });
  });
};
