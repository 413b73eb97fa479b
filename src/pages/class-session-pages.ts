import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { EMAIL_MAX } from '../accounts/secrets.ts';
import { roomDay } from '../calendar/store.ts';
import { bookClassSession, cancelClassSession, type ClassBooking } from '../class-sessions/book.ts';
import { findClassSession, listClassSessions } from '../class-sessions/store.ts';
import { findCollections, findContainers } from '../collections/store.ts';
import { businessDays } from '../domain/booking-rules.ts';
import { CLASS_HEADCOUNT_MAX, CLASS_TITLE_MAX } from '../domain/class-sessions.ts';
import { earliestVisitDate, todayIn } from '../domain/calendar.ts';
import { LOCAL_TIME_PATTERN, type ReadingRoom } from '../domain/reading-rooms.ts';
import { accountOf } from '../http/auth.ts';
import { IdSchema } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { allRooms } from '../reading-rooms/store.ts';
import { requestsOfClassSession } from '../requests/store.ts';
import { classSessionWords, deskStatus, readableDate, readableMessage, wantedWords } from '../wording.ts';
import { emailProblem, FormBody, FormText, hidden, IdList, IdText, idOf, idsOf, isIsoDate } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';

// The desk's class sessions (docs/api.md, "Class sessions"; docs/pages.md), for staff and curators: the sessions from
// today on, each with its boxes and, while booked, a button to cancel it; and the form that books
// one, its boxes chosen from a collection's as checkboxes. The booking and the cancelling are the
// API's own (`bookClassSession`, `cancelClassSession`): the room's class rules answer there, and a
// refusal comes back on the page with the form as it was typed.

const deskAndCurators = { access: ['staff', 'curator'] as const };

/** The API's bounds (src/domain/class-sessions.ts), said to a person. */
const TEXT_MAX = CLASS_TITLE_MAX;
const HEADCOUNT_MAX = CLASS_HEADCOUNT_MAX;
const LOCAL_TIME = new RegExp(LOCAL_TIME_PATTERN);

/** The booking form as typed: every field kept as text, to be shown again when refused. */
interface ClassForm {
  readingRoomId: string;
  date: string;
  startTime: string;
  endTime: string;
  title: string;
  instructorName: string;
  instructorEmail: string;
  headcount: string;
  collectionId: string;
  containerIds: string[];
}

const ClassFormBody = FormBody({
  readingRoomId: Type.Optional(IdText),
  date: Type.Optional(IdText),
  startTime: Type.Optional(IdText),
  endTime: Type.Optional(IdText),
  title: Type.Optional(FormText),
  instructorName: Type.Optional(FormText),
  instructorEmail: Type.Optional(FormText),
  headcount: Type.Optional(IdText),
  collectionId: Type.Optional(IdText),
  containerIds: IdList,
});

const emptyForm = (readingRoomId: number | undefined, collectionId: number | undefined): ClassForm => ({
  readingRoomId: readingRoomId === undefined ? '' : String(readingRoomId),
  date: '',
  startTime: '',
  endTime: '',
  title: '',
  instructorName: '',
  instructorEmail: '',
  headcount: '',
  collectionId: collectionId === undefined ? '' : String(collectionId),
  containerIds: [],
});

/** The booking a form gives, or what is wrong with what was typed (400; 422 when no box was chosen). */
function bookingOf(form: ClassForm, rooms: readonly ReadingRoom[]): { booking: ClassBooking } | { problem: string; status: number } {
  const readingRoomId = idOf(form.readingRoomId);
  if (readingRoomId === undefined || !rooms.some((r) => r.id === readingRoomId)) return { problem: 'Choose the reading room of the class.', status: 400 };
  if (!isIsoDate(form.date)) return { problem: 'Choose the day of the class.', status: 400 };
  if (!LOCAL_TIME.test(form.startTime) || !LOCAL_TIME.test(form.endTime)) return { problem: 'Give the times the class starts and ends, such as 10:00 and 11:30.', status: 400 };
  const title = form.title.trim();
  if (title === '' || title.length > TEXT_MAX) return { problem: `Give the class’s title (up to ${TEXT_MAX} characters).`, status: 400 };
  const instructorName = form.instructorName.trim();
  if (instructorName === '' || instructorName.length > TEXT_MAX) return { problem: `Give the instructor’s name (up to ${TEXT_MAX} characters).`, status: 400 };
  const instructorEmail = form.instructorEmail.trim();
  if (emailProblem(instructorEmail)) return { problem: 'Give the instructor’s e-mail address: the booking is mailed to it.', status: 400 };
  const headcount = /^[0-9]{1,3}$/.test(form.headcount.trim()) ? Number(form.headcount.trim()) : NaN;
  if (!(headcount >= 1 && headcount <= HEADCOUNT_MAX)) return { problem: `Give the number of students, from 1 to ${HEADCOUNT_MAX}.`, status: 400 };
  const containerIds = idsOf(form.containerIds);
  if (!containerIds) return { problem: 'Choose the boxes from the list.', status: 400 };
  if (containerIds.length === 0) return { problem: 'Choose at least one box for the class.', status: 422 };
  return { booking: { readingRoomId, date: form.date, startTime: form.startTime, endTime: form.endTime, title, instructorName, instructorEmail, headcount, containerIds } };
}

