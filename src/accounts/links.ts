import { and, eq, gt, isNull } from 'drizzle-orm';
import { accountTokens, type AccountTokenPurpose } from '../../db/schema.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Writer } from '../../db/transactions.ts';
import { hashToken } from './secrets.ts';

export type AccountLink = typeof accountTokens.$inferSelect;

/**
 * The unused, unexpired link a token from a mail stands for; an unknown, used or expired one is
 * 400 INVALID_TOKEN, with what to do instead.
 */
export function usableLink(tx: Writer, token: string, purpose: AccountTokenPurpose, now: Date, instead: string): AccountLink {
  const link = tx
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, hashToken(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
    .get();
  if (!link) throw new Refusal('INVALID_TOKEN', `This link is unknown, already used or expired. ${instead}`);
  return link;
}

/** Spends every pending link of that purpose of the person: a link works once, and older ones no more. */
export function spendLinks(tx: Writer, link: AccountLink, now: Date): void {
  tx.update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, link.userId), eq(accountTokens.purpose, link.purpose), isNull(accountTokens.usedAt)))
    .run();
}
