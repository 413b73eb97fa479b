import { eq, sql } from 'drizzle-orm';
import { accountTokens, users } from '../../db/tables.ts';
import { Refusal } from '../domain/refusal.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { instantValue } from '../../db/statements.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { assertUnderLimit, recordEvent, type Origin } from './audit.ts';
import type { AccountsContext } from './registration.ts';
import { spendLinks, usableLink } from './links.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { hashPassword, newToken, passwordMatches } from './secrets.ts';
import { findUserByEmail, mailRecipient, normaliseEmail, type UserRow } from './users.ts';
import { pageLinks } from '../links.ts';

const HOUR = 3600_000;
export const RESET_LIFETIME_MS = HOUR;
const RESETS_PER_ADDRESS_PER_HOUR = 5;

export const RESET_ANSWER = 'If an account uses this address, a message with a link to choose a new password is on its way to it.';

const PASSWORD_CHANGE_WINDOW_MS = 15 * 60_000;
const WRONG_CURRENT_PASSWORDS_PER_ACCOUNT = 10;
const WRONG_CURRENT_PASSWORDS_PER_CLIENT = 30;

/**
 * A new password for the signed-in person; every token issued before stops working. Whoever holds
 * a stolen token may not guess the current password at will: wrong guesses are counted per account
 * and per client IP (across accounts, for someone holding several tokens), like failed logins.
 */
export function changePassword(ctx: AccountsContext, user: UserRow, current: string, next: string, origin: Origin): Promise<UserRow> {
  // One at a time per account, as logins per address: parallel guesses would all pass the count.
  return oneAtATime(user.email, () => checkAndChangePassword(ctx, user, current, next, origin));
}

async function checkAndChangePassword(ctx: AccountsContext, user: UserRow, current: string, next: string, origin: Origin): Promise<UserRow> {
  const window = { windowMs: PASSWORD_CHANGE_WINDOW_MS, now: origin.now };
  await assertUnderLimit(ctx.db, { userId: user.id }, ['password_change_failed'], { max: WRONG_CURRENT_PASSWORDS_PER_ACCOUNT, ...window });
  await assertUnderLimit(ctx.db, { ip: origin.ip }, ['password_change_failed'], { max: WRONG_CURRENT_PASSWORDS_PER_CLIENT, ...window });
  if (!(await passwordMatches(user.passwordHash, current))) {
    await commit(ctx.db, (tx) => recordEvent(tx, origin, { kind: 'password_change_failed', actorId: user.id, userId: user.id, email: user.email }));
    throw new Refusal('WRONG_PASSWORD', 'The current password is not right.');
  }
  const passwordHash = await hashPassword(next);
  return commit(ctx.db, async (tx) => {
    await recordEvent(tx, origin, { kind: 'password_changed', actorId: user.id, userId: user.id, email: user.email });
    const [changed] = (await tx
      .update(users)
      .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, user.id))
      .returning()) as [UserRow];
    return changed;
  });
}

/** Sends a reset link to the address if it has an account; answers the same either way. */
export function requestPasswordReset(ctx: AccountsContext, email: string, origin: Origin): Promise<void> {
  const address = normaliseEmail(email);
  // One address's resets in turn, as its registrations: each counts those before it.
  return oneAtATime(address, () => resetOf(ctx, address, origin));
}

async function resetOf(ctx: AccountsContext, address: string, origin: Origin): Promise<void> {
  await assertUnderLimit(ctx.db, { email: address }, ['password_reset_requested'], { max: RESETS_PER_ADDRESS_PER_HOUR, windowMs: HOUR, now: origin.now });
  const { token, tokenHash } = newToken();
  await commit(ctx.db, async (tx) => {
    const user = await findUserByEmail(tx, address);
    await recordEvent(tx, origin, { kind: 'password_reset_requested', userId: user?.id, email: address });
    if (!user) return;
    await tx
      .insert(accountTokens)
      .values({ userId: user.id, purpose: 'password-reset', tokenHash, expiresAt: new Date(origin.now.getTime() + RESET_LIFETIME_MS) });
    await queueMail(tx, {
      kind: 'password-reset',
      to: mailRecipient(user),
      data: { link: pageLinks(ctx.publicUrl).resetPassword(token) },
    });
  });
}

/**
 * Sets the new password from a reset link (once, within the hour). It also proves the mailbox,
 * so an unverified address counts as verified; every token issued before stops working.
 */
export async function confirmPasswordReset(ctx: AccountsContext, token: string, password: string, origin: Origin): Promise<UserRow> {
  const link = (tx: Writer) => usableLink(tx, token, 'password-reset', origin.now, 'Ask for a new one.');
  // The link first, so a made-up token costs no password hash; again in the transaction, in case
  // the link was used meanwhile.
  await link(ctx.db);
  const passwordHash = await hashPassword(password);
  return commit(ctx.db, async (tx) => {
    const used = await link(tx);
    await spendLinks(tx, used, origin.now);
    const [user] = (await tx
      .update(users)
      .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1`, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${instantValue(origin.now)})` })
      .where(eq(users.id, used.userId))
      .returning()) as [UserRow];
    await recordEvent(tx, origin, { kind: 'password_reset', userId: user.id, email: user.email });
    return user;
  });
}
