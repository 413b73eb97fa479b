import { ApiError } from '../http/errors.ts';
import { commit } from '../outbox/store.ts';
import { assertUnderAddressLimit, recordEvent, type Origin } from './audit.ts';
import type { AccountsContext } from './registration.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { passwordMatches } from './secrets.ts';
import { findUserByEmail, normaliseEmail, type UserRow } from './users.ts';

const FAILED_LOGINS_PER_ADDRESS = 10;
const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Checks an address and password. An unknown address and a wrong password get the same answer
 * after the same work; only a correct password learns that the account is unverified or disabled.
 */
export function signIn(ctx: AccountsContext, email: string, password: string, origin: Origin): Promise<UserRow> {
  const address = normaliseEmail(email);
  return oneAtATime(address, () => checkPassword(ctx, address, password, origin));
}

async function checkPassword(ctx: AccountsContext, address: string, password: string, origin: Origin): Promise<UserRow> {
  assertUnderAddressLimit(ctx.db, address, ['login_failed'], { max: FAILED_LOGINS_PER_ADDRESS, windowMs: FAILED_LOGIN_WINDOW_MS, now: origin.now });
  const user = findUserByEmail(ctx.db, address);
  if (!(await passwordMatches(user?.passwordHash, password)) || !user) {
    commit(ctx.db, (tx) => recordEvent(tx, origin, { kind: 'login_failed', userId: user?.id, email: address }));
    throw new ApiError(401, 'INVALID_CREDENTIALS', 'The e-mail address or the password is not right.');
  }
  if (user.emailVerifiedAt === null) {
    throw new ApiError(403, 'EMAIL_NOT_VERIFIED', 'Confirm your e-mail address first: follow the link in the message we sent you.');
  }
  if (user.disabledAt !== null) {
    throw new ApiError(403, 'ACCOUNT_DISABLED', 'This account has been disabled. Please contact the reading room.');
  }
  commit(ctx.db, (tx) => recordEvent(tx, origin, { kind: 'login_succeeded', userId: user.id, email: address }));
  return user;
}
