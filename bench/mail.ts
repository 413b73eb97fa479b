import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { installationId } from '../db/installation.ts';
import { loadConfig } from '../src/config.ts';
import type { MailJob } from '../src/mail/catalogue.ts';
import { enqueue, jobIdFor } from '../src/outbox/store.ts';
import { commitTogether } from '../db/transactions.ts';
import { startWorkerRuntime } from '../workers/runtime.ts';
import { freePort } from '../test/helpers/redis-server.ts';
import { startSmtpCounter } from './smtp-counter.ts';
import { summarise } from './stats.ts';

/** `mail.raw`: nodemailer, pooled, straight to an in-process SMTP server: the mail ceiling. */
export async function mailRaw(count: number) {
  const port = await freePort();
  const smtp = await startSmtpCounter(port);
  const transport = nodemailer.createTransport({ url: `smtp://127.0.0.1:${port}`, pool: true, maxConnections: 5 });
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  // As many messages in flight as the pipeline's notification worker runs jobs at once.
  const sender = async () => {
    while (next < count) {
      const n = next++;
      const sent = performance.now();
      await transport.sendMail({
        from: 'Reading Room <reading-room@localhost>',
        to: `reader${n}@example.org`,
        subject: 'Confirm your e-mail address',
        text: `Dear Reader ${n}, please confirm your address.`,
        html: `<p>Dear Reader ${n}, please confirm your address.</p>`,
        messageId: `<raw-${n}@localhost>`,
      });
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: 8 }, sender));
  const elapsed = performance.now() - started;
  transport.close();
  await smtp.close();
  return summarise('mail.raw', latencies, count, elapsed, 'mail.raw');
}

/** `mail.pipeline`: commit → outbox → relay → BullMQ → notification worker → the same kind of SMTP server. */
export async function mailPipeline(count: number) {
  const port = await freePort();
  const smtp = await startSmtpCounter(port);
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: join(folder, 'bench.sqlite'),
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    QUEUE_PREFIX: `bench-${process.pid}`,
  });
  const db = openDatabase(config.databasePath);
  const runtime = await startWorkerRuntime({ config, db, clock: () => new Date(), log: pino({ level: 'silent' }) });

  const committedAt = new Map<string, number>();
  const started = performance.now();
  const commits: Promise<void>[] = [];
  const installation = await installationId(db);
  const lastOutboxRow = db.$writer.$client.prepare<[], { id: number; key: string }>('select id, key from outbox where id = last_insert_rowid()');
  for (let n = 0; n < count; n++) {
    const mail: MailJob = { kind: 'verify-email', to: { email: `reader${n}@example.org`, name: `Reader ${n}` }, data: { link: `http://localhost:3000/verify-email?token=t${n}` } };
    // One domain operation per message, committed as registrations commit theirs: with the other
    // operations of the same turn of the event loop (group commit), here 50 of them.
    const committed = commitTogether(db, async (tx) => {
      await enqueue(tx, { queue: 'notifications', jobName: mail.kind, payload: mail });
      return lastOutboxRow.get() as { id: number; key: string };
    });
    commits.push(committed.then(({ id, key }) => void committedAt.set(`<${jobIdFor(installation, { outboxId: id, key })}@localhost>`, performance.now())));
    // Let the relay and workers in this process run between turns, as an HTTP server would.
    if (n % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(commits);
  await smtp.waitFor(count);
  const elapsed = performance.now() - started;
  const latencies = [...committedAt].map(([id, at]) => (smtp.arrivals.get(id) ?? at) - at);

  for (const queue of Object.values(runtime.queues)) await queue.obliterate({ force: true });
  await runtime.close();
  await closeDatabase(db);
  await smtp.close();
  rmSync(folder, { recursive: true, force: true });
  return summarise('mail.pipeline', latencies, count, elapsed, 'mail.raw');
}
