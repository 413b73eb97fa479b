import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sleep } from '../helpers/fault-kit.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { TcpGate } from '../helpers/tcp-gate.ts';
import { commitMails, startPipeline, testPolicy, verificationMail } from '../helpers/workers.ts';
import { jobIdOf, messageIdOf, openOutboxRows, untilOutboxDone } from '../helpers/outbox-mail.ts';

// Issue 6, fault suite: the SMTP server down (gone from the network: connections refused, open
// ones reset; not answering 4xx) for 10 s while mails are committed. Everything is delivered once
// it is back, each message once. The test's short BullMQ backoffs (testPolicy: 100 ms doubling,
// 10 attempts) keep the wait after its return short; production's (5 s doubling, 12 attempts)
// stretch the same recovery over minutes and cover about three hours down.

const DOWN_MS = 10_000;
const PER_SECOND = 5;

describe('the SMTP server down for 10 s', () => {
  it('every mail committed before and during the outage is delivered after it, exactly once', { timeout: 45_000 }, async (t) => {
    const smtp = await SmtpSink.start();
    const gate = await TcpGate.start(smtp.port);
    const pipeline = await startPipeline({ smtpUrl: `smtp://127.0.0.1:${gate.port}`, policy: testPolicy });
    try {
      let committed = 0;
      const commitSome = async (count: number) => {
        await commitMails(pipeline.db, Array.from({ length: count }, (_, i) => verificationMail(committed + i + 1)));
        committed += count;
      };
      // The pool holds open connections to the server when it goes. The first mails are done
      // before it goes: one the server took but whose 250 the gate swallowed is sent again, with
      // the same Message-ID (SMTP's own window, which no sender closes), and is not this test's case.
      await commitSome(PER_SECOND);
      await smtp.waitFor(PER_SECOND);
      await untilOutboxDone(pipeline.db);

      await gate.down();
      const downAt = Date.now();
      while (Date.now() - downAt < DOWN_MS) {
        await commitSome(PER_SECOND);
        await sleep(1_000);
      }
      assert.equal(smtp.messages.length, PER_SECOND, 'nothing arrived while the server was down');
      const firstDuringOutage = await pipeline.runtime?.queues.notifications?.getJob(await jobIdOf(pipeline.db, PER_SECOND + 1));
      assert.ok((firstDuringOutage?.attemptsMade ?? 0) >= 3, `the workers kept trying (attempts: ${firstDuringOutage?.attemptsMade})`);

      await gate.up();
      const upAt = Date.now();
      await smtp.waitFor(committed, 20_000);
      const recoveryMs = Date.now() - upAt;
      await sleep(1_000); // room for a duplicate to show up

      const counts = smtp.countsByMessageId();
      const expected = (await Promise.all(Array.from({ length: committed }, (_, i) => messageIdOf(pipeline.db, i + 1)))).sort();
      assert.deepEqual([...counts.keys()].sort(), expected, 'every mail arrived');
      assert.deepEqual(
        [...counts].filter(([, n]) => n !== 1),
        [],
        'none twice',
      );
      assert.equal(await openOutboxRows(pipeline.db), 0, 'every outbox row is recorded as done');
      // The longest backoff a job can be in when the server returns after 10 s is 6.4 s (testPolicy).
      assert.ok(recoveryMs < 10_000, `all delivered ${recoveryMs} ms after the server came back`);
      t.diagnostic(`${committed} mails (${committed - PER_SECOND} committed during the outage); all delivered ${recoveryMs} ms after the server came back`);
    } finally {
      await pipeline.close();
      await gate.down();
      await smtp.stop();
    }
  });
});
