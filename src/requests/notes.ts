import { and, asc, inArray, sql } from 'drizzle-orm';
import { integersOf } from '../../db/statements.ts';
import { requestNotes, type NoteVisibility } from '../../db/tables.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import type { Clock } from '../domain/calendar.ts';
import { pageLinks } from '../links.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { visibleRequest, type RequestsContext } from './moves.ts';

export type NoteRow = typeof requestNotes.$inferSelect;

/** The longest note, in characters: the API's and the pages' forms alike. */
export const NOTE_TEXT_MAX = 4000;

/**
 * What a person may read of a request's notes: staff and curators all of them, its researcher the
 * `researcher` ones only. A `staff` note is for the reading room alone, wherever a researcher looks.
 */
export const notesFor = (viewer: UserRow): readonly NoteVisibility[] => (viewer.role === 'researcher' ? ['researcher'] : ['staff', 'researcher']);

/** The notes of some requests a person may read, oldest first. */
export async function notesOf(db: Writer, requestIds: readonly number[], viewer: UserRow): Promise<NoteRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .select()
    .from(requestNotes)
    .where(and(sql`${requestNotes.requestId} in ${integersOf(JSON.stringify(requestIds))}`, inArray(requestNotes.visibility, [...notesFor(viewer)])))
    .orderBy(asc(requestNotes.id));
}

/** A request's notes for someone who may see the request (another researcher's: 404). */
export async function readNotes(db: Writer, requestId: number, viewer: UserRow): Promise<NoteRow[]> {
  await visibleRequest(db, requestId, viewer);
  return notesOf(db, [requestId], viewer);
}

/**
 * Staff or a curator writes a note on a request. A `researcher` note is mailed to the researcher;
 * a `staff` note to nobody.
 */
export function addNote(ctx: RequestsContext, requestId: number, author: UserRow, note: { text: string; visibility: NoteVisibility }, clock: Clock): Promise<NoteRow> {
  return commit(ctx.db, async (tx) => {
    const request = await visibleRequest(tx, requestId, author);
    const [written] = await tx.insert(requestNotes).values({ requestId, authorId: author.id, visibility: note.visibility, text: note.text, createdAt: clock() }).returning();
    const researcher = note.visibility === 'researcher' ? await findUser(tx, request.researcherId) : undefined;
    if (researcher) {
      await queueMail(tx, {
        kind: 'request-note',
        to: { email: researcher.email, name: researcher.name },
        data: { visitDate: request.visitDate, container: mailContainer(request), text: note.text, requestsUrl: pageLinks(ctx.publicUrl).requests },
      });
    }
    return written as NoteRow;
  });
}

/** The note as docs/api.md defines it. */
export const noteView = (row: NoteRow) => ({
  id: row.id,
  requestId: row.requestId,
  authorId: row.authorId,
  visibility: row.visibility,
  text: row.text,
  createdAt: row.createdAt.toISOString(),
});
