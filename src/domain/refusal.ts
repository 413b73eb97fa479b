/**
 * Why the reading room says no: docs/api.md's stable code and a message that says what would work.
 * Domain operations throw these; the HTTP layer alone knows which status each code answers with
 * (src/http/errors.ts), so workers and the command line never load HTTP.
 */
export type RefusalCode =
  // The booking rules.
  | 'VISIT_TOO_SOON'
  | 'VISIT_TOO_FAR'
  | 'VISIT_DAY_CLOSED'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'DUPLICATE_REQUEST'
  // Reading rooms, appointments and holds.
  | 'READING_ROOM_FULL'
  | 'DUPLICATE_APPOINTMENT'
  | 'ROOM_CODE_TAKEN'
  | 'INVALID_HOLD'
  // Requests and the status machine.
  | 'INVALID_TRANSITION'
  | 'IDENTITY_NOT_VERIFIED'
  // Closures and the calendar.
  | 'CLOSURE_EXISTS'
  | 'CLOSURE_HAS_REQUESTS'
  | 'INVALID_RANGE'
  // Accounts.
  | 'INVALID_CREDENTIALS'
  | 'EMAIL_NOT_VERIFIED'
  | 'ACCOUNT_DISABLED'
  | 'INVALID_TOKEN'
  | 'WRONG_PASSWORD'
  | 'EMAIL_TAKEN'
  | 'LAST_ADMIN'
  | 'RATE_LIMITED'
  // Finding aids and the catalogue.
  | 'INVALID_EAD'
  | 'CALL_NUMBER_TAKEN'
  | 'CONTAINER_WITHDRAWN'
  | 'NOT_REQUESTABLE'
  // Saved lists.
  | 'SAVED_LIST_FULL'
  // A field or an action the asker's role may not touch.
  | 'FORBIDDEN'
  // Anything asked for by an id that is not there, or not the asker's to see.
  | 'NOT_FOUND';

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

export const notFound = (message: string) => new Refusal('NOT_FOUND', message);
