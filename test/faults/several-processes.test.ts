import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/tables.ts';
import { runScript, type Child } from '../helpers/child.ts';
import {
  assertAcknowledgedKept,
  callJson,
  freshDatabase,
  makeResearchers,
  nthBooking,
  openContainerIds,
  sleep,
  startServer,
  visitDates,
  type Acknowledged,
  type Researcher,
  type ServerChild,
} from '../helpers/fault-kit.ts';
import { messageIdOf, untilOutboxDone } from '../helpers/outbox-mail.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';

// Issue 18: any number of API and worker processes on one database. Two `npm start` on two ports
// and two workers, on one database (PostgreSQL under test:postgres, one SQLite file otherwise):
// fifty researchers race through both APIs for one box, the waiting list comes out in the order
// it was joined, one API is killed with SIGKILL in the middle of a burst without losing what it
// acknowledged, and every mail the two workers share between them is sent once.

const RACERS = 50;
const ACKS_BEFORE_KILL = 60;

interface Item {
  id: number;
  status: string;
}

const itemsOf = (body: string) => (JSON.parse(body) as { items: Item[] }).items;

/** The instant a request entered `waitlisted`, from its events as the API gives them. */
async function waitlistedAt(server: ServerChild, researcher: Researcher, id: number): Promise<string> {
  const answer = await callJson(`${server.url}/api/v1/requests/${id}/events`, researcher.token, 'GET');
  assert.equal(answer.status, 200, answer.body);
  const entered = (JSON.parse(answer.body) as { items: { at: string; to: string }[] }).items.find((e) => e.to === 'waitlisted');
  assert.ok(entered, `request ${id} has its waitlisted event`);
  return entered.at;
}

describe('two API processes and two workers on one database', () => {
  it('one holder of a box raced for, the waiting list in order, nothing acknowledged lost to kill -9, every mail once', { timeout: 120_000 }, async (t) => {
    const smtp = await SmtpSink.start();
    const file = await freshDatabase();
    const researchers = await makeResearchers(file.db, file.config, RACERS, 'race');
    const [date, ...laterDates] = await visitDates(file.db, file.config);
    const [box, ...otherBoxes] = await openContainerIds(file.db);
    assert.ok(date && box);
    const workers: Child[] = [];
    let servers: ServerChild[] = [];
    try {
      servers = await Promise.all([startServer(file.env), startServer(file.env)]);
      for (let w = 0; w < 2; w++) {
        workers.push(runScript('test/helpers/worker-process.ts', { NODE_ENV: 'test', ...file.env, SMTP_URL: smtp.url }));
      }
      await Promise.all(workers.map((w) => w.printed('ready')));
      const serverOf = (i: number) => servers[i % 2]!;

      // Fifty at once for one box on one day, half through each API.
      const raced = await Promise.all(
        researchers.map((r, i) => callJson(`${serverOf(i).url}/api/v1/requests`, r.token, 'POST', { visitDate: date, containerIds: [box] })),
      );
      assert.deepEqual(raced.filter((a) => a.status !== 201).map((a) => a.body), [], 'every researcher got an answer of 201');
      const made = raced.map((a, i) => ({ researcher: researchers[i]!, ...itemsOf(a.body)[0]! }));
      const holders = made.filter((m) => m.status === 'scheduled');
      const waiting = made.filter((m) => m.status === 'waitlisted');
      assert.equal(holders.length, 1, 'one holder of the box on the day');
      assert.equal(waiting.length, RACERS - 1, 'everyone else waits');

      // The order they joined the list, as each request's events tell it; the holder cancels, and
      // so on three times: each time the one who has waited longest gets the box.
      const joined = await Promise.all(waiting.map(async (m, i) => ({ ...m, at: await waitlistedAt(serverOf(i), m.researcher, m.id) })));
      joined.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
      let holder = holders[0]!;
      for (let round = 0; round < 3; round++) {
        const cancelled = await callJson(`${serverOf(round).url}/api/v1/requests/${holder.id}/cancel`, holder.researcher.token, 'POST', {});
        assert.equal(cancelled.status, 200, cancelled.body);
        const next = joined[round]!;
        const now = await callJson(`${serverOf(round + 1).url}/api/v1/requests/${next.id}`, next.researcher.token, 'GET');
        assert.equal(JSON.parse(now.body).status, 'scheduled', `round ${round}: the researcher waiting longest has the box`);
        const stillWaiting = await Promise.all(
          joined.slice(round + 1).map(async (m) => JSON.parse((await callJson(`${servers[0]!.url}/api/v1/requests/${m.id}`, m.researcher.token, 'GET')).body).status),
        );
        assert.deepEqual([...new Set(stillWaiting)], ['waitlisted'], `round ${round}: the others still wait`);
        holder = next;
      }

      // A burst through both APIs; one of them is killed with SIGKILL in the middle of it.
      const acknowledged: Acknowledged[] = [];
      let killed = false;
      let stop = false;
      let afterKill = 0;
      const burst = researchers.map(async (researcher, i) => {
        for (let k = 0; !stop; k++) {
          const server = serverOf(i + k);
          if (killed && server === servers[0]) continue;
          const { visitDate, containerId } = nthBooking(k, [researcher], laterDates, otherBoxes);
          const answer = await callJson(`${server.url}/api/v1/requests`, researcher.token, 'POST', { visitDate, containerIds: [containerId] });
          if (answer.status === 201) {
            for (const item of itemsOf(answer.body)) acknowledged.push({ id: item.id, researcherId: researcher.id, status: item.status });
            if (killed && server === servers[1]) afterKill += 1;
          } else if (!(server === servers[0] && killed)) {
            assert.fail(`a submission was refused: ${answer.status} ${answer.body}`);
          }
        }
      });
      const deadline = Date.now() + 30_000;
      while (acknowledged.length < ACKS_BEFORE_KILL && Date.now() < deadline) await sleep(5);
      killed = true;
      const exit = await servers[0]!.kill();
      assert.equal(exit.signal, 'SIGKILL');
      const untilMore = Date.now() + 10_000;
      while (afterKill < 20 && Date.now() < untilMore) await sleep(5);
      stop = true;
      await Promise.all(burst);
      assert.ok(afterKill >= 20, `the other API went on answering after the kill (${afterKill} acknowledged)`);

      // The test's own connection, open all along, reads what the processes wrote.
      await assertAcknowledgedKept(file.db, acknowledged);

      // The two workers share the mail out: everything in the outbox is sent, each message once.
      await untilOutboxDone(file.db, 60_000);
      await sleep(500); // room for a duplicate to show up
      const mails = await file.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.queue, 'notifications'));
      const expected = (await Promise.all(mails.map((m) => messageIdOf(file.db, m.id)))).sort();
      const counts = smtp.countsByMessageId();
      assert.deepEqual([...counts.keys()].sort(), expected, 'every mail arrived');
      assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], 'none twice');
      t.diagnostic(`${acknowledged.length} requests acknowledged in the burst (${afterKill} after the kill); ${expected.length} mails, each once`);
    } finally {
      for (const server of servers) await server.stop();
      for (const worker of workers) {
        if (worker.process.exitCode === null) worker.process.kill('SIGTERM');
        await worker.exit;
      }
      await file.remove();
      await smtp.stop();
    }
  });
});
