import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { accountTokens, type AccountTokenPurpose } from '../../db/tables.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Writer } from '../../db/transactions.ts';
import { hashToken } from './secrets.ts';

export type AccountLink = typeof accountTokens.$inferSelect;

/**
 * The unused, unexpired link a token from a mail stands for; an unknown, used or expired one is
 * 400 INVALID_TOKEN, with what to do instead.
 */
export async function usableLink(tx: Writer, token: string, purpose: AccountTokenPurpose, now: Date, instead: string): Promise<AccountLink> {
  const [link] = await tx
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, hashToken(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)));
  if (!link) throw new Refusal('INVALID_TOKEN', `This link is unknown, already used or expired. ${instead}`);
  return link;
}

/** Spends every pending link of that purpose of the person: a link works once, and older ones no more. */
export async function spendLinks(tx: Writer, link: AccountLink, now: Date): Promise<void> {
  await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, link.userId), eq(accountTokens.purpose, link.purpose), isNull(accountTokens.usedAt)));
}

/** Spent or expired verification and reset links are kept a week for the record, then removed. */
const LINK_RECORD_MS = 7 * 24 * 3600_000;

/** The nightly upkeep: removes links expired more than a week ago; how many went. */
export async function removeOldLinks(tx: Writer, now: Date): Promise<number> {
  const removed = await tx
    .delete(accountTokens)
    .where(lt(accountTokens.expiresAt, new Date(now.getTime() - LINK_RECORD_MS)))
    .returning({ id: accountTokens.id });
  return removed.length;
}
