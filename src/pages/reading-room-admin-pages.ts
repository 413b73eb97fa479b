import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  isTimeZone,
  LOCAL_TIME_PATTERN,
  PAGING_TIMES_MAX,
  ROOM_CODE_PATTERN,
  roomDefaults,
  roomSettingBounds,
  type ReadingRoom,
} from '../domain/reading-rooms.ts';
import { IdSchema, literals } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { allRooms, createRoom, findRoom, updateRoom, type RoomSettings } from '../reading-rooms/store.ts';
import { FormBody, FormText, hidden } from './form.ts';
import { attempt, pageRenderer, seeOther, type PageOptions } from './kit.ts';

// The admin's reading rooms: each room's settings, a form to change them, and one to add a room.
// The checks are the API's own (the bounds, patterns and time-zone check of
// src/domain/reading-rooms.ts), said to a person; createRoom and updateRoom make the change.

const access = { access: ['admin'] as const };

type Bounded = keyof typeof roomSettingBounds;
const settingNames = ['code', 'name', 'timezone', ...(Object.keys(roomSettingBounds) as Bounded[]), 'pagingTimes', 'closingTime'] as const;
type RoomForm = Record<(typeof settingNames)[number], string>;

/** Each numbered setting as the form names it. */
const boundedWords: Record<Bounded, string> = {
  seats: 'Seats a day',
  leadBusinessDays: 'Notice, in business days',
  dailyItemLimit: 'Boxes per researcher a day',
  maxAdvanceDays: 'Booking horizon, in days',
  holdBusinessDays: 'Longest hold, in business days after the visit',
  classLeadBusinessDays: 'Class sessions: notice, in business days',
  classItemLimit: 'Class sessions: boxes',
};

const ROOM_CODE = new RegExp(ROOM_CODE_PATTERN);
const LOCAL_TIME = new RegExp(LOCAL_TIME_PATTERN);

/** A room's settings as the form shows them. */
function formOf(settings: RoomSettings): RoomForm {
  const bounded = Object.fromEntries((Object.keys(roomSettingBounds) as Bounded[]).map((name) => [name, settings[name] === null ? '' : String(settings[name])]));
  return { ...(bounded as Record<Bounded, string>), code: settings.code, name: settings.name, timezone: settings.timezone, pagingTimes: settings.pagingTimes.join(', '), closingTime: settings.closingTime };
}

/** The settings a form gives, or what is wrong with them, said as the API's schema would refuse them. */
function settingsOf(form: RoomForm): { settings: RoomSettings } | { problem: string } {
  const code = form.code.trim();
  const name = form.name.trim();
  const timezone = form.timezone.trim();
  if (!ROOM_CODE.test(code)) return { problem: 'The code is a short name of up to 40 letters, digits, “-” or “_”, starting with a letter or a digit.' };
  if (name === '' || name.length > 200) return { problem: 'Give the room’s name (up to 200 characters).' };
  if (!isTimeZone(timezone)) return { problem: `“${timezone}” is not a time zone: give an IANA name such as America/New_York.` };
  const numbers: Partial<Record<Bounded, number | null>> = {};
  for (const setting of Object.keys(roomSettingBounds) as Bounded[]) {
    const text = form[setting].trim();
    if (setting === 'seats' && text === '') {
      numbers.seats = null;
      continue;
    }
    const { minimum, maximum } = roomSettingBounds[setting];
    const value = /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
    if (!(value >= minimum && value <= maximum)) {
      return { problem: `${boundedWords[setting]}: give a whole number from ${minimum} to ${maximum}${setting === 'seats' ? ', or nothing for unlimited seats' : ''}.` };
    }
    numbers[setting] = value;
  }
  const pagingTimes = form.pagingTimes.split(/[\s,]+/).filter((t) => t !== '');
  if (pagingTimes.length === 0 || pagingTimes.length > PAGING_TIMES_MAX || !pagingTimes.every((t) => LOCAL_TIME.test(t))) {
    return { problem: `Pull times: from one to ${PAGING_TIMES_MAX} times of day such as 09:00, 14:00.` };
  }
  const closingTime = form.closingTime.trim();
  if (!LOCAL_TIME.test(closingTime)) return { problem: 'Closing time: a time of day such as 17:00.' };
  return { settings: { ...(numbers as Omit<RoomSettings, 'code' | 'name' | 'timezone' | 'pagingTimes' | 'closingTime'>), code, name, timezone, pagingTimes, closingTime } };
}

