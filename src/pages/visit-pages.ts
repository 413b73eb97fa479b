import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { appointmentCalendarFile } from '../appointments/calendar-file.ts';
import { cancelAppointment, makeAppointment, visibleAppointment } from '../appointments/moves.ts';
import { listAppointments, seatsTaken } from '../appointments/store.ts';
import { closuresFrom } from '../calendar/store.ts';
import { deskAllows, takesSeat } from '../domain/appointments.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { horizonOf, type ReadingRoom } from '../domain/reading-rooms.ts';
import { addMonths, isIsoMonth, monthOf, visitDays, type IsoMonth } from '../domain/visit-plan.ts';
import { accountOf } from '../http/auth.ts';
import { pageLinks, pagePaths } from '../links.ts';
import { allRooms, findRoom } from '../reading-rooms/store.ts';
import { containerDetails, listRequests } from '../requests/store.ts';
import { appointmentWords, readableDay, readableMessage, readableMonth } from '../wording.ts';
import { FormBody, hidden, IdList, IdText, idOf, idsOf, isIsoDate } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { boxesOn, boxWords, dayWords } from './visit-days.ts';

// The researcher's visits: planning one (a month of a room's days, each with its seats left or
// why it cannot be booked, and how the chosen boxes stand that day), booking a day, and "My
// appointments" with cancellation and a calendar file for each. Every rule is the domain's
// (src/domain/visit-plan.ts, makeAppointment, cancelAppointment): the pages say its answers.

const researcherOnly = { access: ['researcher'] as const };
/** Every appointment and request of one researcher: "My appointments" is one page. */
const ALL_OF_THEM = 100_000;

interface PlanAsked {
  room?: string | undefined;
  month?: string | undefined;
  containerIds: number[];
}

