import type { Database } from '../../../db/client.ts';
import type { RequestStatus } from '../../../db/tables.ts';
import { identityDocumentTypes, type IdentityDocumentType } from '../../accounts/staff.ts';
import { findUser, listUsers, type UserRow } from '../../accounts/users.ts';
import type { IsoDate } from '../../domain/calendar.ts';
import { allows, staffMovesFrom, type StaffMove } from '../../domain/request-status.ts';
import { boxesOut, pickList, staffList } from '../../paging/pick-list.ts';
import type { PickItem } from '../../requests/schemas.ts';
import { everPaged, type RequestRow } from '../../requests/store.ts';
import { findClassSession } from '../../class-sessions/store.ts';
import { pagePaths } from '../../links.ts';
import { deskStatus, wantedWords } from '../../wording.ts';

// What the staff's pages show of a request: the domain's lists and rules, put into words. Nothing
// here decides anything: the moves offered are the status machine's, and the transition itself
// checks them again.


/** The button of each move, said as the person at the desk does it. */
export const moveWords: Record<StaffMove, string> = {
  paged: 'Paged',
  delivered: 'Deliver',
  returned: 'Take back',
  on_hold: 'Keep on hold',
  reshelved: 'Reshelved',
  no_show: 'No-show',
};

/** What the desk calls each kind of photo ID. */
export const documentWords: Record<IdentityDocumentType, string> = {
  passport: 'Passport',
  national_id: 'National identity card',
  driving_licence: 'Driving licence',
  university_id: 'University ID card',
  other: 'Other photo ID',
};

export const documentChoices = identityDocumentTypes.map((value) => ({ value, label: documentWords[value] }));

/** The moves the status machine lets staff make from a status (src/domain/request-status.ts). */
export async function movesFrom(db: Database, requestId: number, status: RequestStatus): Promise<{ to: StaffMove; label: string; main: boolean }[]> {
  const paged = status === 'no_show' ? await everPaged(db, requestId) : undefined;
  // The forward move first and prominent; a no-show is the quiet alternative.
  return staffMovesFrom({ status, everPaged: paged }).map((to, i) => ({ to, label: moveWords[to], main: i === 0 && to !== 'no_show' }));
}

export interface ResearcherLook {
  id: number;
  name: string;
  email: string;
  identityChecked: boolean;
  identityDocument: string | null;
  deskHref: string;
}

export function researcherLook(user: UserRow): ResearcherLook {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    identityChecked: user.identityVerifiedAt !== null,
    identityDocument: user.identityDocumentType ? (documentWords[user.identityDocumentType as IdentityDocumentType] ?? user.identityDocumentType) : null,
    deskHref: deskHref(user),
  };
}

/** How many researchers a search at the desk shows before asking for a closer search. */
const DESK_MATCHES = 20;

/** The desk's search for a researcher, by part of the name or address: the first matches, and whether there are more. */
export async function researchersMatching(db: Database, q: string): Promise<{ matches: UserRow[]; more: boolean }> {
  const found = await listUsers(db, { role: 'researcher', q, limit: DESK_MATCHES + 1 });
  return { matches: found.slice(0, DESK_MATCHES), more: found.length > DESK_MATCHES };
}

/** The desk, opened on one researcher. */
export const deskHref = (user: Pick<UserRow, 'email'>) => pagePaths.desk(user.email);

/** One researcher's look, or a stand-in naming the id when there is no such account. */
async function readResearcherLook(db: Database, id: number): Promise<ResearcherLook> {
  const user = await findUser(db, id);
  return user
    ? researcherLook(user)
    : { id, name: `Researcher ${id}`, email: '', identityChecked: false, identityDocument: null, deskHref: pagePaths.desk() };
}

/** Researchers by id, each read once (the read itself is kept, so asking again while it runs waits for the same one). */
export function researcherLookup(db: Database): (id: number) => Promise<ResearcherLook> {
  const seen = new Map<number, Promise<ResearcherLook>>();
  return (id) => {
    let look = seen.get(id);
    if (!look) {
      look = readResearcherLook(db, id);
      seen.set(id, look);
    }
    return look;
  };
}

