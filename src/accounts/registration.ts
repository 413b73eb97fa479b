import { and, count, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accountTokens, users } from '../../db/tables.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, commitTogether } from '../../db/transactions.ts';
import { assertUnderLimit, recordEvent, type Origin } from './audit.ts';
import { spendLinks, usableLink } from './links.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { hashPassword, newToken, NO_PASSWORD } from './secrets.ts';
import { findUser, findUserByEmail, mailRecipient, normaliseEmail, userView, type UserRow, type UserView } from './users.ts';
import { pageLinks } from '../links.ts';

export interface AccountsContext {
  db: Database;
  publicUrl: string;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
  affiliation?: string | undefined;
  researchTopic?: string | undefined;
}

const HOUR = 3600_000;
export const VERIFICATION_LIFETIME_MS = 24 * HOUR;
const REGISTRATIONS_PER_ADDRESS_PER_HOUR = 5;

export const REGISTRATION_ANSWER =
  'Thank you. If this address can be registered, a message is on its way to it: follow its link to confirm the address.';

/**
 * Registers a researcher without telling anyone whether the address was known: a new or
 * unverified address gets a verification link, a verified one an "already registered" notice.
 * The password is hashed in every case, so the three take the same time.
 */
export function register(ctx: AccountsContext, registration: Registration, origin: Origin): Promise<void> {
  const email = normaliseEmail(registration.email);
  return oneAtATime(email, () => registerAddress(ctx, email, registration, origin));
}

async function registerAddress(ctx: AccountsContext, email: string, registration: Registration, origin: Origin): Promise<void> {
  await assertUnderLimit(ctx.db, { email }, ['registration'], { max: REGISTRATIONS_PER_ADDRESS_PER_HOUR, windowMs: HOUR, now: origin.now });
  const passwordHash = await hashPassword(registration.password);
  const { token, tokenHash } = newToken();

  // With the other writes of this turn of the event loop (group commit): a class registering
  // together shares fsyncs.
  await commitTogether(ctx.db, async (tx) => {
    await recordEvent(tx, origin, { kind: 'registration', email });
    const existing = await findUserByEmail(tx, email);
    if (existing?.emailVerifiedAt) {
      await queueMail(tx, {
        kind: 'already-registered',
        to: mailRecipient(existing),
        data: { signInUrl: pageLinks(ctx.publicUrl).signIn, resetUrl: pageLinks(ctx.publicUrl).resetPassword() },
      });
      return;
    }
    const profile = {
      name: registration.name,
      affiliation: registration.affiliation ?? null,
      researchTopic: registration.researchTopic ?? null,
      passwordHash,
    };
    const [user] = (
      existing
        ? await tx.update(users).set(profile).where(eq(users.id, existing.id)).returning()
        : await tx.insert(users).values({ email, role: 'researcher', ...profile }).returning()
    ) as [UserRow];
    await tx
      .insert(accountTokens)
      .values({ userId: user.id, purpose: 'verify-email', tokenHash, passwordHash, expiresAt: new Date(origin.now.getTime() + VERIFICATION_LIFETIME_MS) });
    await queueMail(tx, {
      kind: 'verify-email',
      // Not the name just typed: whoever owns the address may not be whoever typed it.
      to: mailRecipient(user),
      data: { link: pageLinks(ctx.publicUrl).verifyEmail(token) },
    });
  });
}

export const VERIFIED_ANSWER = 'Your address is confirmed. You can now sign in.';
export const RESET_NEEDED_ANSWER =
  'Your address is confirmed. It was registered more than once, so none of the passwords given then was kept: choose your password through a password reset (a link is mailed to this address).';

export interface Verification {
  user: UserView;
  /** No password was kept: the person chooses one through a reset, which goes to the same mailbox. */
  passwordResetNeeded: boolean;
}

/**
 * Confirms an address with the token from its verification mail; the token works once, and the
 * address's other links with it.
 *
 * A link proves the mailbox, nothing more. Each registration of a still unverified address brings
 * its own password, and whoever registered the address before its owner knows theirs: were the
 * link's password kept, an owner following that stranger's link (both land in the same mailbox)
 * would hand the stranger the account. So when the address registered more than once, no
 * registration's password is kept, and the person sets one through a reset. With one registration,
 * its password stands.
 */
export function verifyEmail(ctx: AccountsContext, token: string, origin: Origin): Promise<Verification> {
  return commit(ctx.db, async (tx) => {
    const link = await usableLink(tx, token, 'verify-email', origin.now, 'Register again to get a new one.');
    const person = (await findUser(tx, link.userId)) as UserRow;
    const [{ registrations } = { registrations: 0 }] = await tx
      .select({ registrations: count() })
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, link.userId), eq(accountTokens.purpose, 'verify-email')));
    await spendLinks(tx, link, origin.now);
    // An address verified meanwhile (by a reset, which sets a password) keeps its password.
    const alreadyVerified = person.emailVerifiedAt !== null;
    const passwordResetNeeded = !alreadyVerified && registrations > 1;
    const passwordHash = alreadyVerified ? person.passwordHash : passwordResetNeeded ? NO_PASSWORD : (link.passwordHash ?? person.passwordHash);
    const [user] = (await tx
      .update(users)
      .set({ emailVerifiedAt: person.emailVerifiedAt ?? origin.now, passwordHash })
      .where(eq(users.id, link.userId))
      .returning()) as [UserRow];
    await recordEvent(tx, origin, { kind: 'email_verified', userId: user.id, email: user.email, detail: { registrations, passwordKept: !passwordResetNeeded } });
    return { user: userView(user), passwordResetNeeded };
  });
}
