import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { originOf } from '../accounts/auth-routes.ts';
import { DocumentTypeSchema } from '../accounts/schemas.ts';
import { recordIdentityCheck } from '../accounts/staff.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import { addDays, FIRST_DATE, LAST_DATE, todayIn, type IsoDate } from '../domain/calendar.ts';
import { walkingOrder } from '../domain/walking-order.ts';
import { accountOf } from '../http/auth.ts';
import type { ApiError } from '../http/errors.ts';
import { IdSchema, IsoDateSchema, literals } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { deskStatus, readableDate, readableInstant, wantedWords } from '../wording.ts';
import { boxesOut, pickList } from '../paging/pick-list.ts';
import { transitionRequest } from '../requests/changes.ts';
import { StaffTargetSchema } from '../requests/schemas.ts';
import { eventsOf, findRequest, listRequests } from '../requests/store.ts';
import { attempt, pageRenderer, pathOnThisSite, seeOther, type PageOptions } from './kit.ts';
import { callSlipsPdf, papers } from './staff/call-slips.ts';
import { deskHref, deskRow, documentChoices, pagingSheet, researcherLook, researcherLookup, researchersMatching } from './staff/rows.ts';
import { FormBody, FormText, hidden, idOf } from './form.ts';
import { NoteFormBody, noteForm, noteFromForm, notedNotice, notesByRequest, type NoteDraft } from './request-notes.ts';

// The paging staff's pages: the day's sheet in walking order with one form per row, a printable
// pick list and call slips (PDF), and the desk (find a researcher, record the photo-ID check,
// deliver and take back, read and write a request's notes). Every change goes through the
// domain's own operations (transitionRequest, recordIdentityCheck, addNote); the pages only show
// their answers. Call slips carry no note: a slip travels with its box to the researcher's table.

const staffOnly = { access: ['staff'] as const };

type Extra = {
  problem?: string;
  problemLink?: { href: string; label: string } | null;
  notice?: string | null;
  status?: number;
  /** On a request's page: the note just added (its notice), or a refused note form as typed. */
  noted?: number | undefined;
  noteDraft?: NoteDraft;
};