const RoomFormBody = FormBody(Object.fromEntries(settingNames.map((name) => [name, FormText])) as Record<(typeof settingNames)[number], typeof FormText>);

export const readingRoomAdminPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);

  /** The rooms; a refused form comes back as it was typed, open, with the problem. */
  const showRooms = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: { notice?: string | null; problem?: string | null; editing?: { id: number; form: RoomForm }; adding?: RoomForm } = {},
    status = 200,
  ) =>
    page(
      request,
      reply,
      'admin-rooms',
      {
        title: 'Reading rooms',
        wide: true,
        rooms: (await allRooms(db)).map((room) => ({
          ...room,
          open: view.editing?.id === room.id,
          form: view.editing?.id === room.id ? view.editing.form : formOf(room),
        })),
        adding: view.adding ?? formOf({ ...roomDefaults, code: '', name: '', timezone: config.timezone }),
        addingOpen: view.adding !== undefined,
        boundedWords,
        bounds: roomSettingBounds,
        pagingTimesMax: PAGING_TIMES_MAX,
        notice: view.notice ?? null,
        problem: view.problem ?? null,
      },
      status,
    );

  const noticeOf = (done: 'created' | 'updated' | undefined, room: ReadingRoom | undefined) => {
    if (!done || !room) return null;
    return done === 'created' ? `${room.name} is open for bookings, with its own calendar and seats.` : `The settings of ${room.name} are saved.`;
  };

  app.get(
    '/admin/rooms',
    {
      config: access,
      schema: { ...hidden, querystring: Type.Object({ done: Type.Optional(literals(['created', 'updated'] as const)), room: Type.Optional(IdSchema) }) },
    },
    async (request, reply) => {
      const { done, room } = request.query;
      return showRooms(request, reply, { notice: noticeOf(done, room === undefined ? undefined : await findRoom(db, room)) });
    },
  );

  app.post('/admin/rooms', { config: access, preHandler: app.csrfProtection, schema: { ...hidden, body: RoomFormBody } }, async (request, reply) => {
    const { _csrf, ...form } = request.body;
    const read = settingsOf(form);
    if ('problem' in read) return showRooms(request, reply, { problem: read.problem, adding: form }, 400);
    const created = await attempt(() => createRoom(db, read.settings, clock()));
    if (!created.ok) return showRooms(request, reply, { problem: created.refusal.message, adding: form }, created.refusal.statusCode);
    return seeOther(reply, config, `${pagePaths.readingRooms}?done=created&room=${created.value.id}`);
  });

  app.post(
    '/admin/rooms/:id',
    { config: access, preHandler: app.csrfProtection, schema: { ...hidden, params: Type.Object({ id: IdSchema }), body: RoomFormBody } },
    async (request, reply) => {
      const { id } = request.params;
      const { _csrf, ...form } = request.body;
      const read = settingsOf(form);
      if ('problem' in read) return showRooms(request, reply, { problem: read.problem, editing: { id, form } }, 400);
      const updated = await attempt(() => updateRoom(db, id, read.settings));
      if (!updated.ok) return showRooms(request, reply, { problem: updated.refusal.message, editing: { id, form } }, updated.refusal.statusCode);
      return seeOther(reply, config, `${pagePaths.readingRooms}?done=updated&room=${id}`);
    },
  );
};
