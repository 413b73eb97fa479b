import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listAppointments, seatsTaken } from '../appointments/store.ts';
import { roomDay } from '../calendar/store.ts';
import { takesSeat } from '../domain/appointments.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { monthOf, visitDays } from '../domain/visit-plan.ts';
import { accountOf } from '../http/auth.ts';
import { pagePaths } from '../links.ts';
import { allRooms } from '../reading-rooms/store.ts';
import { containerDetails } from '../requests/store.ts';
import { removeSaved, savedList, submitSaved } from '../saved/list.ts';
import { appointmentWords, readableDate, readableMessage } from '../wording.ts';
import { FormBody, FormText, hidden, IdList, IdText, idOf, idsOf, isIsoDate } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { boxesOn, boxWords, dayWords, openVisitDays, type BoxOnDay } from './visit-days.ts';

// The researcher's saved list: what they saved from any collection, grouped by the reading room
// it is read in; once a visit date is chosen, how each room stands that day and each box in it,
// and a request of all or some of the items for that day (src/saved/list.ts submitSaved: all or
// nothing, an appointment per room). Items are removed one at a time.

const researcherOnly = { access: ['researcher'] as const };
/** A researcher's appointments in one room on one day: the one that takes a seat, and any cancelled before it. */
const ALL_THAT_DAY = 100;

interface SavedShown {
  date?: string | undefined;
  /** The items checked for the request: all that can be requested, unless a refused form said otherwise. */
  checked?: readonly number[] | undefined;
  /** Items just saved, from the collection page. */
  saved?: readonly number[] | undefined;
  removed?: boolean | undefined;
  problem?: string | undefined;
}

