import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findCollections, findContainers } from '../collections/store.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { allows, isActive } from '../domain/request-status.ts';
import type { UserRow } from '../accounts/users.ts';
import { accountOf } from '../http/auth.ts';
import { readableDate, readableInstant, readableMessage, wantedWords } from '../wording.ts';
import { cancelRequest, releaseHold } from '../requests/changes.ts';
import { visibleRequest } from '../requests/moves.ts';
import { eventsOf, listRequests, type RequestRow } from '../requests/store.ts';
import { submitRequests } from '../requests/submit.ts';
import { saveForLater } from '../saved/list.ts';
import { pagePaths } from '../links.ts';
import { treeOf } from './finding-aid-tree.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { surrogateOffers, surrogateView } from './surrogate-first.ts';
import { FormBody, FormText, hidden, IdList, IdText, idOf, idsOf, isIsoDate } from './form.ts';
import { openVisitDays } from './visit-days.ts';

// The researcher's pages: the collections and their boxes, with each box's availability for a
// chosen visit date; the request form and "Save for later"; "My requests" with history and
// cancellation. Every rule is the domain's: the pages only choose what to show and word the
// answers for a person.

const NOTE_MAX = 2000;
/** Every request of one researcher: "My requests" is one page (see the report on paging it). */
const ALL_OF_THEM = 100_000;
const researcherOnly = { access: ['researcher'] as const };
const anyone = { access: ['any'] as const };

const ACTORS: Record<string, string> = {
  researcher: 'you',
  curator: 'a curator',
  staff: 'reading room staff',
  admin: 'an administrator',
  system: 'the reading room, automatically',
};

/** What the collection page shows chosen and open: from its address, or from a form sent back to it. */
interface CollectionForm {
  containerIds: number[];
  componentIds: number[];
  open: number[];
  note: string;
}

