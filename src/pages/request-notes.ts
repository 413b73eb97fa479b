import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { noteVisibilities, type NoteVisibility } from '../../db/tables.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import type { Clock } from '../domain/calendar.ts';
import { literals } from '../http/schemas.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { addNote, NOTE_TEXT_MAX, notesOf, type NoteRow } from '../requests/notes.ts';
import { noteVisibilityWords, readableInstant } from '../wording.ts';
import { FormBody } from './form.ts';
import { attempt } from './kit.ts';

// Notes on requests in the desk's and the curators' pages: every note of a request with who wrote
// it, when and who reads it, and the form that adds one. Who may read which note is the domain's
// `notesOf` alone; a researcher's page asks it for theirs (src/pages/researcher-pages.ts).

/** The note form: its text, and who reads it. A forged visibility is a 400, as in the API. */
export const NoteFormBody = FormBody({ text: Type.String({ maxLength: NOTE_TEXT_MAX }), visibility: literals(noteVisibilities) });

/** The form's choices, the safer first (checked unless the person chose otherwise): what each means. */
const noteChoices: readonly { value: NoteVisibility; label: string; hint: string }[] = [
  { value: 'staff', label: noteVisibilityWords.staff, hint: 'the reading room’s staff and curators read it, never the researcher' },
  { value: 'researcher', label: noteVisibilityWords.researcher, hint: 'shown on their request page, and mailed to them' },
];

/** What the note form's template needs besides the notes. */
export const noteForm = { choices: noteChoices, textMax: NOTE_TEXT_MAX };

/** A refused note form, shown again as typed, with its problem. */
export interface NoteDraft {
  text: string;
  visibility: NoteVisibility;
  problem: string;
}

interface NoteLine {
  id: number;
  by: string;
  at: string;
  visibility: NoteVisibility;
  forWhom: string;
  text: string;
}

/** The notes of some requests that `viewer` may read, by request, oldest first, each author read once. */
export async function notesByRequest(db: Database, requestIds: readonly number[], viewer: UserRow, timezone: string): Promise<Map<number, NoteLine[]>> {
  const authors = new Map<number, UserRow | undefined>();
  const byRequest = new Map<number, NoteLine[]>();
  for (const note of await notesOf(db, requestIds, viewer)) {
    if (!authors.has(note.authorId)) authors.set(note.authorId, await findUser(db, note.authorId));
    const author = authors.get(note.authorId);
    const line: NoteLine = {
      id: note.id,
      by: author ? `${author.name} (${author.role})` : `Account ${note.authorId}`,
      at: readableInstant(note.createdAt, timezone),
      visibility: note.visibility,
      forWhom: noteVisibilityWords[note.visibility],
      text: note.text,
    };
    byRequest.set(note.requestId, [...(byRequest.get(note.requestId) ?? []), line]);
  }
  return byRequest;
}

type NoteAttempt = { ok: true; note: NoteRow } | { ok: false; status: number; draft: NoteDraft };

/**
 * A note form's post, written with `addNote`. Blank text is refused here, as the API's schema
 * refuses it; a refusal of the domain (no such request) comes back with what was typed.
 */
export async function noteFromForm(
  ctx: RequestsContext,
  requestId: number,
  author: UserRow,
  form: { text: string; visibility: NoteVisibility },
  clock: Clock,
): Promise<NoteAttempt> {
  const refused = (status: number, problem: string): NoteAttempt => ({ ok: false, status, draft: { text: form.text, visibility: form.visibility, problem } });
  const text = form.text.trim();
  if (text === '') return refused(400, 'Write the note before adding it.');
  const written = await attempt(() => addNote(ctx, requestId, author, { text, visibility: form.visibility }, clock));
  return written.ok ? { ok: true, note: written.value } : refused(written.refusal.statusCode, written.refusal.message);
}

/** What the page says once a note is added to `what` (a box, and its visit when several are listed). */
export const notedNotice = (visibility: NoteVisibility, what: string) =>
  visibility === 'staff' ? `Note added to ${what}, for staff only.` : `Note added to ${what} and mailed to the researcher.`;