export const visitPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.appointments, label: 'Your appointments' });

  /** The month of a room to plan a visit in, with the chosen boxes' standing on each day it could be read. */
  const showPlan = async (request: FastifyRequest, reply: FastifyReply, asked: PlanAsked, problem: string | null = null, status = 200) => {
    const researcher = accountOf(request);
    const rooms = await allRooms(db);
    const details = await containerDetails(db, asked.containerIds);
    const boxes = asked.containerIds.flatMap((id) => details.get(id) ?? []);
    const askedRoom = idOf(asked.room);
    const room = rooms.find((r) => r.id === (askedRoom ?? boxes[0]?.readingRoomId)) ?? (asked.room === undefined ? rooms[0] : undefined);
    if (!room) return missing(request, reply, 'No such reading room', `There is no reading room ${asked.room ?? ''}.`);

    const today = todayIn(room.timezone, clock());
    // Every closure ahead, not only those up to the horizon: a closed day past it still says why.
    const roomDay = { room, today, closures: await closuresFrom(db, room.id, today) };
    const firstMonth = monthOf(today);
    const lastMonth = monthOf(horizonOf(roomDay));
    const askedMonth = asked.month !== undefined && isIsoMonth(asked.month) ? asked.month : undefined;
    const month: IsoMonth = askedMonth !== undefined && askedMonth >= firstMonth && askedMonth <= lastMonth ? askedMonth : firstMonth;
    if (!problem && asked.month !== undefined && month !== asked.month) {
      problem = `Visits to ${room.name} can be planned from ${readableMonth(firstMonth)} to ${readableMonth(lastMonth)}; here is ${readableMonth(month)}.`;
    }

    const taken = room.seats === null ? new Map<IsoDate, number>() : await seatsTaken(db, room.id, `${month}-01`, `${month}-31`);
    const mine = new Map(
      (await listAppointments(db, { researcherId: researcher.id, readingRoomId: room.id }, ALL_OF_THEM))
        .filter((a) => takesSeat(a.status) && monthOf(a.date) === month)
        .map((a) => [a.date, a]),
    );
    const here = boxes.filter((b) => b.readingRoomId === room.id && !b.withdrawn);
    /** How each chosen box of this room stands on a day. */
    const standingsOn = async (date: IsoDate) => {
      const standings = await boxesOn(db, researcher.id, here, date);
      return here.map((box) => {
        const standing = standings.get(box.id)!;
        return { label: box.containerLabel, standing, words: boxWords[standing] };
      });
    };
    const days = [];
    for (const { date, verdict } of visitDays(roomDay, month, taken)) {
      const appointment = mine.get(date);
      const readable = verdict.kind === 'bookable' || verdict.kind === 'full';
      days.push({
        date,
        day: readableDay(date),
        kind: verdict.kind,
        words: dayWords(date, verdict),
        appointment: appointment ? { status: appointmentWords[appointment.status].researcher } : null,
        mayBook: verdict.kind === 'bookable' && !appointment,
        boxes: readable ? await standingsOn(date) : [],
      });
    }
    const roomOf = new Map(rooms.map((r) => [r.id, r.name]));
    return page(
      request,
      reply,
      'researcher-visit',
      {
        title: `Plan a visit: ${room.name}, ${readableMonth(month)}`,
        room,
        rooms,
        month,
        monthName: readableMonth(month),
        days,
        anyBookable: days.some((d) => d.kind === 'bookable'),
        previous: month > firstMonth ? { href: pagePaths.planVisit(room.id, addMonths(month, -1), asked.containerIds), label: readableMonth(addMonths(month, -1)) } : null,
        next: month < lastMonth ? { href: pagePaths.planVisit(room.id, addMonths(month, 1), asked.containerIds), label: readableMonth(addMonths(month, 1)) } : null,
        containerIds: asked.containerIds,
        chosen: boxes.map((b) => ({
          label: b.containerLabel,
          callNumber: b.callNumber,
          withdrawn: b.withdrawn,
          elsewhere: b.readingRoomId === room.id ? null : (roomOf.get(b.readingRoomId) ?? 'another reading room'),
        })),
        problem,
      },
      status,
    );
  };

  /** "My appointments": the coming ones first (soonest first), then the past (latest first). */
  const showAppointments = async (request: FastifyRequest, reply: FastifyReply, shown: { booked?: number; cancelled?: number; problem?: string }, status = 200) => {
    const researcher = accountOf(request);
    const now = clock();
    const rooms = new Map((await allRooms(db)).map((r) => [r.id, r]));
    const theirs = await listRequests(db, { researcherId: researcher.id }, ALL_OF_THEM);
    const visits = (await listAppointments(db, { researcherId: researcher.id }, ALL_OF_THEM)).map((row) => {
      const room = rooms.get(row.readingRoomId) as ReadingRoom;
      const today = todayIn(room.timezone, now);
      return {
        id: row.id,
        date: row.date,
        roomName: room.name,
        status: row.status,
        statusWords: appointmentWords[row.status].researcher,
        upcoming: row.date >= today,
        mayCancel: deskAllows(row, 'cancel', today),
        calendarHref: pagePaths.appointmentCalendar(row.id),
        requests: theirs.filter((r) => r.appointmentId === row.id),
      };
    });
    const byDate = (a: { date: IsoDate; id: number }, b: { date: IsoDate; id: number }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id);
    const said = (id: number | undefined) => visits.find((v) => v.id === id) ?? null;
    return page(
      request,
      reply,
      'researcher-appointments',
      {
        title: 'My appointments',
        upcoming: visits.filter((v) => v.upcoming).sort(byDate),
        past: visits.filter((v) => !v.upcoming).sort((a, b) => byDate(b, a)),
        booked: said(shown.booked),
        cancelled: said(shown.cancelled),
        planHref: pagePaths.planVisit(),
        problem: shown.problem ?? null,
      },
      status,
    );
  };

  app.get(
    '/visit',
    {
      config: researcherOnly,
      schema: { ...hidden, querystring: Type.Object({ room: Type.Optional(IdText), month: Type.Optional(IdText), containerIds: IdList }) },
    },
    async (request, reply) => {
      const { room, month, containerIds } = request.query;
      // An address someone edited by hand shows the page with what could be read of it.
      return showPlan(request, reply, { room: room || undefined, month: month || undefined, containerIds: idsOf(containerIds) ?? [] });
    },
  );

  app.post(
    '/visit/book',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ room: IdText, date: IdText, containerIds: IdList }) },
    },
    async (request, reply) => {
      const { room, date } = request.body;
      const containerIds = idsOf(request.body.containerIds) ?? [];
      const roomId = idOf(room);
      if (roomId === undefined || !(await findRoom(db, roomId))) return missing(request, reply, 'No such reading room', `There is no reading room ${room}.`);
      if (!isIsoDate(date)) return showPlan(request, reply, { room, containerIds }, 'Choose a day of the month to book.', 422);
      const asked = { room, month: monthOf(date), containerIds };
      const booked = await attempt(() => makeAppointment(requests, accountOf(request), roomId, date, clock));
      if (!booked.ok) return showPlan(request, reply, asked, readableMessage(booked.refusal.message), booked.refusal.statusCode);
      return seeOther(reply, config, `${pagePaths.appointments}?booked=${booked.value.id}`);
    },
  );

  app.get(
    '/appointments',
    { config: researcherOnly, schema: { ...hidden, querystring: Type.Object({ booked: Type.Optional(IdText), cancelled: Type.Optional(IdText) }) } },
    async (request, reply) => showAppointments(request, reply, { booked: idOf(request.query.booked), cancelled: idOf(request.query.cancelled) }),
  );

  app.post(
    '/appointments/:id/cancel',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params: Type.Object({ id: IdText }), body: FormBody({}) },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const cancelled = id === undefined ? undefined : await attempt(() => cancelAppointment(requests, id, accountOf(request), clock));
      if (!cancelled || (!cancelled.ok && cancelled.refusal.statusCode === 404)) {
        return missing(request, reply, 'No such appointment', `There is no appointment ${request.params.id} among yours.`);
      }
      if (!cancelled.ok) return showAppointments(request, reply, { problem: readableMessage(cancelled.refusal.message) }, cancelled.refusal.statusCode);
      return seeOther(reply, config, `${pagePaths.appointments}?cancelled=${id}`);
    },
  );

  app.get(
    '/appointments/:id/calendar.ics',
    { config: researcherOnly, schema: { ...hidden, params: Type.Object({ id: IdText }) } },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const found = id === undefined ? undefined : await attempt(() => visibleAppointment(db, id, accountOf(request)));
      if (!found?.ok) return missing(request, reply, 'No such appointment', `There is no appointment ${request.params.id} among yours.`);
      const appointment = found.value;
      const roomName = (await findRoom(db, appointment.readingRoomId))?.name ?? 'the reading room';
      const site = { libraryName: config.libraryName, publicUrl: config.publicUrl, appointmentsUrl: pageLinks(config.publicUrl).appointments };
      const file = appointmentCalendarFile({ id: appointment.id, date: appointment.date, roomName }, site, appointment.status === 'cancelled');
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="visit-${appointment.date}.ics"`)
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );
};
