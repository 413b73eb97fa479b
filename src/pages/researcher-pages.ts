import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findCollections } from '../collections/store.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { allows } from '../domain/request-status.ts';
import type { UserRow } from '../accounts/users.ts';
import { accountOf } from '../http/auth.ts';
import { readableDate, readableInstant, readableMessage, wantedWords } from '../wording.ts';
import { cancelRequest, releaseHold } from '../requests/changes.ts';
import { visibleRequest } from '../requests/moves.ts';
import { notesOf } from '../requests/notes.ts';
import { eventsOf, listRequests, type RequestRow } from '../requests/store.ts';
import { submitRequests } from '../requests/submit.ts';
import { saveForLater } from '../saved/list.ts';
import { pagePaths } from '../links.ts';
import { ALL_OF_THEM, CollectionQuery, collectionPage, NOTE_MAX, readRequestForm, readSaveForm, RequestFormFields, shownIn } from './collection-page.ts';
import { attempt, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { surrogateOffers } from './surrogate-first.ts';
import { FormBody, FormText, hidden, IdText, idOf, idsInText } from './form.ts';
import { openVisitDays } from './visit-days.ts';

// The researcher's pages: the collections and their boxes, with each box's availability for a
// chosen visit date (the collection page, src/pages/collection-page.ts); the request form and "Save
// for later"; "My requests" with history and cancellation; a request's page with the notes written
// for them. Every rule is the domain's: the pages only choose what to show and word the answers for
// a person.

const researcherOnly = { access: ['researcher'] as const };
const anyone = { access: ['any'] as const };

const ACTORS: Record<string, string> = {
  researcher: 'you',
  curator: 'a curator',
  staff: 'reading room staff',
  admin: 'an administrator',
  system: 'the reading room, automatically',
};

export const researcherPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const { show: showCollection, showAgain, missing } = collectionPage({ db, config, clock });

  const readableTime = (at: Date) => readableInstant(at, config.timezone);

  /** "My requests": by visit date, the latest first; with a notice of what was just done. */
  const showRequests = async (
    request: FastifyRequest,
    reply: FastifyReply,
    shown: { submitted?: number[]; cancelled?: number; released?: number; problem?: string },
    status = 200,
  ) => {
    const account = accountOf(request);
    const today = todayIn(config.timezone, clock());
    const rows = await listRequests(db, { researcherId: account.id }, ALL_OF_THEM);
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
    page(request, reply, 'researcher-collections', { title: 'Collections', collections: await findCollections(db) }),
  );

  app.get(
    '/collections/:collectionId',
    {
      config: anyone,
      schema: {
        ...hidden,
        params: Type.Object({ collectionId: IdText }),
        querystring: CollectionQuery,
      },
    },
    async (request, reply) => {
      const collectionId = idOf(request.params.collectionId);
      if (collectionId === undefined) return missing(request, reply, 'No such collection', 'There is no such collection.');
      const account = accountOf(request);
      // Other roles see the boxes and their availability, with nothing to request them with.
      const requester = account.role === 'researcher' ? { researcher: account, onBehalf: false } : null;
      return showCollection(request, reply, collectionId, request.query.date || undefined, shownIn(request.query), requester);
    },
  );

  app.post(
    '/requests',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({ ...RequestFormFields, originalReason: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const requester = { researcher: accountOf(request), onBehalf: false };
      const read = readRequestForm(request.body);
      if (read.problem) return showAgain(request, reply, read, requester, read.problem.message, read.problem.status);
      const { form, collectionId, submission } = read;
      const { visitDate, containerIds, componentIds } = submission;
      const { originalReason } = request.body;
      // Surrogate first: the reason is asked for on the page that offers the surrogates; sent
      // blank from there, the page is shown again, saying that it is needed. A day that cannot be
      // booked is refused first, as the submission would.
      const reason = originalReason?.trim() ?? '';
      if (reason === '' && collectionId !== undefined && (await openVisitDays(db, (await findCollections(db, { id: collectionId }))[0]?.readingRoomId, clock())).days.includes(visitDate)) {
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
      const made = await attempt(() => submitRequests(requests, { researcher: requester.researcher }, { ...submission, originalReason: reason || undefined }, clock));
      if (!made.ok) return showAgain(request, reply, read, requester, readableMessage(made.refusal.message), made.refusal.statusCode);
      return seeOther(reply, config, `/requests?submitted=${made.value.map((r) => r.id).join(',')}`);
    },
  );

  /** The collection page's "Save for later": its checked boxes and folders go on the saved list, without a date. */
  app.post(
    '/saved',
    {
      config: researcherOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody(RequestFormFields) },
    },
    async (request, reply) => {
      const requester = { researcher: accountOf(request), onBehalf: false };
      const read = readSaveForm(request.body);
      if (read.problem) return showAgain(request, reply, read, requester, read.problem.message, read.problem.status);
      const saved = await attempt(() => saveForLater(db, requester.researcher, read.things, clock));
      if (!saved.ok) return showAgain(request, reply, read, requester, readableMessage(saved.refusal.message), saved.refusal.statusCode);
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
      const submitted = idsInText(request.query.submitted);
      return showRequests(request, reply, { submitted, cancelled: idOf(request.query.cancelled), released: idOf(request.query.released) });
    },
  );

  app.get('/requests/:id', { config: researcherOnly, schema: { ...hidden, params: Type.Object({ id: IdText }) } }, async (request, reply) => {
    const id = idOf(request.params.id);
    const found = id === undefined ? undefined : await attempt(() => visibleRequest(db, id, accountOf(request)));
    if (!found?.ok) return missing(request, reply, 'No such request', `There is no request ${request.params.id} among yours.`);
    const row = found.value;
    const events = (await eventsOf(db, row.id)).map((event) => ({
      when: readableTime(event.at),
      from: event.fromStatus,
      to: event.toStatus,
      by: event.actorRole === 'researcher' && event.actorId !== row.researcherId ? 'a researcher' : (ACTORS[event.actorRole] ?? event.actorRole),
      note: event.note,
    }));
    // The domain's `notesOf` gives a researcher only the notes written for them: never a staff note.
    const notes = (await notesOf(db, [row.id], accountOf(request))).map((note) => ({ when: readableTime(note.createdAt), text: note.text }));
    return page(request, reply, 'researcher-request', {
      title: `${row.containerLabel} for ${readableDate(row.visitDate)}`,
      request: row,
      folders: row.components.map(wantedWords),
      notes,
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
