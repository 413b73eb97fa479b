import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { containersOf, findCollections } from '../collections/store.ts';
import { searchFindingAids } from '../finding-aids/search-routes.ts';
import { componentIdByRefId, findComponent } from '../finding-aids/tree.ts';
import { wantedComponents } from '../finding-aids/wanted.ts';
import { wantedContainers } from '../domain/wanted-containers.ts';
import { pagePaths } from '../links.ts';
import { withoutBranch } from './finding-aid-tree.ts';
import { FormBody, FormText, hidden, IdList, IdText, idOf, idsOf } from './form.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';

// The finding aids' pages around the collection page (src/pages/researcher-pages.ts shows it):
// opening and closing the tree's branches without JavaScript, the deep links finding-aid sites
// give out, and the search across finding aids.

const anyone = { access: ['any'] as const };
const researcherOnly = { access: ['researcher'] as const };
const RESULTS_PER_PAGE = 25;

/** "Box 3", "box  3": how a finding-aid site may write a box's label. */
const sameLabel = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

export const findingAidPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);
  const notFound = notFoundPage(page, { href: pagePaths.search(), label: 'Search the finding aids' });

  /**
   * The visit planner for what was checked on a collection page: the boxes themselves and those
   * the folders are in, worked out as a request would (a folder housed nowhere is left out).
   */
  const planWith = async (collectionId: number, containerIds: number[], componentIds: number[]) => {
    const components = [...(await wantedComponents(db, componentIds)).values()].filter((c) => c.collectionId === collectionId);
    const wanted = await attempt(() => wantedContainers(containerIds, components).containerIds);
    return pagePaths.planVisit((await findCollections(db, { id: collectionId }))[0]?.readingRoomId, undefined, wanted.ok ? wanted.value : containerIds);
  };

  /**
   * The tree's open and close buttons post the collection page's form here (whatever its action),
   * so that a branch opens without losing what was checked: the page comes back with the choices,
   * the visit date and the open branches in its address; the desk's page for a researcher comes
   * back as itself (the access check of that page still applies). Nothing is changed, so no CSRF
   * token is needed.
   */
  app.post(
    '/collections/:collectionId/view',
    {
      config: anyone,
      schema: {
        ...hidden,
        params: Type.Object({ collectionId: IdText }),
        body: FormBody({
          visitDate: Type.Optional(IdText),
          open: IdList,
          close: Type.Optional(IdText),
          componentIds: IdList,
          containerIds: IdList,
          plan: Type.Optional(IdText),
          researcherId: Type.Optional(IdText),
        }),
      },
    },
    async (request, reply) => {
      const collectionId = idOf(request.params.collectionId);
      if (collectionId === undefined) return notFound(request, reply, 'No such collection', 'There is no such collection.');
      const { visitDate, close, plan } = request.body;
      if (plan !== undefined) return seeOther(reply, config, await planWith(collectionId, idsOf(request.body.containerIds) ?? [], idsOf(request.body.componentIds) ?? []));
      const closed = idOf(close);
      const asked = idsOf(request.body.open) ?? [];
      const open = closed === undefined ? asked : await withoutBranch(db, asked, closed);
      // Redirects carry no fragment (src/pages/kit.ts pathOnThisSite): the page opens at its top.
      const view = { date: visitDate, open, componentIds: idsOf(request.body.componentIds) ?? [], containerIds: idsOf(request.body.containerIds) ?? [] };
      const researcherId = idOf(request.body.researcherId);
      return seeOther(reply, config, researcherId === undefined ? pagePaths.collection(collectionId, view) : pagePaths.onBehalfCollection(collectionId, researcherId, view));
    },
  );

  /**
   * A finding-aid site's "Request" link: `/request?callNumber=…&refId=…` (a component) or
   * `&container=Box 3` (a box). It opens the collection page with that component or box chosen and
   * its branch open; signed out, the sign-in page comes first and brings the researcher back here.
   */
  app.get(
    '/request',
    {
      config: researcherOnly,
      schema: {
        ...hidden,
        querystring: Type.Object({ callNumber: Type.Optional(FormText), refId: Type.Optional(FormText), container: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const { callNumber = '', refId, container } = request.query;
      const collection = callNumber === '' ? undefined : (await findCollections(db, { callNumber }))[0];
      if (!collection) return notFound(request, reply, 'No such collection', `There is no collection with the call number “${callNumber}”.`);
      if (refId) {
        const componentId = await componentIdByRefId(db, collection.id, refId);
        if (componentId === undefined) return notFound(request, reply, 'No such part of the collection', `${collection.callNumber} has no component “${refId}”.`);
        return seeOther(reply, config, pagePaths.collection(collection.id, { open: [componentId], componentIds: [componentId] }));
      }
      if (container) {
        const box = (await containersOf(db, collection.id)).find((c) => sameLabel(c.label, container));
        if (!box) return notFound(request, reply, 'No such box', `${collection.callNumber} has no box “${container}”.`);
        return seeOther(reply, config, pagePaths.collection(collection.id, { containerIds: [box.id] }));
      }
      return seeOther(reply, config, pagePaths.collection(collection.id));
    },
  );

  app.get(
    '/search',
    {
      config: anyone,
      schema: {
        ...hidden,
        querystring: Type.Object({ q: Type.Optional(FormText), collectionId: Type.Optional(IdText), cursor: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      const collectionId = idOf(request.query.collectionId);
      const collection = collectionId === undefined ? undefined : (await findCollections(db, { id: collectionId }))[0];
      const shown = { title: 'Search the finding aids', q, collection: collection ?? null, hits: null, more: null, paths: pagePaths };
      if (q === '') return page(request, reply, 'finding-aid-search', shown);
      const search = (cursor: string | undefined) => attempt(() => searchFindingAids(db, { q, collectionId: collection?.id, limit: RESULTS_PER_PAGE, cursor }));
      let found = await search(request.query.cursor || undefined);
      let problem: string | null = null;
      if (!found.ok) {
        // A cursor someone edited, or one from before the catalogue changed: the first results instead.
        problem = 'That page of results is no longer available; here are the first results.';
        found = await search(undefined);
        if (!found.ok) return page(request, reply, 'finding-aid-search', { ...shown, problem: found.refusal.message }, found.refusal.statusCode);
      }
      const { items, nextCursor } = found.value;
      const hits = [];
      for (const hit of items) {
        const component = hit.componentId === null ? undefined : await findComponent(db, hit.componentId);
        const href =
          hit.componentId === null
            ? pagePaths.collection(hit.collectionId)
            : pagePaths.collection(hit.collectionId, { open: [hit.componentId], at: `c-${hit.componentId}` });
        hits.push({ ...hit, href, within: component?.ancestors.map((a) => a.title) ?? [] });
      }
      const more = nextCursor ? pagePaths.search(q, { collectionId: collection?.id, cursor: nextCursor }) : null;
      return page(request, reply, 'finding-aid-search', { ...shown, title: `Search: ${q}`, hits, more, problem });
    },
  );
};
