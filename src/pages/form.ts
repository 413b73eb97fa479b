import { Type, type TProperties } from 'typebox';
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN } from '../accounts/secrets.ts';
import { isId } from '../domain/ids.ts';

// The kit for the pages' forms: one schema for what a form may send, and the problems of what a
// person typed, said the same way on every page (the limits are the API's own constants).

/** Pages are not part of the API's OpenAPI document. */
export const hidden = { hide: true };

/** A field of a form or a query: text, bounded; what it must hold is checked with a message for people. */
export const FormText = Type.String({ maxLength: 2000 });

/**
 * A form's body: its fields and the CSRF token. The token is optional in the schema so that a post
 * without it is answered by the CSRF check (403 CSRF_INVALID), not by validation.
 */
export const FormBody = <Fields extends TProperties>(fields: Fields) => Type.Object({ ...fields, _csrf: Type.Optional(FormText) });

export function emailProblem(email: string): string | undefined {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= EMAIL_MAX ? undefined : 'Please give a valid e-mail address.';
}

export function passwordProblem(password: string): string | undefined {
  return password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX ? undefined : `The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;
}

/** Ids arrive as text and are read here, so that a mistyped address gets a page rather than JSON. */
export const IdText = Type.String({ maxLength: 20 });

/** A list of ids in a form or a query (a checkbox for each), bounded. */
export const IdList = Type.Optional(Type.Array(IdText, { maxItems: 200 }));

export function idOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return isId(id) ? id : undefined;
}

/** The ids of a list, each once; `undefined` when any of them is not an id (a tampered form). */
export function idsOf(texts: readonly string[] = []): number[] | undefined {
  const ids = texts.map(idOf);
  return ids.every((id) => id !== undefined) ? [...new Set(ids)] : undefined;
}

/** The ids of a comma-separated list in an address (`submitted=3,4`); what is not an id is left out. */
export const idsInText = (text: string | undefined): number[] =>
  (text ?? '')
    .split(',')
    .map((id) => idOf(id))
    .filter((id) => id !== undefined);

/** A real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
