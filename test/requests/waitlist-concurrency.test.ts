import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { and, asc, eq } from 'drizzle-orm';
import { requests } from '../../db/tables.ts';
import { runScript } from '../helpers/child.ts';
import { mailsSince } from '../helpers/outbox-mail.ts';
import { databaseEnvOf } from '../helpers/postgres.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { asUser, makeAccount, signIn } from '../helpers/people.ts';

// docs/requests.md, "Status model": a container is held on a date by at most one researcher, under any
// concurrency; the others wait, and when the holder's request is cancelled the request waitlisted
// longest is promoted by the system, and its researcher is told.
//
// 50 researchers ask for Box 1 on Tuesday 2026-12-01 at once: 25 through HTTP to a listening
// server, 25 from a second process writing to the same database (a SQLite file, or PostgreSQL). Both processes run the same
// clock (the system clock shifted to Thanksgiving morning), so waitlisted_at is comparable.

const VISIT_DATE = '2026-12-01';
const CONTAINER_ID = 1;

interface Row {
  id: number;
  researcherId: number | null;
  status: string;
  waitlistedAt: Date | null;
}

let room: TestReadingRoom;
const emails = new Map<number, string>();
let httpResearchers: { id: number; token: string }[] = [];
let childResearcherIds: number[] = [];
let httpAnswers: { status: number; body: string }[] = [];
let childOutcomes: { researcherId: number; ok: boolean; code?: unknown; message?: string; status?: string }[] = [];
let childExit: { code: number | null; stderr: string };

const rows = (): Promise<Row[]> =>
  room.db
    .select({ id: requests.id, researcherId: requests.researcherId, status: requests.status, waitlistedAt: requests.waitlistedAt })
    .from(requests)
    .where(and(eq(requests.containerId, CONTAINER_ID), eq(requests.visitDate, VISIT_DATE)))
    .orderBy(asc(requests.id));

/** The order of the waiting list by docs/api.md: the time a request entered `waitlisted`, then its id. */
const waitingOrder = (all: Row[]) =>
  all.filter((r) => r.status === 'waitlisted').sort((a, b) => (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) || a.id - b.id);

const promotedMails = async () =>
  (await mailsSince(room.db, 0))
    .filter((r) => r.jobName === 'waitlist-promoted')
    .map((r) => r.mail as unknown as { to: { email: string }; data: { visitDate: string; container: { requestId: number } } });

async function tokenOf(researcherId: number): Promise<string> {
  const email = emails.get(researcherId);
  assert.ok(email, `researcher ${researcherId}`);
  return signIn(room.app, email);
}

before(async () => {
  room = await startReadingRoom({ now: THANKSGIVING_MORNING, running: true });
  const made = [];
  for (let i = 0; i < 50; i++) made.push(await makeAccount(room.db, 'researcher', { name: `Researcher ${i + 1}` }));
  for (const { user, email } of made) emails.set(user.id, email);
  httpResearchers = await Promise.all(made.slice(0, 25).map(async ({ user, email }) => ({ id: user.id, token: await signIn(room.app, email) })));
  childResearcherIds = made.slice(25).map(({ user }) => user.id);

  await room.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = room.app.server.address() as AddressInfo;

  const child = runScript('test/helpers/concurrent-requester.ts', {
    ...databaseEnvOf(room.config),
    RESEARCHER_IDS: childResearcherIds.join(','),
    VISIT_DATE,
    CONTAINER_ID: String(CONTAINER_ID),
    CLOCK_OFFSET_MS: String(room.offsetMs),
  });
  let stdout = '';
  child.process.stdout?.on('data', (chunk) => (stdout += chunk));
  await child.printed('ready');

  // Both at once: the signal to the other process, and 25 parallel HTTP requests from this one.
  child.process.kill('SIGUSR2');
  httpAnswers = await Promise.all(
    httpResearchers.map(async ({ token }) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ visitDate: VISIT_DATE, containerIds: [CONTAINER_ID] }),
      });
      return { status: response.status, body: await response.text() };
    }),
  );
  childExit = await child.exit;
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, `the other process printed no outcomes; exit ${childExit.code}; stderr: ${childExit.stderr}`);
  childOutcomes = (JSON.parse(line) as { outcomes: typeof childOutcomes }).outcomes;
});

after(async () => {
  await room.close();
});

