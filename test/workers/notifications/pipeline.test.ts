import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { installationId } from '../../../db/installation.ts';
import { outbox } from '../../../db/tables.ts';
import type { Job } from 'bullmq';
import { createMailer, mailFolder } from '../../../workers/notifications/mailer.ts';
import { notificationProcessor } from '../../../workers/notifications/processor.ts';
import type { OutboxJobData } from '../../../workers/relay.ts';
import { SmtpSink } from '../../helpers/smtp-sink.ts';
import { commitMails, startPipeline, verificationMail, type TestPipeline } from '../../helpers/workers.ts';
import { jobIdOf } from '../../helpers/outbox-mail.ts';

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a committed event, through outbox, relay, BullMQ and the notification worker', () => {
  let smtp: SmtpSink;
  let pipeline: TestPipeline;
  before(async () => {
    smtp = await SmtpSink.start();
    pipeline = await startPipeline({ smtpUrl: smtp.url });
  });
  after(async () => {
    await pipeline.close();
    await smtp.stop();
  });

  it('becomes exactly one message with the right recipient, subject and content, the name escaped in HTML', async () => {
    await commitMails(pipeline.db, [verificationMail(1, '<script>alert("x")</script> Kibalchich')]);
    const [message] = await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 500)); // time for a duplicate to show up, were there one
    assert.equal(smtp.messages.length, 1);
    assert.equal(message?.to && 'value' in message.to ? message.to.value[0]?.address : undefined, 'reader1@example.org');
    assert.equal(message?.subject, 'Confirm your e-mail address for Reading Room');
    assert.match(message?.text ?? '', /http:\/\/localhost:3000\/verify-email\?token=secret-token-1/);
    assert.match(message?.text ?? '', /Dear <script>alert\("x"\)<\/script> Kibalchich,/);
    assert.match(String(message?.html), /Dear &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; Kibalchich,/);
    assert.doesNotMatch(String(message?.html), /<script>/);
  });

  it("carries a Message-ID made of the installation, the outbox id and the row's key, and is recorded as sent with its secret link blanked", async () => {
    await commitMails(pipeline.db, [verificationMail(2)]);
    await smtp.waitFor(2);
    const row = (await pipeline.db.select().from(outbox).orderBy(outbox.id)).at(-1);
    assert.ok(row);
    assert.equal(smtp.messages[1]?.messageId, `<outbox-${await installationId(pipeline.db)}-${row.id}-${row.key}@localhost>`);
    assert.match(row.key ?? '', /^[0-9a-f]{8}$/);
    await waitUntil(async () => (await pipeline.db.select().from(outbox).where(eq(outbox.id, row.id)))[0]?.outcome === 'sent');
    const stored = JSON.stringify((await pipeline.db.select().from(outbox).where(eq(outbox.id, row.id)))[0]?.payload);
    assert.doesNotMatch(stored, /secret-token-2/, 'the raw token does not rest in the outbox once sent');
  });

  it('leaves the relay promptly: a commit reaches the SMTP server well within the relay poll of other processes', async () => {
    const before = smtp.messages.length;
    const started = Date.now();
    await commitMails(pipeline.db, [verificationMail(3)]);
    await smtp.waitFor(before + 1);
    assert.ok(Date.now() - started < 5_000);
  });

  it('gives up at once on a malformed address, records it undeliverable and sends nothing', async () => {
    const before = smtp.messages.length;
    await commitMails(pipeline.db, [{ ...verificationMail(4), to: { email: 'not an address', name: 'Nobody' } }]);
    const id = (await pipeline.db.select().from(outbox).orderBy(outbox.id)).at(-1)?.id ?? 0;
    await waitUntil(async () => (await pipeline.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.completedAt !== null);
    const row = (await pipeline.db.select().from(outbox).where(eq(outbox.id, id)))[0];
    assert.match(row?.outcome ?? '', /^undeliverable: malformed address/);
    const job = await pipeline.runtime?.queues.notifications?.getJob(await jobIdOf(pipeline.db, id));
    assert.equal(await job?.getState(), 'failed');
    assert.equal(job?.attemptsMade, 1, 'no retry for a message that can never be delivered');
    assert.equal(smtp.messages.length, before);
  });
});

describe('one job run twice at once in one worker', () => {
  // As BullMQ did after Redis came back empty, on a loaded machine: it started a job again while
  // its first run was still sending (test/faults/redis-restart-under-load.test.ts saw both arrive).
  it('sends one mail: the second run waits for the first, finds its record and sends nothing', async () => {
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ smtpUrl: smtp.url, workers: false });
    try {
      await commitMails(pipeline.db, [verificationMail(5)]);
      const row = (await pipeline.db.select().from(outbox).orderBy(outbox.id)).at(-1);
      assert.ok(row?.key);
      const installation = await installationId(pipeline.db);
      const process = notificationProcessor({
        db: pipeline.db,
        mailer: createMailer(pipeline.config),
        settings: { libraryName: pipeline.config.libraryName, publicUrl: pipeline.config.publicUrl },
        clock: () => new Date(),
        installation,
        messageIdDomain: 'localhost',
      });
      // The processor reads only the job's id and data: BullMQ's Job is not needed to run it.
      const job = { id: `outbox-${installation}-${row.id}-${row.key}`, data: { outboxId: row.id, key: row.key } } as Job<OutboxJobData>;
      const outcomes = await Promise.all([process(job), process(job)]);
      assert.deepEqual(outcomes, ['sent', 'already-sent']);
      await new Promise((r) => setTimeout(r, 500)); // time for a duplicate to show up, were there one
      assert.equal(smtp.messages.length, 1);
      assert.equal((await process(job)), 'already-sent', 'and a later run sends nothing either');
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });
});

describe('without SMTP_URL', () => {
  it('writes each message as an .eml file in mail/ beside the database', async () => {
    const pipeline = await startPipeline();
    try {
      await commitMails(pipeline.db, [verificationMail(7)]);
      const folder = mailFolder(pipeline.config.databasePath);
      await waitUntil(() => {
        try {
          return readdirSync(folder).length === 1;
        } catch {
          return false;
        }
      });
      const [file] = readdirSync(folder);
      assert.match(file ?? '', /^outbox-[0-9a-f]{12}-\d+-[0-9a-f]{8}@localhost\.eml$/);
      const parsed = await simpleParser(readFileSync(join(folder, file ?? '')));
      assert.equal(parsed.subject, 'Confirm your e-mail address for Reading Room');
      assert.match(parsed.text ?? '', /token=secret-token-7/);
    } finally {
      await pipeline.close();
    }
  });
});