export const savedPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.saved(), label: 'Your saved list' });

  /**
   * A room on a visit date: in words, whether it can be booked, and the researcher's appointment
   * there that day; `readable` when the room is open for requests that day, seats left or not.
   */
  const roomOn = async (room: ReadingRoom, researcherId: number, date: IsoDate) => {
    const taken = room.seats === null ? new Map<IsoDate, number>() : await seatsTaken(db, room.id, date, date);
    const verdict = visitDays(await roomDay(db, room, clock()), monthOf(date), taken).find((d) => d.date === date)!.verdict;
    const appointment = (await listAppointments(db, { researcherId, readingRoomId: room.id, date }, ALL_THAT_DAY)).find((a) => takesSeat(a.status));
    return {
      words: dayWords(date, verdict),
      appointment: appointment ? appointmentWords[appointment.status].researcher : null,
      readable: verdict.kind === 'bookable' || verdict.kind === 'full',
    };
  };

  const showSaved = async (request: FastifyRequest, reply: FastifyReply, shown: SavedShown, status = 200) => {
    const researcher = accountOf(request);
    const items = await savedList(db, researcher.id);
    const roomIds = new Set(items.map((item) => item.readingRoomId));
    const rooms = (await allRooms(db)).filter((room) => roomIds.has(room.id));
    // The days offered: those a visit can be requested for in at least one room of the list.
    const openDays = [...new Set((await Promise.all(rooms.map((room) => openVisitDays(db, room.id, clock())))).flatMap((open) => open.days))].sort();
    const visitDate = shown.date !== undefined && openDays.includes(shown.date) ? shown.date : undefined;
    let problem = shown.problem ?? null;
    if (!problem && shown.date && !visitDate && items.length > 0) {
      problem = `${isIsoDate(shown.date) ? readableDate(shown.date) : 'That date'} is not open for requests in the reading rooms of your list; choose a day from the list.`;
    }

    const details = await containerDetails(db, items.flatMap((item) => item.containerIds));
    const groups = [];
    for (const room of rooms) {
      const here = items.filter((item) => item.readingRoomId === room.id);
      const boxes = [...new Set(here.flatMap((item) => item.containerIds))].map((id) => details.get(id)!);
      const day = visitDate ? await roomOn(room, researcher.id, visitDate) : null;
      // A day the room cannot be booked says nothing of its boxes: the room's words say why.
      const standings = visitDate && day?.readable ? await boxesOn(db, researcher.id, boxes.filter((b) => !b.withdrawn), visitDate) : new Map<number, BoxOnDay>();
      groups.push({
        room,
        day,
        items: here.map((item) => {
          const itsBoxes = item.containerIds.map((id) => {
            const box = details.get(id)!;
            const standing = standings.get(id);
            return { label: box.containerLabel, withdrawn: box.withdrawn, words: box.withdrawn ? null : standing ? boxWords[standing] : null };
          });
          const requestable = !item.gone && itsBoxes.length > 0 && !itsBoxes.some((b) => b.withdrawn);
          const at = item.componentId === null ? `box-${item.containerId}` : `c-${item.componentId}`;
          return {
            ...item,
            href: item.gone ? null : pagePaths.collection(item.collectionId, { date: visitDate, open: item.componentId === null ? [] : [item.componentId], at }),
            boxes: itsBoxes,
            requestable,
            checked: requestable && (shown.checked === undefined || shown.checked.includes(item.id)),
          };
        }),
      });
    }
    const justSaved = items.filter((item) => shown.saved?.includes(item.id)).map((item) => item.label);
    return page(
      request,
      reply,
      'researcher-saved',
      {
        title: 'Saved for later',
        groups,
        openDays,
        visitDate: visitDate ?? null,
        anyRequestable: groups.some((g) => g.items.some((item) => item.requestable)),
        notice: justSaved.length > 0 ? `Saved for later: ${justSaved.join('; ')}.` : shown.removed ? 'Removed from your list.' : null,
        problem,
      },
      status,
    );
  };

  app.get(
    '/saved',
    {
      config: researcherOnly,
      schema: { ...hidden, querystring: Type.Object({ date: Type.Optional(IdText), saved: Type.Optional(FormText), removed: Type.Optional(IdText) }) },
    },
    async (request, reply) => {
      const { date, saved, removed } = request.query;
      const justSaved = (saved ?? '').split(',').flatMap((id) => idOf(id) ?? []);
      return showSaved(request, reply, { date: date || undefined, saved: justSaved, removed: removed !== undefined });
    },
  );

  app.post(
    '/saved/submit',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ visitDate: Type.Optional(IdText), ids: IdList }) },
    },
    async (request, reply) => {
      const { visitDate = '' } = request.body;
      const ids = idsOf(request.body.ids);
      const again = (problem: string, status: number) => showSaved(request, reply, { date: visitDate, checked: ids ?? [], problem }, status);
      if (!ids) return again('Choose items from your list.', 400);
      if (!isIsoDate(visitDate)) return again('Choose a visit date first.', 422);
      if (ids.length === 0) return again('Choose at least one saved item to request.', 422);
      const made = await attempt(() => submitSaved(requests, accountOf(request), { visitDate, ids }, clock));
      if (!made.ok) return again(readableMessage(made.refusal.message), made.refusal.statusCode);
      return seeOther(reply, config, `${pagePaths.requests}?submitted=${made.value.map((r) => r.id).join(',')}`);
    },
  );

  /** Each item's Remove button posts the list's form here (its formaction): the date chosen is kept. */
  app.post(
    '/saved/:id/remove',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params: Type.Object({ id: IdText }), body: FormBody({ visitDate: Type.Optional(IdText), ids: IdList }) },
    },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const removed = id === undefined ? undefined : await attempt(() => removeSaved(db, accountOf(request), id));
      if (!removed?.ok) return missing(request, reply, 'No such saved item', `There is no saved item ${request.params.id} on your list.`);
      const { visitDate } = request.body;
      return seeOther(reply, config, pagePaths.saved({ date: visitDate && isIsoDate(visitDate) ? visitDate : undefined, removed: true }));
    },
  );
};