describe('50 researchers request Box 1 for the same date at once (two processes, one database)', () => {
  it('every submission succeeds: no 5xx, no SQLITE_BUSY, in either process', () => {
    assert.equal(httpAnswers.length, 25);
    for (const answer of httpAnswers) {
      assert.equal(answer.status, 201, answer.body);
      assert.doesNotMatch(answer.body, /SQLITE_BUSY|database is locked/i);
    }
    assert.equal(childExit.code, 0, childExit.stderr);
    assert.doesNotMatch(childExit.stderr, /SQLITE_BUSY|database is locked/i);
    assert.equal(childOutcomes.length, 25);
    for (const outcome of childOutcomes) assert.ok(outcome.ok, `researcher ${outcome.researcherId}: ${String(outcome.code)} ${outcome.message}`);
  });

  it('exactly one request is scheduled and 49 are waitlisted, one per researcher', async () => {
    const all = await rows();
    assert.equal(all.length, 50);
    assert.deepEqual(
      all.map((r) => r.researcherId ?? 0).sort((a, b) => a - b),
      [...httpResearchers.map((r) => r.id), ...childResearcherIds].sort((a, b) => a - b),
    );
    assert.equal(all.filter((r) => r.status === 'scheduled').length, 1);
    assert.equal(all.filter((r) => r.status === 'waitlisted').length, 49);
    // The first to commit holds the box; everyone after it waits.
    assert.equal(all[0]?.status, 'scheduled');
    // What each process was told agrees with what is stored.
    const told = [
      ...httpAnswers.map((a) => (JSON.parse(a.body) as { items: { id: number; status: string }[] }).items[0]),
      ...childOutcomes.map((o) => ({ status: o.status })),
    ].map((i) => i?.status);
    assert.equal(told.filter((s) => s === 'scheduled').length, 1);
    assert.equal(told.filter((s) => s === 'waitlisted').length, 49);
  });

  it('arrival order: the waitlisted requests, ordered by id, have non-decreasing waitlisted_at', async () => {
    const waiting = (await rows()).filter((r) => r.status === 'waitlisted');
    for (const r of waiting) assert.ok(r.waitlistedAt instanceof Date, `request ${r.id} has a waitlisted_at`);
    for (let i = 1; i < waiting.length; i++) {
      const [previous, current] = [waiting[i - 1] as Row, waiting[i] as Row];
      assert.ok(
        (current.waitlistedAt as Date) >= (previous.waitlistedAt as Date),
        `request ${current.id} was waitlisted at ${current.waitlistedAt?.toISOString()}, before request ${previous.id} (${previous.waitlistedAt?.toISOString()})`,
      );
    }
  });

  it("cancelling the holder promotes the request waitlisted longest, with a system event and a 'waitlist-promoted' mail to its researcher; cancelling again promotes the next", async () => {
    for (let round = 1; round <= 2; round++) {
      const before = await rows();
      const holder = before.find((r) => r.status === 'scheduled');
      assert.ok(holder, `round ${round}: a holder`);
      const [next, following] = waitingOrder(before);
      assert.ok(next && following);
      const mailsBefore = (await promotedMails()).length;

      const cancelled = await asUser(room.app, await tokenOf(holder.researcherId ?? 0), { method: 'POST', url: `/api/v1/requests/${holder.id}/cancel`, payload: {} });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');

      const now = await rows();
      const status = (id: number) => now.find((r) => r.id === id)?.status;
      assert.equal(status(holder.id), 'cancelled');
      assert.equal(status(next.id), 'scheduled', `round ${round}: request ${next.id}, waitlisted longest, is promoted`);
      assert.equal(now.filter((r) => r.status === 'scheduled').length, 1, 'still one holder');
      assert.equal(now.filter((r) => r.status === 'waitlisted').length, 49 - round);
      assert.equal(status(following.id), 'waitlisted');

      const nextToken = await tokenOf(next.researcherId ?? 0);
      const events = await asUser(room.app, nextToken, { method: 'GET', url: `/api/v1/requests/${next.id}/events` });
      assert.equal(events.statusCode, 200, events.body);
      const last = (events.json().items as { actorId: number | null; actorRole: string; from: string; to: string }[]).at(-1);
      assert.deepEqual(
        { actorId: last?.actorId, actorRole: last?.actorRole, from: last?.from, to: last?.to },
        { actorId: null, actorRole: 'system', from: 'waitlisted', to: 'scheduled' },
      );

      const mails = await promotedMails();
      assert.equal(mails.length, mailsBefore + 1, 'one waitlist-promoted mail');
      const mail = mails.at(-1);
      assert.equal(mail?.to.email, emails.get(next.researcherId ?? 0));
      assert.equal(mail?.data.container.requestId, next.id);
      assert.equal(mail?.data.visitDate, VISIT_DATE);

      const seen = await asUser(room.app, nextToken, { method: 'GET', url: `/api/v1/requests/${next.id}` });
      assert.equal(seen.json().status, 'scheduled');
    }
  });
});