interface Shown {
  /** Only the sessions of this room (`?room=`). */
  roomId?: number | undefined;
  /** The collection whose boxes the form offers (`?collectionId=`, or the form's own). */
  collectionId?: number | undefined;
  form?: ClassForm;
  notice?: string | null;
  problem?: string | null;
}

export const classSessionPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.classSessions, label: 'Back to the class sessions' });

  /** What was just done, said at the top of the page: the session booked or cancelled (the address names it). */
  const noticeOf = async (booked: number | undefined, cancelled: number | undefined) => {
    const done = booked ?? cancelled;
    const session = done === undefined ? undefined : await findClassSession(db, done);
    if (!session) return null;
    const which = `the class session “${session.title}” of ${readableDate(session.date)}`;
    if (booked !== undefined && session.status === 'booked') return `Booked: ${which}. The instructor is mailed what is booked.`;
    if (cancelled !== undefined && session.status === 'cancelled') return `Cancelled: ${which}, with its boxes not yet fetched from the stacks. The instructor is told by e-mail.`;
    return null;
  };

  const showSessions = async (request: FastifyRequest, reply: FastifyReply, shown: Shown, status = 200) => {
    const rooms = await allRooms(db);
    if (shown.roomId !== undefined && !rooms.some((r) => r.id === shown.roomId)) {
      return missing(request, reply, 'No such reading room', `There is no reading room ${shown.roomId}.`);
    }
    const collection = shown.collectionId === undefined ? undefined : (await findCollections(db, { id: shown.collectionId }))[0];
    if (shown.collectionId !== undefined && !collection) return missing(request, reply, 'No such collection', `There is no collection ${shown.collectionId}.`);

    // Each room's day and class rules: its own today, notice and number of boxes.
    const now = clock();
    const days = new Map(await Promise.all(rooms.map(async (room) => [room.id, await roomDay(db, room, now)] as const)));
    const todayOf = (roomId: number) => days.get(roomId)?.today ?? todayIn(config.timezone, now);
    const rules = rooms.map((room) => {
      const day = days.get(room.id)!;
      return {
        id: room.id,
        name: room.name,
        notice: businessDays(room.classLeadBusinessDays),
        earliest: earliestVisitDate(day.today, day.closures, room.classLeadBusinessDays),
        limit: room.classItemLimit,
      };
    });
    const roomName = new Map(rooms.map((r) => [r.id, r.name]));
    const from = [...days.values()].map((d) => d.today).sort()[0];

    // Curators may not open the desk's request pages: their boxes are named, not linked.
    const deskLinks = request.account?.role !== 'curator';
    const sessions = await Promise.all(
      (await listClassSessions(db, { from, readingRoomId: shown.roomId }))
        .filter((s) => s.date >= todayOf(s.readingRoomId))
        .map(async (s) => ({
          id: s.id,
          title: s.title,
          date: s.date,
          startTime: s.startTime,
          endTime: s.endTime,
          roomName: roomName.get(s.readingRoomId) ?? `Reading room ${s.readingRoomId}`,
          instructorName: s.instructorName,
          instructorEmail: s.instructorEmail,
          headcount: s.headcount,
          status: s.status,
          statusWords: classSessionWords[s.status],
          mayCancel: s.status === 'booked',
          boxes: (await requestsOfClassSession(db, s.id)).map((r) => ({
            requestId: r.id,
            href: deskLinks ? pagePaths.deskRequest(r.id) : null,
            containerLabel: r.containerLabel,
            callNumber: r.callNumber,
            collectionTitle: r.collectionTitle,
            location: r.location,
            folders: r.components.map(wantedWords),
            statusWords: deskStatus(r.status),
          })),
        })),
    );

    const form = shown.form ?? emptyForm(collection?.readingRoomId ?? shown.roomId ?? rooms[0]?.id, collection?.id);
    const chosen = new Set(idsOf(form.containerIds) ?? []);
    const boxes = collection
      ? (await findContainers(db, collection.id, todayOf(collection.readingRoomId))).map((c) => ({
          id: c.id,
          label: c.label,
          location: c.location,
          restricted: c.restricted,
          withdrawn: c.withdrawn,
          checked: chosen.has(c.id),
        }))
      : [];
    const several = rooms.length > 1;
    return page(
      request,
      reply,
      'staff-class-sessions',
      {
        title: 'Class sessions',
        wide: true,
        rooms,
        roomId: shown.roomId ?? null,
        roomFilter: several ? [{ href: pagePaths.classSessions, label: 'Every reading room', current: shown.roomId === undefined }, ...rooms.map((r) => ({ href: `${pagePaths.classSessions}?room=${r.id}`, label: r.name, current: r.id === shown.roomId }))] : [],
        sessions,
        rules,
        collections: (await findCollections(db)).map((c) => ({ id: c.id, label: `${c.callNumber}: ${c.title}${several ? ` (${roomName.get(c.readingRoomId) ?? ''})` : ''}`, selected: c.id === collection?.id })),
        collection: collection ? { id: collection.id, callNumber: collection.callNumber, title: collection.title, limit: rules.find((r) => r.id === collection.readingRoomId)?.limit ?? null } : null,
        boxes,
        form,
        textMax: TEXT_MAX,
        emailMax: EMAIL_MAX,
        headcountMax: HEADCOUNT_MAX,
        notice: shown.notice ?? null,
        problem: shown.problem ?? null,
      },
      status,
    );
  };

  app.get(
    '/desk/class-sessions',
    {
      config: deskAndCurators,
      schema: {
        ...hidden,
        querystring: Type.Object({ room: Type.Optional(IdSchema), collectionId: Type.Optional(IdSchema), booked: Type.Optional(IdSchema), cancelled: Type.Optional(IdSchema) }),
      },
    },
    async (request, reply) => {
      const { room, collectionId, booked, cancelled } = request.query;
      return showSessions(request, reply, { roomId: room, collectionId, notice: await noticeOf(booked, cancelled) });
    },
  );

  app.post('/desk/class-sessions', { config: deskAndCurators, preHandler: app.csrfProtection, schema: { ...hidden, body: ClassFormBody } }, async (request, reply) => {
    const body = request.body;
    const form: ClassForm = {
      readingRoomId: body.readingRoomId ?? '',
      date: body.date ?? '',
      startTime: body.startTime ?? '',
      endTime: body.endTime ?? '',
      title: body.title ?? '',
      instructorName: body.instructorName ?? '',
      instructorEmail: body.instructorEmail ?? '',
      headcount: body.headcount ?? '',
      collectionId: body.collectionId ?? '',
      containerIds: body.containerIds ?? [],
    };
    // The boxes are shown again from the collection the form named; one that is not there, none.
    const collectionId = idOf(form.collectionId);
    const shownAgain = collectionId !== undefined && (await findCollections(db, { id: collectionId })).length > 0 ? collectionId : undefined;
    const again = (problem: string, status: number) => showSessions(request, reply, { collectionId: shownAgain, form, problem }, status);
    const read = bookingOf(form, await allRooms(db));
    if ('problem' in read) return again(read.problem, read.status);
    const booked = await attempt(() => bookClassSession(requests, accountOf(request), read.booking, clock));
    if (!booked.ok) return again(readableMessage(booked.refusal.message), booked.refusal.statusCode);
    // The redirect keeps path and query only (kit.ts pathOnThisSite): the notice names the session.
    return seeOther(reply, config, `${pagePaths.classSessions}?booked=${booked.value.id}`);
  });

  app.post(
    '/desk/class-sessions/:id/cancel',
    { config: deskAndCurators, preHandler: app.csrfProtection, schema: { ...hidden, params: Type.Object({ id: IdSchema }), body: FormBody({}) } },
    async (request, reply) => {
      const { id } = request.params;
      const cancelled = await attempt(() => cancelClassSession(requests, id, accountOf(request), clock));
      if (!cancelled.ok) {
        const { message, statusCode } = cancelled.refusal;
        if (statusCode === 404) return missing(request, reply, 'No such class session', message);
        return showSessions(request, reply, { problem: readableMessage(message) }, statusCode);
      }
      return seeOther(reply, config, `${pagePaths.classSessions}?cancelled=${id}`);
    },
  );
};
