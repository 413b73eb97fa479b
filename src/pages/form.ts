import { Type, type TProperties } from 'typebox';
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN } from '../accounts/secrets.ts';

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
