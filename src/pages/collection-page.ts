import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { UserRow } from '../accounts/users.ts';
import { findCollections, findContainers } from '../collections/store.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { isActive } from '../domain/request-status.ts';
import { pagePaths } from '../links.ts';
import type { Submission } from '../requests/submit.ts';
import type { Saveable } from '../saved/list.ts';
import { listRequests } from '../requests/store.ts';
import { readableDate } from '../wording.ts';
import { treeOf } from './finding-aid-tree.ts';
import { FormText, IdList, IdText, idOf, idsOf, isIsoDate } from './form.ts';
import { notFoundPage, pageRenderer, type PageOptions } from './kit.ts';
import { surrogateView } from './surrogate-first.ts';
import { openVisitDays } from './visit-days.ts';

// The collection page: a collection, its finding aid's tree and its boxes, each box as it stands on
// the chosen visit date, and the form that requests them. A researcher requests for themselves
// (`/collections/:id`, posting to `/requests`); staff for a researcher who phones or writes
// (`/desk/on-behalf/collections/:id`, posting to `/desk/on-behalf`), where a day sooner than the
// lead time is offered too, for staff to override it. A researcher may also save the choice for
// later (`POST /saved`); the desk's page does not offer it, since it would go on staff's own list.
// One page, one way of reading its form.

export const NOTE_MAX = 2000;
/** Every request of one researcher: "My requests" is one page (see the report on paging it). */
export const ALL_OF_THEM = 100_000;

/** What the collection page shows chosen and open: from its address, or from a form sent back to it. */
export interface CollectionForm {
  containerIds: number[];
  componentIds: number[];
  open: number[];
  note: string;
  /** On the desk's page: staff chose to override the lead time. */
  overrideLeadTime?: boolean;
}

/** Who the page's form requests for: the researcher signed in, or one staff request for (`onBehalf`). */
export interface Requester {
  researcher: UserRow;
  onBehalf: boolean;
}

/** The page's address: the visit date, the open branches and what is chosen. */
export const CollectionQuery = Type.Object({ date: Type.Optional(IdText), open: IdList, componentIds: IdList, containerIds: IdList });

/** What the page's address shows chosen and open; an address someone edited by hand shows what could be read of it. */
export function shownIn(query: { open?: string[] | undefined; componentIds?: string[] | undefined; containerIds?: string[] | undefined }): CollectionForm {
  return { containerIds: idsOf(query.containerIds) ?? [], componentIds: idsOf(query.componentIds) ?? [], open: idsOf(query.open) ?? [], note: '' };
}

/** The fields of the page's form, whichever post it goes to: a request (the researcher's or the desk's), or "Save for later". */
export const RequestFormFields = {
  visitDate: Type.Optional(IdText),
  collectionId: Type.Optional(IdText),
  containerIds: IdList,
  componentIds: IdList,
  open: IdList,
  note: Type.Optional(FormText),
};

interface RequestFormBody {
  visitDate?: string | undefined;
  collectionId?: string | undefined;
  containerIds?: string[] | undefined;
  componentIds?: string[] | undefined;
  open?: string[] | undefined;
  note?: string | undefined;
}

/**
 * The page's form as posted: what to show again with a problem (`notDone` is the title of a page
 * that says it, when the form named no collection), and what it asks when nothing is wrong.
 */
export type PostedForm<Asked> = { form: CollectionForm; visitDate: string; collectionId: number | undefined; notDone: string } & (
  | { problem: { message: string; status: number } }
  | ({ problem: null } & Asked)
);

/** The boxes and folders the form chose: at least one, each an id; `toDo` words what they were chosen for. */
function readChoice(body: RequestFormBody, notDone: string, toDo: string, overrideLeadTime: boolean): PostedForm<{ containerIds: number[]; componentIds: number[] }> {
  const containerIds = idsOf(body.containerIds);
  const componentIds = idsOf(body.componentIds);
  const read = {
    form: { containerIds: containerIds ?? [], componentIds: componentIds ?? [], open: idsOf(body.open) ?? [], note: body.note ?? '', overrideLeadTime },
    visitDate: body.visitDate ?? '',
    collectionId: idOf(body.collectionId),
    notDone,
  };
  if (!containerIds || !componentIds) return { ...read, problem: { message: 'Choose folders and boxes from the list.', status: 400 } };
  if (containerIds.length === 0 && componentIds.length === 0) return { ...read, problem: { message: `Choose at least one folder or box to ${toDo}.`, status: 422 } };
  return { ...read, problem: null, containerIds, componentIds };
}

/** The request form as posted: the submission when nothing is wrong. */
export type RequestForm = PostedForm<{ submission: Submission & { visitDate: IsoDate; containerIds: number[]; componentIds: number[] } }>;

