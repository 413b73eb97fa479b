import { WEB_ADDRESS } from '../collections/schemas.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { surrogateKinds, type Role } from '../../db/tables.ts';
import { editContainer, mayChange, type ContainerEdit } from '../collections/container-edits.ts';
import { containersOf, containerView, findCollections, findContainer, type ContainerRow } from '../collections/store.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { restrictionTextsOf } from '../finding-aids/tree.ts';
import { accountOf } from '../http/auth.ts';
import { IdSchema, literals } from '../http/schemas.ts';
import { pagePaths } from '../links.ts';
import { readableDate, readingWords, surrogateWords } from '../wording.ts';
import { attempt, notFoundPage, pageRenderer, seeOther, type PageOptions } from './kit.ts';
import { FormBody, FormText, hidden } from './form.ts';

// The containers of each collection, for staff, curators and admins: where each box is, its
// barcode, whether it is withdrawn, restricted (why, until when, whether a curator decided it) or
// has a surrogate; and the finding aid's access notes as the import reads them. Each container has
// a page with the forms of what the person's role may change (curators: restriction and surrogate;
// staff: location and barcode; admins: all), each a call of the domain's editContainer, whose own
// rule refuses a forged post of a field outside the role (403 FORBIDDEN, shown on the page).

const access = { access: ['staff', 'curator'] as const };
/** Collections listed on one page of the index; a link leads to the later ones. */
const INDEX_PAGE = 100;
const LOCATION_MAX = 200;
const BARCODE_MAX = 100;

/** What each change did, as the notice after the redirect says it. */
const outcomes = {
  restricted: 'The container is restricted: new requests for it need a curator’s approval. Requests already made keep their status.',
  lifted: 'The restriction is lifted: new requests for the container need no approval.',
  surrogate: 'The surrogate is saved: researchers are offered it first.',
  'surrogate-removed': 'The surrogate is removed.',
  shelf: 'The location and barcode are saved.',
} as const;
type Outcome = keyof typeof outcomes;
const isOutcome = (value: string | undefined): value is Outcome => value !== undefined && Object.hasOwn(outcomes, value);

/** A web address for a surrogate, as the API checks it (it becomes a link). */
const isWebAddress = (text: string) => new RegExp(WEB_ADDRESS).test(text);

/** A container as these pages show it, its restriction as of `today`. */
function containerLook(row: ContainerRow, today: IsoDate) {
  const view = containerView(row, today);
  return {
    id: row.id,
    href: pagePaths.container(row.id),
    label: row.label,
    barcode: view.barcode,
    eadBarcode: row.eadBarcode,
    staffBarcode: row.staffBarcode,
    location: row.location,
    withdrawn: row.withdrawn,
    restricted: view.restricted,
    restrictionNote: view.restrictionNote,
    restrictedUntil: view.restrictedUntil ? readableDate(view.restrictedUntil) : null,
    // A curator's decision (either way) overrides the finding aid and is kept across imports.
    byCurator: row.restrictionByCurator,
    // Only a web address becomes a link (the API and the form take nothing else; this keeps a page safe whatever a row holds).
    surrogate: view.surrogate
      ? { ...view.surrogate, kindWords: surrogateWords[view.surrogate.kind], link: view.surrogate.url && isWebAddress(view.surrogate.url) ? view.surrogate.url : null }
      : null,
  };
}

/** The forms a role is offered: exactly the fields editContainer lets it change. */
const formsFor = (role: Role) => ({
  restriction: mayChange(role, 'restricted'),
  surrogate: mayChange(role, 'surrogate'),
  shelf: mayChange(role, 'location') && mayChange(role, 'barcode'),
});

