import { count, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { installationId } from '../../db/installation.ts';
import { outbox } from '../../db/tables.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { jobIdFor } from '../../src/outbox/store.ts';

/** An e-mail waiting in the outbox: its row and what it will say. */
export interface MailRow {
  id: number;
  jobName: string;
  mail: MailJob;
}

/** Outbox rows written since `afterId`, oldest first, with their payloads. */
export async function mailsSince(db: Database, afterId: number): Promise<MailRow[]> {
  const rows = await db.select({ id: outbox.id, jobName: outbox.jobName, payload: outbox.payload }).from(outbox).where(gt(outbox.id, afterId)).orderBy(outbox.id);
  return rows.map((r) => ({ id: r.id, jobName: r.jobName, mail: r.payload as MailJob }));
}

/** The id of the last outbox row (0 when there is none): "since now" for `mailsSince`. */
export const lastOutboxId = async (db: Database) => (await mailsSince(db, 0)).at(-1)?.id ?? 0;

/** The job id the relay gives an outbox row, from the row's key and the database's installation. */
export async function jobIdOf(db: Database, outboxId: number): Promise<string> {
  const [row] = await db.select({ key: outbox.key }).from(outbox).where(eq(outbox.id, outboxId));
  if (!row?.key) throw new Error(`no outbox row ${outboxId}`);
  return jobIdFor(await installationId(db), { outboxId, key: row.key });
}

/** The Message-ID the notification worker gives an outbox row's mail (MAIL_FROM's domain: localhost). */
export const messageIdOf = async (db: Database, outboxId: number) => `<${await jobIdOf(db, outboxId)}@localhost>`;

/** How many outbox rows the workers have not yet recorded as done. */
export async function openOutboxRows(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outbox).where(isNull(outbox.completedAt));
  return row?.n ?? 0;
}

/**
 * Waits until the workers have recorded every outbox row as done. A mail the SMTP server has
 * taken is not done until the worker has heard its 250; a fault before that sends it again.
 */
export async function untilOutboxDone(db: Database, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await openOutboxRows(db)) > 0) {
    if (Date.now() > deadline) throw new Error(`${await openOutboxRows(db)} outbox rows still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
