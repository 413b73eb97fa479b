import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findCollections } from '../collections/store.ts';
import { accountOf } from '../http/auth.ts';
import { pagePaths } from '../links.ts';
import { submitterOf } from '../requests/on-behalf.ts';
import { findRequest, type RequestRow } from '../requests/store.ts';
import { submitRequests } from '../requests/submit.ts';
import { deskStatus, readableMessage, wantedWords } from '../wording.ts';
import { CollectionQuery, collectionPage, readRequestForm, RequestFormFields, shownIn } from './collection-page.ts';
import { FormBody, FormText, hidden, IdText, idOf, idsInText } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { researcherLook, researchersMatching } from './staff/rows.ts';

// The desk's requests on a researcher's behalf, for one who phones or writes (docs/requests.md):
// find the researcher with the desk's search, choose a collection, then its boxes or folders and
// the day on the collection page, as the researcher would (src/pages/collection-page.ts), with
// the lead time to override if need be. The submission is `submitRequests` with the staff member
// named, under the researcher's own rules; the page then lists what was made.

const staffOnly = { access: ['staff'] as const };

export const onBehalfPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, requests }) => {
  const page = pageRenderer(config, clock);
  const collectionPages = collectionPage({ db, config, clock });
  const noSuchResearcher = notFoundPage(page, { href: pagePaths.onBehalf(), label: 'Find the researcher' });

  /** Who staff request for, by the API's own rule (`submitterOf`): an active researcher, or nobody. */
  const submitterFor = async (request: FastifyRequest, researcherId: string | undefined, overrideLeadTime = false) => {
    const id = idOf(researcherId);
    const named = id === undefined ? undefined : await attempt(() => submitterOf(db, accountOf(request), { researcherId: id, overrideLeadTime }));
    return named?.ok ? named.value : undefined;
  };
  const noOne = (researcherId: string | undefined) => (researcherId ? `There is no active researcher ${researcherId}.` : 'No researcher was named.');

  app.get(
    '/desk/on-behalf',
    {
      config: staffOnly,
      schema: {
        ...hidden,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), researcherId: Type.Optional(IdText), made: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const { q, researcherId, made } = request.query;
      const shown = { title: 'Request for a researcher', paths: pagePaths, researcher: null, q: '', people: [], more: false, made: [], collections: [] };
      if (researcherId === undefined) {
        const query = q?.trim() ?? '';
        const { matches, more } = query ? await researchersMatching(db, query) : { matches: [], more: false };
        const people = matches.map((user) => ({ ...researcherLook(user), affiliation: user.affiliation, active: user.disabledAt === null }));
        return page(request, reply, 'staff-on-behalf', { ...shown, q: query, people, more });
      }
      const submitter = await submitterFor(request, researcherId);
      if (!submitter) return noSuchResearcher(request, reply, 'No such researcher', noOne(researcherId));
      const { researcher } = submitter;
      // What was just made for them: only their own requests, whatever ids the address holds.
      const theirs: RequestRow[] = [];
      for (const id of idsInText(made)) {
        const row = await findRequest(db, id);
        if (row?.researcherId === researcher.id) theirs.push(row);
      }
      return page(request, reply, 'staff-on-behalf', {
        ...shown,
        title: `Request for ${researcher.name}`,
        researcher: { ...researcherLook(researcher), affiliation: researcher.affiliation },
        made: theirs.map((row) => ({ ...row, href: pagePaths.deskRequest(row.id), folders: row.components.map(wantedWords), statusWords: deskStatus(row.status) })),
        collections: await findCollections(db),
      });
    },
  );

  app.get(
    '/desk/on-behalf/collections/:collectionId',
    {
      config: staffOnly,
      schema: { ...hidden, params: Type.Object({ collectionId: IdText }), querystring: Type.Object({ ...CollectionQuery.properties, researcherId: Type.Optional(IdText) }) },
    },
    async (request, reply) => {
      const collectionId = idOf(request.params.collectionId);
      if (collectionId === undefined) return collectionPages.missing(request, reply, 'No such collection', 'There is no such collection.');
      const { researcherId, date } = request.query;
      const submitter = await submitterFor(request, researcherId);
      if (!submitter) return noSuchResearcher(request, reply, 'No such researcher', noOne(researcherId));
      return collectionPages.show(request, reply, collectionId, date || undefined, shownIn(request.query), { researcher: submitter.researcher, onBehalf: true });
    },
  );

  app.post(
    '/desk/on-behalf',
    {
      config: staffOnly,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ ...RequestFormFields, researcherId: Type.Optional(IdText), overrideLeadTime: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { researcherId } = request.body;
      // A checkbox: sent only when ticked.
      const overrideLeadTime = request.body.overrideLeadTime === 'true';
      const submitter = await submitterFor(request, researcherId, overrideLeadTime);
      if (!submitter) return noSuchResearcher(request, reply, 'No such researcher', noOne(researcherId));
      const requester = { researcher: submitter.researcher, onBehalf: true };
      const read = readRequestForm(request.body, overrideLeadTime);
      if (read.problem) return collectionPages.showAgain(request, reply, read, requester, read.problem.message, read.problem.status);
      const made = await attempt(() => submitRequests(requests, submitter, read.submission, clock));
      if (!made.ok) return collectionPages.showAgain(request, reply, read, requester, readableMessage(made.refusal.message), made.refusal.statusCode);
      return seeOther(reply, config, pagePaths.onBehalf(submitter.researcher.id, made.value.map((row) => row.id)));
    },
  );
};