export const containerPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);
  const today = () => todayIn(config.timezone, clock());

  const missing = notFoundPage(page, { href: pagePaths.containers, label: 'All collections' });

  app.get(
    pagePaths.containers,
    { config: access, schema: { ...hidden, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), after: Type.Optional(FormText) }) } },
    async (request, reply) => {
      const q = request.query.q?.trim() ?? '';
      const found = await findCollections(db, { q: q || undefined, afterCallNumber: request.query.after, limit: INDEX_PAGE + 1 });
      const shown = found.slice(0, INDEX_PAGE);
      const last = shown.at(-1);
      const next = found.length > INDEX_PAGE && last ? `${pagePaths.containers}?${new URLSearchParams({ ...(q ? { q } : {}), after: last.callNumber }).toString()}` : null;
      return page(request, reply, 'containers-index', {
        title: 'Containers',
        q,
        collections: shown.map((c) => ({ callNumber: c.callNumber, title: c.title, href: pagePaths.collectionContainers(c.id) })),
        next,
      });
    },
  );

  app.get(
    '/collections/:collectionId/containers',
    { config: access, schema: { ...hidden, params: Type.Object({ collectionId: IdSchema }) } },
    async (request, reply) => {
      const { collectionId } = request.params;
      const [collection] = await findCollections(db, { id: collectionId });
      if (!collection) return missing(request, reply, 'No such collection', `There is no collection ${collectionId}.`);
      const date = today();
      return page(request, reply, 'collection-containers', {
        title: `Containers of ${collection.callNumber}`,
        wide: true,
        collection: { ...collection, href: pagePaths.collection(collection.id) },
        containers: (await containersOf(db, collectionId)).map((row) => containerLook(row, date)),
        restrictionTexts: (await restrictionTextsOf(db, collectionId)).map((t) => ({ ...t, readingWords: readingWords(t.reading) })),
        indexHref: pagePaths.containers,
      });
    },
  );

  /** A container's page; shown again with a refusal, the form posted comes back as it was sent. */
  const showContainer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    view: { notice?: string | null; problem?: string | null; draft?: Record<string, string> } = {},
    status = 200,
  ) => {
    const row = await findContainer(db, id);
    if (!row) return missing(request, reply, 'No such container', `There is no container ${id}.`);
    const [collection] = await findCollections(db, { id: row.collectionId });
    const container = containerLook(row, today());
    const draft = view.draft ?? {};
    return page(
      request,
      reply,
      'container-edit',
      {
        title: `${row.label}, ${collection?.callNumber ?? ''}`,
        container,
        collection: collection ? { callNumber: collection.callNumber, title: collection.title, containersHref: pagePaths.collectionContainers(collection.id) } : null,
        forms: formsFor(accountOf(request).role),
        kinds: surrogateKinds.map((kind) => ({ value: kind, label: surrogateWords[kind] })),
        draft: {
          restrictionNote: draft.note ?? (container.restricted ? (container.restrictionNote ?? '') : ''),
          surrogateKind: draft.kind ?? container.surrogate?.kind ?? 'reference_copy',
          surrogateNote: draft.surrogateNote ?? container.surrogate?.note ?? '',
          surrogateUrl: draft.url ?? container.surrogate?.url ?? '',
          location: draft.location ?? container.location ?? '',
          barcode: draft.barcode ?? container.staffBarcode ?? '',
        },
        locationMax: LOCATION_MAX,
        barcodeMax: BARCODE_MAX,
        notice: view.notice ?? null,
        problem: view.problem ?? null,
      },
      status,
    );
  };

  app.get(
    '/containers/:containerId',
    { config: access, schema: { ...hidden, params: Type.Object({ containerId: IdSchema }), querystring: Type.Object({ done: Type.Optional(FormText) }) } },
    async (request, reply) => {
      const { done } = request.query;
      return showContainer(request, reply, request.params.containerId, { notice: isOutcome(done) ? outcomes[done] : null });
    },
  );

  /**
   * Applies a form's change through the domain; a refusal (a field outside the role: FORBIDDEN; a
   * container gone) is shown on the container's page with the form as it was sent.
   */
  const change = async (request: FastifyRequest, reply: FastifyReply, id: number, edit: ContainerEdit, outcome: Outcome, draft: Record<string, string>) => {
    const changed = await attempt(() => editContainer(db, id, edit, accountOf(request).role, today()));
    if (!changed.ok) return showContainer(request, reply, id, { problem: changed.refusal.message, draft }, changed.refusal.statusCode);
    return seeOther(reply, config, `${pagePaths.container(id)}?done=${outcome}`);
  };

  const params = Type.Object({ containerId: IdSchema });

  app.post(
    '/containers/:containerId/restriction',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params, body: FormBody({ restricted: literals(['true', 'false']), note: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { containerId } = request.params;
      const note = request.body.note?.trim() ?? '';
      if (request.body.restricted === 'false') return change(request, reply, containerId, { restricted: false }, 'lifted', { note });
      // Without a note, the one it has (or the domain's "Restricted by the curator.") stands.
      return change(request, reply, containerId, { restricted: true, restrictionNote: note || undefined }, 'restricted', { note });
    },
  );

  app.post(
    '/containers/:containerId/surrogate',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        params,
        body: FormBody({ action: literals(['save', 'remove']), kind: Type.Optional(literals(surrogateKinds)), note: Type.Optional(FormText), url: Type.Optional(FormText) }),
      },
    },
    async (request, reply) => {
      const { containerId } = request.params;
      const { action, kind = 'reference_copy' } = request.body;
      const note = request.body.note?.trim() ?? '';
      const url = request.body.url?.trim() ?? '';
      const draft = { kind, surrogateNote: note, url };
      if (action === 'remove') return change(request, reply, containerId, { surrogate: null }, 'surrogate-removed', draft);
      if (url && !isWebAddress(url)) {
        return showContainer(request, reply, containerId, { problem: 'Give the surrogate’s web address in full, starting with https:// (or leave it empty).', draft }, 400);
      }
      return change(request, reply, containerId, { surrogate: { kind, note: note || null, url: url || null } }, 'surrogate', draft);
    },
  );

  app.post(
    '/containers/:containerId/shelf',
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: { ...hidden, params, body: FormBody({ location: Type.Optional(FormText), barcode: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { containerId } = request.params;
      const location = request.body.location?.trim() ?? '';
      const barcode = request.body.barcode?.trim() ?? '';
      const draft = { location, barcode };
      if (location.length > LOCATION_MAX || barcode.length > BARCODE_MAX) {
        return showContainer(request, reply, containerId, { problem: `A location has up to ${LOCATION_MAX} characters, a barcode up to ${BARCODE_MAX}.`, draft }, 400);
      }
      // Empty clears: no location (sorted last on pick lists), and the finding aid's barcode again.
      return change(request, reply, containerId, { location: location || null, barcode: barcode || null }, 'shelf', draft);
    },
  );
};
