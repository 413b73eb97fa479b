import { eq, sql } from 'drizzle-orm';
import { users, type Role } from '../../db/tables.ts';
import { Refusal, notFound } from '../domain/refusal.ts';
import { commit } from '../../db/transactions.ts';
import { recordEvent, type Origin } from './audit.ts';
import type { AccountsContext } from './registration.ts';
import { hashPassword } from './secrets.ts';
import { activeUsersWithRole, findUser, findUserByEmail, normaliseEmail, type UserRow } from './users.ts';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  role: Role;
}

/**
 * An account made by an admin (or the command line for the first admin): the admin vouches for
 * the address, so it starts verified.
 */
export async function createAccount(ctx: AccountsContext, account: NewAccount, actorId: number | null, origin: Origin): Promise<UserRow> {
  const email = normaliseEmail(account.email);
  const passwordHash = await hashPassword(account.password);
  return commit(ctx.db, async (tx) => {
    if (await findUserByEmail(tx, email)) throw new Refusal('EMAIL_TAKEN', `An account already uses ${email}.`);
    const [user] = (await tx
      .insert(users)
      .values({ email, name: account.name, role: account.role, passwordHash, emailVerifiedAt: origin.now })
      .returning()) as [UserRow];
    await recordEvent(tx, origin, { kind: 'user_created', actorId, userId: user.id, email, detail: { role: account.role } });
    return user;
  });
}

/** An admin's change of role or of access; either ends the person's current tokens. */
export function updateAccount(ctx: AccountsContext, userId: number, change: { role?: Role; disabled?: boolean }, actorId: number, origin: Origin): Promise<UserRow> {
  return commit(ctx.db, async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw notFound(`There is no user ${userId}.`);
    const roleChanged = change.role !== undefined && change.role !== user.role;
    const accessChanged = change.disabled !== undefined && change.disabled !== (user.disabledAt !== null);
    if (!roleChanged && !accessChanged) return user;
    const losesAdmin = user.role === 'admin' && user.disabledAt === null && (roleChanged || change.disabled === true);
    if (losesAdmin && (await activeUsersWithRole(tx, 'admin')).length <= 1) {
      // Without an admin nobody can manage accounts or closures again, short of the command line.
      throw new Refusal('LAST_ADMIN', 'This is the last active admin: make another admin first.');
    }
    if (roleChanged) {
      await recordEvent(tx, origin, { kind: 'role_changed', actorId, userId, email: user.email, detail: { from: user.role, to: change.role } });
    }
    if (accessChanged) await recordEvent(tx, origin, { kind: change.disabled ? 'account_disabled' : 'account_enabled', actorId, userId, email: user.email });
    const [changed] = (await tx
      .update(users)
      .set({
        ...(roleChanged ? { role: change.role } : {}),
        ...(accessChanged ? { disabledAt: change.disabled ? origin.now : null } : {}),
        tokenVersion: sql`${users.tokenVersion} + 1`,
      })
      .where(eq(users.id, userId))
      .returning()) as [UserRow];
    return changed;
  });
}

export const identityDocumentTypes = ['passport', 'national_id', 'driving_licence', 'university_id', 'other'] as const;
export type IdentityDocumentType = (typeof identityDocumentTypes)[number];

/** The first-visit photo-ID check at the desk: who checked which kind of document, and when. */
export function recordIdentityCheck(
  ctx: AccountsContext,
  userId: number,
  check: { documentType: IdentityDocumentType; note?: string | undefined },
  staffId: number,
  origin: Origin,
): Promise<UserRow> {
  return commit(ctx.db, async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw notFound(`There is no user ${userId}.`);
    await recordEvent(tx, origin, {
      kind: 'identity_verified',
      actorId: staffId,
      userId,
      email: user.email,
      detail: { documentType: check.documentType, note: check.note ?? null },
    });
    const [checked] = (await tx
      .update(users)
      .set({ identityVerifiedAt: origin.now, identityVerifiedBy: staffId, identityDocumentType: check.documentType })
      .where(eq(users.id, userId))
      .returning()) as [UserRow];
    return checked;
  });
}

/** A person's own name, affiliation and research topic: nothing else of theirs is theirs to set. */
export function updateProfile(
  ctx: AccountsContext,
  userId: number,
  profile: { name?: string | undefined; affiliation?: string | null | undefined; researchTopic?: string | null | undefined },
): Promise<UserRow> {
  const change = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
  return commit(ctx.db, async (tx) => {
    if (Object.keys(change).length === 0) return (await findUser(tx, userId)) as UserRow;
    const [updated] = (await tx.update(users).set(change).where(eq(users.id, userId)).returning()) as [UserRow];
    return updated;
  });
}
