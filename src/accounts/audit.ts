import { and, count, eq, gt, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { securityEvents } from '../../db/tables.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Writer } from '../../db/transactions.ts';

export type SecurityEventKind =
  | 'registration'
  | 'email_verified'
  | 'login_failed'
  | 'login_succeeded'
  | 'signed_out'
  | 'password_changed'
  | 'password_change_failed'
  | 'password_reset_requested'
  | 'password_reset'
  | 'user_created'
  | 'role_changed'
  | 'account_disabled'
  | 'account_enabled'
  | 'identity_verified';

/** Where a request came from, for the audit trail. */
export interface Origin {
  ip: string;
  now: Date;
}

export interface SecurityEvent {
  kind: SecurityEventKind;
  actorId?: number | null;
  userId?: number | null;
  email?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordEvent(tx: Writer, origin: Origin, event: SecurityEvent): Promise<void> {
  await tx
    .insert(securityEvents)
    .values({
      at: origin.now,
      kind: event.kind,
      actorId: event.actorId ?? null,
      userId: event.userId ?? null,
      email: event.email ?? null,
      ip: origin.ip,
      detail: event.detail ?? null,
    });
}

/**
 * Whose attempts a limit counts, on the audit trail: a submitted e-mail address (known or not),
 * an account, a client's IP address, or several of them together.
 */
export interface Attempter {
  email?: string;
  userId?: number;
  ip?: string;
}

/** How many events of these kinds the attempter caused in the window that ends now. */
export async function recentEvents(db: Database, who: Attempter, kinds: SecurityEventKind[], window: { windowMs: number; now: Date }): Promise<number> {
  const since = new Date(window.now.getTime() - window.windowMs);
  const [row] = await db
    .select({ n: count() })
    .from(securityEvents)
    .where(
      and(
        who.email === undefined ? undefined : eq(securityEvents.email, who.email),
        who.userId === undefined ? undefined : eq(securityEvents.userId, who.userId),
        who.ip === undefined ? undefined : eq(securityEvents.ip, who.ip),
        inArray(securityEvents.kind, kinds),
        gt(securityEvents.at, since),
      ),
    );
  return row?.n ?? 0;
}

export const tooManyAttempts = () => new Refusal('RATE_LIMITED', 'Too many attempts for this address; please wait a while and try again.');

/**
 * The limits of docs/api.md, counted on the audit trail itself, so they hold across processes and
 * whether or not the address belongs to anyone (a 429 reveals nothing).
 */
export async function assertUnderLimit(db: Database, who: Attempter, kinds: SecurityEventKind[], limit: { max: number; windowMs: number; now: Date }): Promise<void> {
  if ((await recentEvents(db, who, kinds, limit)) >= limit.max) throw tooManyAttempts();
}
