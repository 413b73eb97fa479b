import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/tables.ts';
import { Refusal } from '../domain/refusal.ts';
import { commit } from '../../db/transactions.ts';
import { recentEvents, recordEvent, tooManyAttempts, type Origin } from './audit.ts';
import type { AccountsContext } from './registration.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { passwordMatches } from './secrets.ts';
import { findUserByEmail, normaliseEmail, type UserRow } from './users.ts';

const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
const FAILED_LOGINS_PER_ADDRESS_AND_CLIENT = 10;
const FAILED_LOGINS_PER_ADDRESS = 50;
const KNOWN_CLIENT_MS = 30 * 24 * 3600_000;

/**
 * Checks an address and password. An unknown address and a wrong password get the same answer
 * after the same work; only a correct password learns that the account is unverified or disabled.
 */
export function signIn(ctx: AccountsContext, email: string, password: string, origin: Origin): Promise<UserRow> {
  const address = normaliseEmail(email);
  return oneAtATime(address, () => checkPassword(ctx, address, password, origin));
}

/**
 * The failed-login limits, made to hurt whoever guesses rather than the person guessed at. A
 * count per address alone let anyone lock a chosen person out with 10 wrong passwords. So the
 * tight limit is per address and client IP: a guesser locks out only their own network. A
 * guesser with many IPs still meets a wider limit per address, from every client together; it
 * does not stop a client this account signed in from (with the right password) within 30 days,
 * so even then the person gets in from their usual places.
 */
async function assertMayTry(ctx: AccountsContext, address: string, origin: Origin): Promise<void> {
  const window = { windowMs: FAILED_LOGIN_WINDOW_MS, now: origin.now };
  if ((await recentEvents(ctx.db, { email: address, ip: origin.ip }, ['login_failed'], window)) >= FAILED_LOGINS_PER_ADDRESS_AND_CLIENT) throw tooManyAttempts();
  if ((await recentEvents(ctx.db, { email: address }, ['login_failed'], window)) < FAILED_LOGINS_PER_ADDRESS) return;
  const knownClient = (await recentEvents(ctx.db, { email: address, ip: origin.ip }, ['login_succeeded'], { windowMs: KNOWN_CLIENT_MS, now: origin.now })) > 0;
  if (!knownClient) throw tooManyAttempts();
}

async function checkPassword(ctx: AccountsContext, address: string, password: string, origin: Origin): Promise<UserRow> {
  await assertMayTry(ctx, address, origin);
  const user = await findUserByEmail(ctx.db, address);
  if (!(await passwordMatches(user?.passwordHash, password)) || !user) {
    await commit(ctx.db, (tx) => recordEvent(tx, origin, { kind: 'login_failed', userId: user?.id, email: address }));
    throw new Refusal('INVALID_CREDENTIALS', 'The e-mail address or the password is not right.');
  }
  if (user.emailVerifiedAt === null) {
    throw new Refusal('EMAIL_NOT_VERIFIED', 'Confirm your e-mail address first: follow the link in the message we sent you.');
  }
  if (user.disabledAt !== null) {
    throw new Refusal('ACCOUNT_DISABLED', 'This account has been disabled. Please contact the reading room.');
  }
  await commit(ctx.db, (tx) => recordEvent(tx, origin, { kind: 'login_succeeded', userId: user.id, email: address }));
  return user;
}

/**
 * Signing out ends every token of the person issued before it, on every device: a copied cookie
 * or token (a shared reading-room computer) stops working with the session it came from.
 */
export async function signOut(ctx: AccountsContext, user: UserRow, origin: Origin): Promise<void> {
  await commit(ctx.db, async (tx) => {
    await recordEvent(tx, origin, { kind: 'signed_out', actorId: user.id, userId: user.id, email: user.email });
    await tx
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, user.id));
  });
}
