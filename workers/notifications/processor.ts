import { UnrecoverableError, type Job } from 'bullmq';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../../src/domain/calendar.ts';
import { secretFields, type MailJob } from '../../src/mail/catalogue.ts';
import { renderMail, type MailSettings } from '../../src/mail/render.ts';
import { commit } from '../../db/transactions.ts';
import { completionWriter, jobIdFor, markCompleted, rowForJob } from '../../src/outbox/store.ts';
import type { OutboxJobData } from '../relay.ts';
import { attachmentsFor } from './attachments.ts';
import type { Mailer } from './mailer.ts';

export interface NotificationDependencies {
  db: Database;
  mailer: Mailer;
  settings: MailSettings;
  clock: Clock;
  /** This database's installation id: Message-IDs carry it, as job ids do. */
  installation: string;
  /** The domain of Message-IDs, from MAIL_FROM. */
  messageIdDomain: string;
}

// Deliberately loose: it only weeds out what no SMTP server could ever deliver to.
const PLAUSIBLE_ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** The outbox row's payload once sent: secrets (a link holding a raw token) blanked. */
function withoutSecrets(mail: MailJob): MailJob {
  const fields = secretFields[mail.kind];
  if (!fields) return mail;
  const data: Record<string, unknown> = { ...mail.data };
  for (const field of fields) data[field] = '[sent]';
  return { ...mail, data } as MailJob;
}

/** An SMTP answer in the 5xx range is final: retrying the same message cannot succeed. */
function permanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export type NotificationOutcome = 'sent' | 'already-sent' | 'undeliverable';

/**
 * One e-mail per job. Jobs run at least once, so the send is recorded under the outbox id and a
 * job that finds the record sends nothing. Only a crash between the SMTP server's acceptance and
 * that record sends twice, and then with the same Message-ID, which mail clients fold.
 *
 * A job can also run twice at once in one worker: after Redis came back empty, BullMQ started a
 * job a second time while its first run was still sending (the Redis-restart test saw it, on a
 * loaded machine). So the runs of one outbox row in this process go one after the other, and
 * the second finds the first's record.
 */
export function notificationProcessor(deps: NotificationDependencies) {
  const sendOnce = sender(deps);
  const running = new Map<number, Promise<NotificationOutcome>>();
  return (job: Job<OutboxJobData>): Promise<NotificationOutcome> => {
    const { outboxId } = job.data;
    const send = () => sendOnce(job);
    const run = (running.get(outboxId) ?? Promise.resolve()).then(send, send);
    running.set(outboxId, run);
    const forget = () => {
      if (running.get(outboxId) === run) running.delete(outboxId);
    };
    run.then(forget, forget);
    return run;
  };
}

function sender(deps: NotificationDependencies) {
  const { db, mailer, settings, clock, installation, messageIdDomain } = deps;
  const recordSent = completionWriter(db);
  return async (job: Job<OutboxJobData>): Promise<NotificationOutcome> => {
    const { outboxId } = job.data;
    const row = await rowForJob(db, job.data);
    if (row === 'done') return 'already-sent';
    if (row === 'not-here') {
      throw new UnrecoverableError(`outbox row ${outboxId} of this job is not in this database: a copy of it runs on the same Redis and prefix under installation ${installation}`);
    }
    const mail = row.payload as MailJob;

    const giveUp = async (reason: string): Promise<never> => {
      const now = clock();
      await commit(db, (tx) => markCompleted(tx, outboxId, `undeliverable: ${reason}`, now, withoutSecrets(mail)));
      throw new UnrecoverableError(reason);
    };
    if (!PLAUSIBLE_ADDRESS.test(mail.to.email)) await giveUp(`malformed address ${JSON.stringify(mail.to.email)}`);

    const rendered = renderMail(mail, settings);
    try {
      await mailer.send({
        messageId: `<${jobIdFor(installation, job.data)}@${messageIdDomain}>`,
        to: { name: mail.to.name ?? '', address: mail.to.email },
        ...rendered,
        attachments: attachmentsFor(mail, settings),
      });
    } catch (error) {
      if (permanentSmtpFailure(error)) await giveUp(`refused by the mail server: ${(error as Error).message}`);
      throw error;
    }
    await recordSent(outboxId, 'sent', clock(), withoutSecrets(mail));
    return 'sent';
  };
}