export function readRequestForm(body: RequestFormBody, overrideLeadTime = false): RequestForm {
  const read = readChoice(body, 'The request was not made', 'request', overrideLeadTime);
  if (read.problem) return read;
  const { containerIds, componentIds, ...shown } = read;
  if (!isIsoDate(read.visitDate)) return { ...shown, problem: { message: 'Choose a visit date from the list.', status: 422 } };
  return { ...shown, submission: { visitDate: read.visitDate, containerIds, componentIds, note: read.form.note.trim() || undefined } };
}

/** "Save for later" as posted (the same form, without a date): the boxes and folders to save when nothing is wrong. */
export type SaveForm = PostedForm<{ things: Saveable[] }>;

export function readSaveForm(body: RequestFormBody): SaveForm {
  const read = readChoice(body, 'Nothing was saved', 'save for later', false);
  if (read.problem) return read;
  const { containerIds, componentIds, ...shown } = read;
  return { ...shown, things: [...containerIds.map((containerId) => ({ containerId })), ...componentIds.map((componentId) => ({ componentId }))] };
}

export function collectionPage({ db, config, clock }: Pick<PageOptions, 'db' | 'config' | 'clock'>) {
  const page = pageRenderer(config, clock);
  const missing = notFoundPage(page, { href: pagePaths.collections, label: 'Browse the collections' });

  /** A collection, its series and boxes, with each box's availability on the chosen (or earliest) day. */
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    collectionId: number,
    wantedDate: string | undefined,
    form: CollectionForm,
    requester: Requester | null,
    problem: string | null = null,
    status = 200,
  ) => {
    const collection = (await findCollections(db, { id: collectionId }))[0];
    if (!collection) return missing(request, reply, 'No such collection', `There is no collection ${collectionId}.`);
    const forWhom = requester?.onBehalf ? requester.researcher : undefined;
    const { days: openDays, earliest } = await openVisitDays(db, collection.readingRoomId, clock(), { overridable: forWhom !== undefined });
    const offered = wantedDate !== undefined && openDays.includes(wantedDate);
    // A day sooner than the lead time is offered at the desk, but never chosen unasked.
    const visitDate = offered ? wantedDate : (openDays.find((d) => d >= earliest) ?? openDays[0]);
    if (!problem && wantedDate && !offered && visitDate) {
      const which = isIsoDate(wantedDate) ? readableDate(wantedDate) : 'That date';
      problem = `${which} is not open for requests; the boxes below are shown for ${readableDate(visitDate)}.`;
    }
    const theirs =
      requester && visitDate
        ? (await listRequests(db, { researcherId: requester.researcher.id, visitDate }, ALL_OF_THEM)).filter((r) => isActive(r.status))
        : [];
    const containers = await findContainers(db, collectionId, todayIn(config.timezone, clock()), visitDate);
    const boxes = containers.map((c) => ({
      ...c,
      surrogate: surrogateView(c.surrogate),
      available: 'available' in c ? c.available : null,
      mine: theirs.find((r) => r.containerId === c.id)?.status ?? null,
      selected: form.containerIds.includes(c.id),
    }));
    // A finding aid's collection shows its tree, and its boxes for whole-box requests below it.
    const tree = collection.componentCount > 0 ? await treeOf(db, collectionId, new Map(boxes.map((b) => [b.id, b])), form) : null;
    return page(
      request,
      reply,
      'researcher-collection',
      {
        title: forWhom ? `Request for ${forWhom.name}: ${collection.title}` : collection.title,
        collection,
        boxes,
        tree,
        paths: pagePaths,
        openDays,
        visitDate: visitDate ?? null,
        requesting: requester !== null,
        onBehalf: forWhom ? { researcher: { id: forWhom.id, name: forWhom.name, email: forWhom.email }, earliest, overrideLeadTime: form.overrideLeadTime === true } : null,
        dailyLimit: config.dailyRequestLimit,
        activeThatDay: theirs.length,
        note: form.note,
        noteMax: NOTE_MAX,
        problem,
      },
      status,
    );
  };

  /** A form of the page refused, shown again: on its collection's page with what was chosen, or alone when the form named none. */
  const showAgain = (request: FastifyRequest, reply: FastifyReply, read: PostedForm<object>, requester: Requester, problem: string, status: number) =>
    read.collectionId === undefined
      ? page(request, reply, 'message', { title: read.notDone, message: problem, problem: true, link: { href: pagePaths.collections, label: 'Browse the collections' } }, status)
      : show(request, reply, read.collectionId, read.visitDate, read.form, requester, problem, status);

  return { show, showAgain, missing };
}
