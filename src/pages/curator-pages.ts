import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findUser, type UserRow } from '../accounts/users.ts';
import { findClassSession, type ClassSessionRow } from '../class-sessions/store.ts';
import { todayIn } from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { IdSchema } from '../http/schemas.ts';
import { readableDate, surrogateWords, wantedWords } from '../wording.ts';
import { approveRequest, denyRequest } from '../requests/changes.ts';
import { findRequest, listRequests, type RequestRow } from '../requests/store.ts';
import { attempt, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { FormBody, FormText, hidden } from './form.ts';
import { NoteFormBody, noteForm, noteFromForm, notedNotice, notesByRequest, type NoteDraft } from './request-notes.ts';

// The curator's queue of restricted material awaiting approval, oldest first, with what a curator
// weighs: the collection's restriction note, the folders wanted, the surrogate offered instead and
// why the researcher needs the original, the researcher's affiliation and topic, and the request's
// notes. Each request has one form for the decision: a note (the reason, when denying) and two
// buttons, Approve and Deny; and one to add a note (for staff only, or sent to the researcher).
// After either the page redirects back to the queue (303) with a notice saying what happened.

const access = { access: ['curator'] as const };
/** Requests shown on one page of the queue; a link leads to the later ones. */
const QUEUE_PAGE = 50;

/** What a decision did, as the notice after the redirect says it. */
const outcomes = {
  scheduled: (label: string, date: string) => `Approved: ${label} is scheduled for ${date}. The researcher has been told.`,
  waitlisted: (label: string, date: string) =>
    `Approved, but ${label} is already held by another researcher on ${date}: the request is on the waiting list, and the researcher has been told.`,
  denied: (label: string, date: string) => `Denied: ${label} for ${date}. The researcher has been told the reason.`,
  'noted-staff': (label: string, date: string) => notedNotice('staff', `${label} for ${date}`),
  'noted-researcher': (label: string, date: string) => notedNotice('researcher', `${label} for ${date}`),
} as const;
type Outcome = keyof typeof outcomes;
const isOutcome = (value: string | undefined): value is Outcome => value !== undefined && Object.hasOwn(outcomes, value);

const containerName = (row: RequestRow) => `${row.containerLabel} of ${row.callNumber}`;

export const curatorPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  /** The queue with its researchers; `after` pages on, `problem` and `draft` re-show a refused form. */
  const renderQueue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: {
      after?: number | undefined;
      notice?: string | null;
      problem?: string | null;
      failed?: { id: number; message: string; draft: string };
      failedNote?: { id: number; draft: NoteDraft };
    },
    status = 200,
  ) => {
    const rows = await listRequests(db, { status: 'awaiting_approval', afterId: view.after }, QUEUE_PAGE + 1);
    const shown = rows.slice(0, QUEUE_PAGE);
    const notes = await notesByRequest(db, shown.map((row) => row.id), accountOf(request), config.timezone);
    const researchers = new Map<number, UserRow | undefined>();
    const sessions = new Map<number, ClassSessionRow | undefined>();
    for (const row of shown) {
      if (row.researcherId !== null && !researchers.has(row.researcherId)) researchers.set(row.researcherId, await findUser(db, row.researcherId));
      if (row.classSessionId !== null && !sessions.has(row.classSessionId)) sessions.set(row.classSessionId, await findClassSession(db, row.classSessionId));
    }
    const items = shown.map((row) => {
      const researcher = row.researcherId === null ? undefined : researchers.get(row.researcherId);
      const session = row.classSessionId === null ? undefined : sessions.get(row.classSessionId);
      return {
        id: row.id,
        visitDate: row.visitDate,
        requestedOn: todayIn(config.timezone, row.createdAt),
        containerLabel: row.containerLabel,
        callNumber: row.callNumber,
        collectionTitle: row.collectionTitle,
        restrictionNote: row.restrictionNote,
        note: row.note,
        folders: row.components.map(wantedWords),
        surrogate: row.surrogate ? { kindWords: surrogateWords[row.surrogate.kind], note: row.surrogate.note } : null,
        originalReason: row.originalReason,
        notes: notes.get(row.id) ?? [],
        noteDraft: view.failedNote?.id === row.id ? view.failedNote.draft : null,
        researcher: researcher
          ? { name: researcher.name, email: researcher.email, affiliation: researcher.affiliation, researchTopic: researcher.researchTopic }
          : null,
        classSession: session
          ? { title: session.title, instructorName: session.instructorName, headcount: session.headcount, times: `${session.startTime}–${session.endTime}` }
          : null,
      };
    });
    const last = shown.at(-1);
    return page(
      request,
      reply,
      'curator-review',
      {
        title: 'Restricted material to review',
        wide: true,
        items,
        failed: view.failed ?? null,
        noteForm,
        paged: view.after !== undefined,
        nextAfter: rows.length > QUEUE_PAGE && last ? last.id : null,
        notice: view.notice ?? null,
        problem: view.problem ?? null,
      },
      status,
    );
  };

  app.get(
    '/review',
    {
      config: access,
      schema: { ...hidden, querystring: Type.Object({ after: Type.Optional(IdSchema), done: Type.Optional(FormText), request: Type.Optional(IdSchema) }) },
    },
    async (request, reply) => {
      const { after, done, request: decided } = request.query;
      let notice: string | null = null;
      if (isOutcome(done) && decided !== undefined) {
        const row = await findRequest(db, decided);
        if (row) notice = outcomes[done](containerName(row), readableDate(row.visitDate));
      }
      return renderQueue(request, reply, { after, notice });
    },
  );

  const decisionSchema = {
    ...hidden,
    params: Type.Object({ id: IdSchema }),
  };

  /** A decision the reading room's rules refused (decided meanwhile by another curator, gone): shown on the queue. */
  const refused = (request: FastifyRequest, reply: FastifyReply, id: number, message: string, draft: string, statusCode: number) =>
    renderQueue(request, reply, { problem: message, failed: { id, message, draft } }, statusCode);

  app.post(
    '/review/requests/:id/approve',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...decisionSchema, body: FormBody({ note: Type.Optional(FormText), reason: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { id } = request.params;
      const note = request.body.note?.trim() || undefined;
      const approved = await attempt(() => approveRequest(requests, id, accountOf(request), note, clock));
      if (!approved.ok) return refused(request, reply, id, approved.refusal.message, request.body.note ?? '', approved.refusal.statusCode);
      const outcome: Outcome = approved.value.status === 'waitlisted' ? 'waitlisted' : 'scheduled';
      return seeOther(reply, config, `/review?done=${outcome}&request=${id}`);
    },
  );

  app.post(
    '/review/requests/:id/deny',
    {
      config: access,
      preHandler: app.csrfProtection,
      // The queue's form has one text field, `note`, for both buttons; `reason` is the API's name.
      schema: { ...decisionSchema, body: FormBody({ reason: Type.Optional(FormText), note: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { id } = request.params;
      const given = request.body.reason ?? request.body.note ?? '';
      const reason = given.trim();
      if (!reason) {
        const row = await findRequest(db, id);
        const message = `Give the reason for denying${row ? ` ${containerName(row)}` : ' this request'}: the researcher will read it.`;
        return refused(request, reply, id, message, given, 400);
      }
      const denied = await attempt(() => denyRequest(requests, id, accountOf(request), reason, clock));
      if (!denied.ok) return refused(request, reply, id, denied.refusal.message, given, denied.refusal.statusCode);
      return seeOther(reply, config, `/review?done=denied&request=${id}`);
    },
  );

  app.post(
    '/review/requests/:id/notes',
    { config: access, preHandler: app.csrfProtection, schema: { ...hidden, params: Type.Object({ id: IdSchema }), body: NoteFormBody } },
    async (request, reply) => {
      const { id } = request.params;
      const written = await noteFromForm(requests, id, accountOf(request), request.body, clock);
      if (!written.ok) return renderQueue(request, reply, { problem: written.draft.problem, failedNote: { id, draft: written.draft } }, written.status);
      return seeOther(reply, config, `/review?done=noted-${written.note.visibility}&request=${id}`);
    },
  );
};
