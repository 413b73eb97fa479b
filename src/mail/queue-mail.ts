import { enqueue } from '../outbox/store.ts';
import { type Writer } from '../../db/transactions.ts';
import type { MailJob } from './catalogue.ts';

/** Queues e-mails in the caller's transaction: they go out only if the change commits. */
export async function queueMail(tx: Writer, ...mails: MailJob[]): Promise<void> {
  await enqueue(tx, ...mails.map((mail) => ({ queue: 'notifications' as const, jobName: mail.kind, payload: mail })));
}