export const staffPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const accounts = { db, publicUrl: config.publicUrl };
  const today = () => todayIn(config.timezone, clock());
  const page = pageRenderer(config, clock);

  /** "Box 2, GEN MSS 238, for A Reader: now delivered." — said after a move, from what is stored. */
  const movedNotice = async (requestId: number | undefined): Promise<string | null> => {
    const row = requestId === undefined ? undefined : await findRequest(db, requestId);
    if (!row) return null;
    const researcher = await findUser(db, row.researcherId);
    return `${row.containerLabel}, ${row.callNumber}, for ${researcher?.name ?? 'the researcher'}: now “${deskStatus(row.status)}”.`;
  };

  const checkedNotice = async (userId: number | undefined): Promise<string | null> => {
    const user = userId === undefined ? undefined : await findUser(db, userId);
    return user && user.identityVerifiedAt !== null ? `${user.name}’s photo ID is recorded as checked.` : null;
  };

  const readable = (at: Date) => readableInstant(at, config.timezone);

  // ---- the views, each also shown again with a refusal after a form post ------------------------

  const showSheet = async (request: FastifyRequest, reply: FastifyReply, date: IsoDate, extra: Extra = {}) => {
    const sheet = await pagingSheet(db, date);
    return page(
      request,
      reply,
      'staff-paging',
      {
        title: `Paging: ${readableDate(date)}`,
        wide: true,
        date,
        isToday: date === today(),
        // No link past the first or last day a date can name (0000-01-01, 9999-12-31).
        previousDay: date > FIRST_DATE ? addDays(date, -1) : null,
        nextDay: date < LAST_DATE ? addDays(date, 1) : null,
        back: pagePaths.pickList(date),
        ...sheet,
        problem: extra.problem ?? null,
        problemLink: extra.problemLink ?? null,
        notice: extra.notice ?? null,
      },
      extra.status,
    );
  };

  const showDesk = async (request: FastifyRequest, reply: FastifyReply, q: string | undefined, extra: Extra = {}) => {
    const date = today();
    const query = q?.trim() ?? '';
    const researcher = researcherLookup(db);
    const { matches, more } = query ? await researchersMatching(db, query) : { matches: [], more: false };
    const people = await Promise.all(
      matches.map(async (user) => ({
        ...researcherLook(user),
        affiliation: user.affiliation,
        checkedOn: user.identityVerifiedAt ? readable(user.identityVerifiedAt) : null,
        requests: await Promise.all((await listRequests(db, { researcherId: user.id, visitDate: date }, 200)).sort(walkingOrder).map((row) => deskRow(db, row, researcher))),
      })),
    );
    // Without a search: the people expected today, from the day's lists.
    const expectedIds = query ? [] : [...new Set([...(await pickList(db, date)), ...(await boxesOut(db, date))].flatMap((item) => (item.researcher ? [item.researcher.id] : [])))];
    const expected = (await Promise.all(expectedIds.map(researcher))).sort((a, b) => a.name.localeCompare(b.name, 'en'));
    const back = pagePaths.desk(query);
    return page(
      request,
      reply,
      'staff-desk',
      {
        title: 'Desk',
        wide: true,
        date,
        q: query,
        people,
        more,
        expected,
        documentChoices,
        paths: pagePaths,
        back,
        problem: extra.problem ?? null,
        problemLink: extra.problemLink ?? null,
        notice: extra.notice ?? null,
      },
      extra.status,
    );
  };

  const showRequest = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: Extra = {}) => {
    const row = await findRequest(db, id);
    if (!row) {
      return page(request, reply, 'message', { title: 'No such request', message: `There is no request ${id}. Check the number on the slip.`, problem: true, link: { href: '/desk', label: 'Back to the desk' } }, 404);
    }
    const item = await deskRow(db, row, researcherLookup(db));
    const researcher = await findUser(db, row.researcherId);
    const notes = (await notesByRequest(db, [row.id], accountOf(request), config.timezone)).get(row.id) ?? [];
    const noted = notes.find((note) => note.id === extra.noted);
    return page(
      request,
      reply,
      'staff-request',
      {
        title: `Request ${row.id}: ${row.containerLabel}, ${row.callNumber}`,
        wide: true,
        item,
        isToday: row.visitDate === today(),
        checkedOn: researcher?.identityVerifiedAt ? readable(researcher.identityVerifiedAt) : null,
        events: (await eventsOf(db, row.id)).map((e) => ({
          at: readable(e.at),
          from: e.fromStatus ? deskStatus(e.fromStatus) : null,
          to: deskStatus(e.toStatus),
          by: e.actorRole,
          note: e.note,
        })),
        notes,
        noteForm,
        noteDraft: extra.noteDraft ?? null,
        documentChoices,
        back: pagePaths.deskRequest(row.id),
        problem: extra.problem ?? null,
        problemLink: extra.problemLink ?? null,
        notice: extra.notice ?? (noted ? notedNotice(noted.visibility, `${row.containerLabel}, ${row.callNumber}`) : null),
      },
      extra.status,
    );
  };

  /** `back` as a page of this site, or `fallback` when it names anything else. */
  const sitePage = (back: string | undefined, fallback: string) => new URL(pathOnThisSite(back, config) ?? fallback, config.publicUrl);

  /**
   * The page a form came from, shown again with a refusal. Only this site's staff views can be
   * named: anything else falls back to the day's sheet.
   */
  const showAgain = (request: FastifyRequest, reply: FastifyReply, back: string | undefined, date: IsoDate | undefined, extra: Extra) => {
    const target = sitePage(back, '/paging');
    const requestPage = idOf(/^\/desk\/requests\/(\d{1,15})$/.exec(target.pathname)?.[1]);
    if (requestPage !== undefined) return showRequest(request, reply, requestPage, extra);
    if (target.pathname === '/desk') return showDesk(request, reply, target.searchParams.get('q') ?? undefined, extra);
    const day = date ?? target.searchParams.get('date') ?? today();
    return showSheet(request, reply, /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : today(), extra);
  };

  /** Where a successful post goes back to, with what to say there. */
  const backTo = (back: string | undefined, fallback: string, said: Record<string, string>) => {
    const target = sitePage(back, fallback);
    const known = target.pathname === '/paging' || target.pathname === '/desk' || /^\/desk\/requests\/\d{1,15}$/.test(target.pathname);
    const url = known ? target : new URL(fallback, config.publicUrl);
    for (const [key, value] of Object.entries(said)) url.searchParams.set(key, value);
    return `${url.pathname}${url.search}`;
  };

  /** A refusal said to the person at the desk; an unchecked ID comes with the way to check it. */
  const refusalExtra = async (refusal: ApiError, requestId: number): Promise<Extra> => {
    const extra: Extra = { problem: `${refusal.message} (${refusal.statusCode} ${refusal.code})`, status: refusal.statusCode };
    if (refusal.code === 'IDENTITY_NOT_VERIFIED') {
      const row = await findRequest(db, requestId);
      const researcher: UserRow | undefined = row && (await findUser(db, row.researcherId));
      if (researcher) {
        extra.problem = `${researcher.name}’s photo ID has not been checked: check the photo ID at the desk first. (${refusal.statusCode} ${refusal.code})`;
        extra.problemLink = { href: `${deskHref(researcher)}#researcher-${researcher.id}`, label: `Check ${researcher.name}’s photo ID at the desk` };
      }
    }
    return extra;
  };

  // ---- the sheet ------------------------------------------------------------------------------

  app.get(
    '/paging',
    {
      config: staffOnly,
      schema: { ...hidden, querystring: Type.Object({ date: Type.Optional(IsoDateSchema), moved: Type.Optional(IdSchema) }) },
    },
    async (request, reply) => showSheet(request, reply, request.query.date ?? today(), { notice: await movedNotice(request.query.moved) }),
  );

  app.post(
    '/paging/requests/:id/transition',
    {
      config: staffOnly,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        params: Type.Object({ id: IdSchema }),
        body: FormBody({
          to: StaffTargetSchema,
          date: Type.Optional(IsoDateSchema),
          back: Type.Optional(FormText),
          note: Type.Optional(FormText),
          holdUntil: Type.Optional(FormText),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { to, date, back, note, holdUntil } = request.body;
      const moved = await attempt(() => transitionRequest(requests, id, accountOf(request), to, { note: note?.trim() || undefined, holdUntil: holdUntil?.trim() || undefined }, clock));
      if (!moved.ok) return showAgain(request, reply, back, date, await refusalExtra(moved.refusal, id));
      const fallback = pagePaths.pickList(date ?? moved.value.visitDate);
      return seeOther(reply, config, backTo(back, fallback, { moved: String(id) }));
    },
  );

  // ---- paper: the printable pick list and the call slips ------------------------------------------

  app.get(
    '/paging/print',
    { config: staffOnly, schema: { ...hidden, querystring: Type.Object({ date: Type.Optional(IsoDateSchema) }) } },
    async (request, reply) => {
      const date = request.query.date ?? today();
      const researcher = researcherLookup(db);
      const items = await Promise.all(
        (await pickList(db, date)).map(async (item) => ({
          ...item,
          statusWords: deskStatus(item.status),
          folders: item.components.map(wantedWords),
          researcher: item.researcher && (await researcher(item.researcher.id)),
        })),
      );
      return page(request, reply, 'staff-print', {
        title: `Pick list: ${readableDate(date)}`,
        date,
        items,
        printedAt: readable(clock()),
      });
    },
  );

  app.get(
    '/paging/call-slips.pdf',
    {
      config: staffOnly,
      schema: { ...hidden, querystring: Type.Object({ date: Type.Optional(IsoDateSchema), paper: Type.Optional(literals(papers)) }) },
    },
    async (request, reply) => {
      const date = request.query.date ?? today();
      const researcher = researcherLookup(db);
      const slips = await Promise.all(
        (await pickList(db, date)).map(async (item) => {
          const row = await findRequest(db, item.requestId);
          return {
            ...item,
            // A class session's box goes to the class's table: no researcher's photo ID to check.
            identityChecked: item.researcher ? (await researcher(item.researcher.id)).identityChecked : null,
            restrictionNote: row?.restricted ? (row.restrictionNote ?? 'Restricted material') : null,
          };
        }),
      );
      const pdf = await callSlipsPdf(slips, { libraryName: config.libraryName, date, publicUrl: config.publicUrl, paper: request.query.paper ?? 'letter', now: clock() });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="call-slips-${date}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  // ---- the desk -----------------------------------------------------------------------------

  app.get(
    '/desk',
    {
      config: staffOnly,
      schema: {
        ...hidden,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), moved: Type.Optional(IdSchema), checked: Type.Optional(IdSchema) }),
      },
    },
    async (request, reply) => {
      const { q, moved, checked } = request.query;
      return showDesk(request, reply, q, { notice: (await checkedNotice(checked)) ?? (await movedNotice(moved)) });
    },
  );

  app.post(
    '/desk/researchers/:userId/identity-check',
    {
      config: staffOnly,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        params: Type.Object({ userId: IdSchema }),
        body: FormBody({
          documentType: DocumentTypeSchema,
          note: Type.Optional(Type.String({ maxLength: 1000 })),
          back: Type.Optional(FormText),
        }),
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const { documentType, note, back } = request.body;
      const checked = await attempt(() =>
        recordIdentityCheck(accounts, userId, { documentType, note: note?.trim() || undefined }, accountOf(request).id, originOf(request, clock)),
      );
      if (!checked.ok) {
        return showAgain(request, reply, back ?? '/desk', undefined, { problem: `${checked.refusal.message} (${checked.refusal.statusCode} ${checked.refusal.code})`, status: checked.refusal.statusCode });
      }
      return seeOther(reply, config, backTo(back, deskHref(checked.value), { checked: String(userId) }));
    },
  );

  app.get(
    '/desk/requests/:id',
    {
      config: staffOnly,
      schema: {
        ...hidden,
        params: Type.Object({ id: IdSchema }),
        querystring: Type.Object({ moved: Type.Optional(IdSchema), checked: Type.Optional(IdSchema), noted: Type.Optional(IdSchema) }),
      },
    },
    async (request, reply) => {
      const { moved, checked, noted } = request.query;
      return showRequest(request, reply, request.params.id, { notice: (await checkedNotice(checked)) ?? (await movedNotice(moved)), noted });
    },
  );

  // A note on the request, for staff only or sent to the researcher; back to the request's page.
  app.post(
    '/desk/requests/:id/notes',
    { config: staffOnly, preHandler: app.csrfProtection, schema: { ...hidden, params: Type.Object({ id: IdSchema }), body: NoteFormBody } },
    async (request, reply) => {
      const { id } = request.params;
      const written = await noteFromForm(requests, id, accountOf(request), request.body, clock);
      if (!written.ok) return showRequest(request, reply, id, { problem: written.draft.problem, status: written.status, noteDraft: written.draft });
      return seeOther(reply, config, `${pagePaths.deskRequest(id)}?noted=${written.note.id}`);
    },
  );
};