export const researcherPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.collections, label: 'Browse the collections' });

  const readableTime = (at: Date) => readableInstant(at, config.timezone);

  /** A collection, its series and boxes, with each box's availability on the chosen (or earliest) day. */
  const showCollection = (
    request: FastifyRequest,
    reply: FastifyReply,
    collectionId: number,
    wantedDate: string | undefined,
    form: CollectionForm,
    problem: string | null = null,
    status = 200,
  ) => {
    const collection = findCollections(db, { id: collectionId })[0];
    if (!collection) return missing(request, reply, 'No such collection', `There is no collection ${collectionId}.`);
    const account = accountOf(request);
    const openDays = openVisitDays(db, collection.readingRoomId, clock());
    const offered = wantedDate !== undefined && openDays.includes(wantedDate);
    const visitDate = offered ? wantedDate : openDays[0];
    if (!problem && wantedDate && !offered && visitDate) {
      const which = isIsoDate(wantedDate) ? readableDate(wantedDate) : 'That date';
      problem = `${which} is not open for requests; the boxes below are shown for ${readableDate(visitDate)}.`;
    }
    const researcher = account.role === 'researcher';
    const mine =
      researcher && visitDate
        ? listRequests(db, { researcherId: account.id, visitDate }, ALL_OF_THEM).filter((r) => isActive(r.status))
        : [];
    const containers = findContainers(db, collectionId, todayIn(config.timezone, clock()), visitDate);
    const boxes = containers.map((c) => ({
      ...c,
      surrogate: surrogateView(c.surrogate),
      available: 'available' in c ? c.available : null,
      mine: mine.find((r) => r.containerId === c.id)?.status ?? null,
      selected: form.containerIds.includes(c.id),
    }));
    // A finding aid's collection shows its tree, and its boxes for whole-box requests below it.
    const tree = collection.componentCount > 0 ? treeOf(db, collectionId, new Map(boxes.map((b) => [b.id, b])), form) : null;
    return page(
      request,
      reply,
      'researcher-collection',
      {
        title: collection.title,
        collection,
        boxes,
        tree,
        paths: pagePaths,
        openDays,
        visitDate: visitDate ?? null,
        researcher,
        dailyLimit: config.dailyRequestLimit,
        activeThatDay: mine.length,
        note: form.note,
        noteMax: NOTE_MAX,
        problem,
      },
      status,
    );
  };

  /**
   * A form of the collection page refused: the page again, with what was chosen and the problem; a
   * page that says it, when the form named no collection.
   */
  const refusedForm =
    (request: FastifyRequest, reply: FastifyReply, title: string, collectionId: number | undefined, visitDate: string, form: CollectionForm) =>
    (problem: string, status: number) =>
      collectionId === undefined
        ? page(request, reply, 'message', { title, message: problem, problem: true, link: { href: pagePaths.collections, label: 'Browse the collections' } }, status)
        : showCollection(request, reply, collectionId, visitDate, form, problem, status);

  /** "My requests": by visit date, the latest first; with a notice of what was just done. */
  const showRequests = (
    request: FastifyRequest,
    reply: FastifyReply,
    shown: { submitted?: number[]; cancelled?: number; released?: number; problem?: string },
    status = 200,
  ) => {
    const account = accountOf(request);
    const today = todayIn(config.timezone, clock());
    const rows = listRequests(db, { researcherId: account.id }, ALL_OF_THEM);
    const byDate = new Map<IsoDate, RequestRow[]>();
    for (const row of rows) byDate.set(row.visitDate, [...(byDate.get(row.visitDate) ?? []), row]);
    const groups = [...byDate.keys()]
      .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
      .map((date) => ({
        date,
        past: date < today,
        items: (byDate.get(date) ?? []).map((row) => ({
          ...row,
          folders: row.components.map(wantedWords),
          mayCancel: allows(row, 'researcher', 'cancel', 'cancelled'),
          mayRelease: allows(row, 'researcher', 'release', 'reshelved'),
        })),
      }));
    const submitted = rows.filter((r) => shown.submitted?.includes(r.id));
    const cancelled = rows.find((r) => r.id === shown.cancelled) ?? null;
    const released = rows.find((r) => r.id === shown.released) ?? null;
    return page(
      request,
      reply,
      'researcher-requests',
      {
        title: 'My requests',
        upcoming: groups.filter((g) => !g.past),
        past: groups.filter((g) => g.past),
        submitted,
        cancelled,
        released,
        problem: shown.problem ?? null,
      },
      status,
    );
  };

  app.get('/collections', { config: anyone, schema: hidden }, async (request, reply) =>
    page(request, reply, 'researcher-collections', { title: 'Collections', collections: findCollections(db) }),
  );

  app.get(
    '/collections/:collectionId',
    {
      config: anyone,
      schema: {
        ...hidden,
        params: Type.Object({ collectionId: IdText }),
        querystring: Type.Object({ date: Type.Optional(IdText), open: IdList, componentIds: IdList, containerIds: IdList }),
      },
    },
    async (request, reply) => {
      const collectionId = idOf(request.params.collectionId);
      if (collectionId === undefined) return missing(request, reply, 'No such collection', 'There is no such collection.');
      // An address someone edited by hand shows the page with what could be read of it.
      const { date, open, componentIds, containerIds } = request.query;
      const shown = { containerIds: idsOf(containerIds) ?? [], componentIds: idsOf(componentIds) ?? [], open: idsOf(open) ?? [], note: '' };
      return showCollection(request, reply, collectionId, date || undefined, shown);
    },
  );

  app.post(
    '/requests',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({
          visitDate: Type.Optional(IdText),
          collectionId: Type.Optional(IdText),
          containerIds: IdList,
          componentIds: IdList,
          open: IdList,
          note: Type.Optional(FormText),
          originalReason: Type.Optional(FormText),
        }),
      },
    },
    async (request, reply) => {
      const { visitDate = '', note = '', originalReason } = request.body;
      const containerIds = idsOf(request.body.containerIds);
      const componentIds = idsOf(request.body.componentIds);
      const collectionId = idOf(request.body.collectionId);
      const form = { containerIds: containerIds ?? [], componentIds: componentIds ?? [], open: idsOf(request.body.open) ?? [], note };
      const again = refusedForm(request, reply, 'Your request was not made', collectionId, visitDate, form);

      if (!containerIds || !componentIds) return again('Choose folders and boxes from the list.', 400);
      if (containerIds.length === 0 && componentIds.length === 0) return again('Choose at least one folder or box to request.', 422);
      if (!isIsoDate(visitDate)) return again('Choose a visit date from the list.', 422);
      // Surrogate first: the reason is asked for on the page that offers the surrogates; sent
      // blank from there, the page is shown again, saying that it is needed. A day that cannot be
      // booked is refused first, as the submission would.
      const reason = originalReason?.trim() ?? '';
      if (reason === '' && collectionId !== undefined && openVisitDays(db, findCollections(db, { id: collectionId })[0]?.readingRoomId, clock()).includes(visitDate)) {
        const offers = await surrogateOffers(db, visitDate, containerIds, componentIds);
        if (offers.length > 0) {
          const asked = originalReason !== undefined;
          return page(
            request,
            reply,
            'researcher-surrogate',
            {
              title: offers.length === 1 ? `A copy of ${offers[0]!.label} may do` : 'Copies of these boxes may do',
              offers,
              form: { ...form, visitDate, collectionId },
              back: pagePaths.collection(collectionId, { date: visitDate, ...form }),
              reasonMax: NOTE_MAX,
              problem: asked ? 'Please say why you need the original, or go back and change your choice.' : null,
            },
            asked ? 422 : 200,
          );
        }
      }
      const submission = { visitDate, containerIds, componentIds, note: note.trim() || undefined, originalReason: reason || undefined };
      const made = await attempt(() => submitRequests(requests, { researcher: accountOf(request) }, submission, clock));
      if (!made.ok) return again(readableMessage(made.refusal.message), made.refusal.statusCode);
      return seeOther(reply, config, `/requests?submitted=${made.value.map((r) => r.id).join(',')}`);
    },
  );

  /** The collection page's "Save for later": its checked boxes and folders go on the saved list, without a date. */
  app.post(
    '/saved',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({ visitDate: Type.Optional(IdText), collectionId: Type.Optional(IdText), containerIds: IdList, componentIds: IdList, open: IdList, note: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const { visitDate = '', note = '' } = request.body;
      const containerIds = idsOf(request.body.containerIds);
      const componentIds = idsOf(request.body.componentIds);
      const form = { containerIds: containerIds ?? [], componentIds: componentIds ?? [], open: idsOf(request.body.open) ?? [], note };
      const again = refusedForm(request, reply, 'Nothing was saved', idOf(request.body.collectionId), visitDate, form);
      if (!containerIds || !componentIds) return again('Choose folders and boxes from the list.', 400);
      if (containerIds.length === 0 && componentIds.length === 0) return again('Choose at least one folder or box to save for later.', 422);
      const things = [...containerIds.map((containerId) => ({ containerId })), ...componentIds.map((componentId) => ({ componentId }))];
      const saved = await attempt(() => saveForLater(db, accountOf(request), things, clock));
      if (!saved.ok) return again(readableMessage(saved.refusal.message), saved.refusal.statusCode);
      return seeOther(reply, config, pagePaths.saved({ saved: saved.value.map(({ item }) => item.id) }));
    },
  );

  app.get(
    '/requests',
    {
      config: researcherOnly,
      schema: { ...hidden, querystring: Type.Object({ submitted: Type.Optional(FormText), cancelled: Type.Optional(IdText), released: Type.Optional(IdText) }) },
    },
    async (request, reply) => {
      const submitted = (request.query.submitted ?? '')
        .split(',')
        .map((id) => idOf(id))
        .filter((id) => id !== undefined);
      return showRequests(request, reply, { submitted, cancelled: idOf(request.query.cancelled), released: idOf(request.query.released) });
    },
  );

  app.get('/requests/:id', { config: researcherOnly, schema: { ...hidden, params: Type.Object({ id: IdText }) } }, async (request, reply) => {
    const id = idOf(request.params.id);
    const found = id === undefined ? undefined : await attempt(() => visibleRequest(db, id, accountOf(request)));
    if (!found?.ok) return missing(request, reply, 'No such request', `There is no request ${request.params.id} among yours.`);
    const row = found.value;
    const events = eventsOf(db, row.id).map((event) => ({
      when: readableTime(event.at),
      from: event.fromStatus,
      to: event.toStatus,
      by: event.actorRole === 'researcher' && event.actorId !== row.researcherId ? 'a researcher' : (ACTORS[event.actorRole] ?? event.actorRole),
      note: event.note,
    }));
    return page(request, reply, 'researcher-request', {
      title: `${row.containerLabel} for ${readableDate(row.visitDate)}`,
      request: row,
      folders: row.components.map(wantedWords),
      events,
      mayCancel: allows(row, 'researcher', 'cancel', 'cancelled'),
      submittedAt: readableTime(row.createdAt),
      timezone: config.timezone,
    });
  });

  /**
   * The researcher's own moves on a request: cancel it, or release a box kept for them at the desk
   * (the domain's cancelRequest and releaseHold); each goes back to "My requests" saying what was done.
   */
  const ownMoves = {
    cancel: (id: number, researcher: UserRow) => cancelRequest(requests, id, researcher, undefined, clock),
    release: (id: number, researcher: UserRow) => releaseHold(requests, id, researcher, clock),
  };
  for (const [move, done] of [
    ['cancel', 'cancelled'],
    ['release', 'released'],
  ] as const) {
    app.post(
      `/requests/:id/${move}`,
      {
        config: researcherOnly,
        preHandler: app.csrfProtection,
        schema: { ...hidden, params: Type.Object({ id: IdText }), body: FormBody({}) },
      },
      async (request, reply) => {
        const id = idOf(request.params.id);
        if (id === undefined) return missing(request, reply, 'No such request', `There is no request ${request.params.id} among yours.`);
        const moved = await attempt(() => ownMoves[move](id, accountOf(request)));
        if (!moved.ok) {
          const { statusCode, message } = moved.refusal;
          if (statusCode === 404) return missing(request, reply, 'No such request', `There is no request ${id} among yours.`);
          return showRequests(request, reply, { problem: readableMessage(message) }, statusCode);
        }
        return seeOther(reply, config, `/requests?${done}=${id}`);
      },
    );
  }
};