/** A class session's box, as the desk names it: for the class, with no photo ID to check. */
export interface ClassLook {
  id: number;
  title: string;
  href: string;
}

const classLook = (session: { id: number; title: string }): ClassLook => ({ id: session.id, title: session.title, href: pagePaths.classSession(session.id) });

/** Who a box is for, in words: the researcher's name, or the class's title. */
const forWhom = (researcher: ResearcherLook | null, classSession: ClassLook | null) => (classSession ? `the class ${classSession.title}` : (researcher?.name ?? ''));

export interface SheetRow {
  requestId: number;
  status: RequestStatus;
  statusWords: string;
  callNumber: string;
  collectionTitle: string;
  containerLabel: string;
  location: string | null;
  /** The folders wanted in the box, in words; empty when the whole box was asked for. */
  folders: string[];
  /** Null for a class session's box, which has `classSession` instead. */
  researcher: ResearcherLook | null;
  classSession: ClassLook | null;
  forWhom: string;
  moves: Awaited<ReturnType<typeof movesFrom>>;
  /** Whether it may be kept on hold: a hold needs its last day, so it has a form of its own. */
  holdable: boolean;
}

const holdable = (status: RequestStatus) => allows({ status }, 'staff', 'transition', 'on_hold');

function sheetRows(db: Database, items: PickItem[], researcher: (id: number) => Promise<ResearcherLook>): Promise<SheetRow[]> {
  return Promise.all(items.map(async (item) => {
    const person = item.researcher && (await researcher(item.researcher.id));
    const classSession = item.classSession && classLook(item.classSession);
    return {
    requestId: item.requestId,
    status: item.status,
    statusWords: deskStatus(item.status),
    callNumber: item.callNumber,
    collectionTitle: item.collectionTitle,
    containerLabel: item.containerLabel,
    location: item.location,
    folders: item.components.map(wantedWords),
    researcher: person,
    classSession,
    forWhom: forWhom(person, classSession),
    moves: await movesFrom(db, item.requestId, item.status),
    holdable: holdable(item.status) && !classSession,
    };
  }));
}

/**
 * A day's sheet, each part in walking order: the pick list (scheduled and paged), what is out
 * (delivered and returned), and the paged boxes whose researcher did not come, back to the shelf.
 */
export async function pagingSheet(db: Database, date: IsoDate) {
  const researcher = researcherLookup(db);
  const unclaimed: PickItem[] = [];
  for (const item of await staffList(db, date, ['no_show'])) if (await everPaged(db, item.requestId)) unclaimed.push(item);
  return {
    toFetch: await sheetRows(db, await pickList(db, date), researcher),
    out: await sheetRows(db, await boxesOut(db, date), researcher),
    unclaimed: await sheetRows(db, unclaimed, researcher),
  };
}

/** A request as the desk sees it: any status, with the moves allowed from it. */
export async function deskRow(
  db: Database,
  row: RequestRow,
  researcher: (id: number) => Promise<ResearcherLook>,
): Promise<SheetRow & { visitDate: IsoDate; restricted: boolean; restrictionNote: string | null }> {
  const person = row.researcherId === null ? null : await researcher(row.researcherId);
  const session = row.classSessionId === null ? undefined : await findClassSession(db, row.classSessionId);
  const classSession = session ? classLook(session) : null;
  return {
    requestId: row.id,
    status: row.status,
    statusWords: deskStatus(row.status),
    callNumber: row.callNumber,
    collectionTitle: row.collectionTitle,
    containerLabel: row.containerLabel,
    location: row.location,
    folders: row.components.map(wantedWords),
    researcher: person,
    classSession,
    forWhom: forWhom(person, classSession),
    moves: await movesFrom(db, row.id, row.status),
    holdable: holdable(row.status) && !classSession,
    visitDate: row.visitDate,
    restricted: row.restricted,
    restrictionNote: row.restrictionNote,
  };
}
