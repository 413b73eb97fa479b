import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { outbox } from '../../db/tables.ts';
import { seedDatabase } from '../../db/seed/index.ts';
import { buildApp, type App } from '../../src/app.ts';
import { createRedisProbe, type RedisProbe } from '../../src/redis.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { startPipeline, type TestPipeline } from '../helpers/workers.ts';

// A day of the reading room over HTTP, with the real outbox relay, BullMQ workers and an SMTP
// server: submission, review, pick list, the desk, and the record every change leaves.

/** An instant in New York in November or December (EST, UTC-5). */
const newYork = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);

const VISIT = '2026-11-30'; // Monday: the earliest visit date asked on Thanksgiving morning
const LATER_VISIT = '2026-12-01';

const addressOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

async function mailFor(smtp: SmtpSink, predicate: (mail: ParsedMail) => boolean, timeoutMs = 15_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.messages.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no such message among ${smtp.messages.map((m) => `${addressOf(m)}: ${m.subject}`).join('; ') || 'none'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a day in the reading room, over HTTP, with the worker and a real SMTP server', { timeout: 60_000 }, async () => {
  let smtp: SmtpSink;
  let pipeline: TestPipeline;
  let probe: RedisProbe;
  let app: App;
  let now = newYork('2026-11-26', '10:00');
  let researcher: Person;
  let curator: Person;
  let staff: Person;
  let admin: Person;
  let box1: { id: number };
  let box23: { id: number; restrictionNote: string };
  const at: Record<string, string> = {};

  const outboxCount = async () => (await pipeline.db.select({ id: outbox.id }).from(outbox)).length;

  before(async () => {
    smtp = await SmtpSink.start();
    pipeline = await startPipeline({ smtpUrl: smtp.url });
    await seedDatabase(pipeline.db, pipeline.config, '2026-11-26');
    probe = createRedisProbe(pipeline.config);
    app = await buildApp({ config: pipeline.config, db: pipeline.db, redis: probe, clock: () => now });
    await app.ready();
    researcher = await makePerson({ app, db: pipeline.db }, 'researcher', 'Vlady Kibalchich');
    curator = await makePerson({ app, db: pipeline.db }, 'curator', 'Clara Curator');
    staff = await makePerson({ app, db: pipeline.db }, 'staff', 'Sam Stacks');
    admin = await makePerson({ app, db: pipeline.db }, 'admin', 'Ada Admin');
  });

  after(async () => {
    await app?.close();
    await probe?.close();
    await pipeline?.close();
    await smtp?.stop();
  });

  it('a researcher requesting an open and a restricted box gets 201: the open box scheduled, the restricted one awaiting approval with its note', async () => {
    now = newYork('2026-11-26', '10:00');
    at.submitted = now.toISOString();
    const created = ok(await researcher.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [1, 23], note: 'For the chapter on Mexico' }), 201);
    assert.equal(created.items.length, 2);
    const [one, twentyThree] = created.items;
    assert.equal(one.containerId, 1);
    assert.equal(one.containerLabel, 'Box 1');
    assert.equal(one.callNumber, 'GEN MSS 238');
    assert.equal(one.visitDate, VISIT);
    assert.equal(one.status, 'scheduled');
    assert.equal(one.restricted, false);
    assert.equal(one.restrictionNote, null);
    assert.equal(one.researcherId, researcher.id);
    assert.equal(twentyThree.containerId, 23);
    assert.equal(twentyThree.containerLabel, 'Box 23');
    assert.equal(twentyThree.status, 'awaiting_approval');
    assert.equal(twentyThree.restricted, true);
    const containers = ok(await app.inject({ method: 'GET', url: `/api/v1/collections/${one.collectionId}/containers` })).items;
    const seeded = containers.find((c: { id: number }) => c.id === 23);
    assert.ok(typeof seeded.restrictionNote === 'string' && seeded.restrictionNote.length > 0);
    assert.equal(twentyThree.restrictionNote, seeded.restrictionNote, 'the restriction note of the container');
    box1 = one;
    box23 = twentyThree;
  });

  it('the researcher is mailed one message listing both boxes and the visit date, with the visit as visit.ics', async () => {
    const mail = await mailFor(smtp, (m) => addressOf(m) === researcher.email && /requests/i.test(m.subject ?? ''));
    assert.match(mail.text ?? '', /Box 1\b/);
    assert.match(mail.text ?? '', /Box 23\b/);
    assert.match(mail.text ?? '', /30 November 2026|2026-11-30/);
    assert.match(mail.text ?? '', /scheduled/);
    assert.match(mail.text ?? '', /approv/i);
    assert.equal(mail.attachments.length, 1);
    const [ics] = mail.attachments;
    assert.equal(ics?.filename, 'visit.ics');
    assert.equal(ics?.contentType, 'text/calendar');
    assert.match(ics?.content.toString('utf8') ?? '', /DTSTART;VALUE=DATE:20261130/);
  });

  it('restricted material is announced to every curator, and not to the admins while a curator exists', async () => {
    const review = await mailFor(smtp, (m) => addressOf(m) === curator.email);
    assert.match(review.text ?? '', /Box 23\b/);
    assert.match(review.text ?? '', /Vlady Kibalchich/);
    assert.doesNotMatch(review.text ?? '', /Box 1\b/, 'only the restricted box awaits review');
    await new Promise((r) => setTimeout(r, 500)); // time for a stray message to show up
    assert.deepEqual(smtp.messages.filter((m) => addressOf(m) === admin.email), []);
    assert.equal(smtp.messages.filter((m) => addressOf(m) === curator.email).length, 1);
    assert.equal(smtp.messages.length, 2, 'the researcher and the curator, nobody else');
  });

  it("a curator's approval schedules the restricted box, and the researcher is mailed the curator's note", async () => {
    now = newYork('2026-11-26', '14:00');
    at.approved = now.toISOString();
    const note = 'Use the cradle; pencils only.';
    const approved = ok(await curator.call('POST', `/api/v1/requests/${box23.id}/approve`, { note }));
    assert.equal(approved.status, 'scheduled');
    assert.equal(approved.decisionNote, note);
    const mail = await mailFor(smtp, (m) => addressOf(m) === researcher.email && (m.text ?? '').includes(note));
    assert.match(mail.text ?? '', /Box 23\b/);
    assert.match(mail.subject ?? '', /approved/i);
  });

  it('the pick list holds the day’s scheduled boxes in walking order: location, call number, box number', async () => {
    const list = ok(await staff.call('GET', `/api/v1/paging/pick-list?date=${VISIT}`));
    assert.equal(list.date, VISIT);
    // "Restricted Fragile Papers, Cabinet 2, Drawer 1" comes before "Stack 4, Range 9, Shelf 1".
    assert.deepEqual(
      list.items.map((i: { requestId: number; containerLabel: string; status: string }) => [i.requestId, i.containerLabel, i.status]),
      [
        [box23.id, 'Box 23', 'scheduled'],
        [box1.id, 'Box 1', 'scheduled'],
      ],
    );
    const [first, second] = list.items;
    assert.equal(first.location, 'Restricted Fragile Papers, Cabinet 2, Drawer 1');
    assert.equal(second.location, 'Stack 4, Range 9, Shelf 1');
    assert.equal(second.callNumber, 'GEN MSS 238');
    assert.equal(typeof second.collectionTitle, 'string');
    assert.deepEqual(second.researcher, { id: researcher.id, name: 'Vlady Kibalchich' });
  });

  it('a paged box is not delivered to a researcher whose photo ID has not been checked (409 IDENTITY_NOT_VERIFIED), and is once staff record the check', async () => {
    now = newYork(VISIT, '09:05');
    at.paged = now.toISOString();
    assert.equal(ok(await staff.call('POST', `/api/v1/requests/${box1.id}/transition`, { to: 'paged' })).status, 'paged');

    now = newYork(VISIT, '10:00');
    assertRefusal(await staff.call('POST', `/api/v1/requests/${box1.id}/transition`, { to: 'delivered' }), 409, 'IDENTITY_NOT_VERIFIED');
    assert.equal(ok(await staff.call('GET', `/api/v1/requests/${box1.id}`)).status, 'paged', 'the refusal changed nothing');

    const checked = ok(await staff.call('POST', `/api/v1/users/${researcher.id}/identity-verification`, { documentType: 'passport', note: 'Mexican passport' }));
    assert.equal(checked.id, researcher.id);
    assert.equal(checked.identityVerified, true);

    now = newYork(VISIT, '10:02');
    at.delivered = now.toISOString();
    assert.equal(ok(await staff.call('POST', `/api/v1/requests/${box1.id}/transition`, { to: 'delivered' })).status, 'delivered');
  });

  it('a delivered box goes back to the desk (returned) and then to its shelf (reshelved)', async () => {
    now = newYork(VISIT, '12:30');
    at.returned = now.toISOString();
    assert.equal(ok(await staff.call('POST', `/api/v1/requests/${box1.id}/transition`, { to: 'returned' })).status, 'returned');
    now = newYork(VISIT, '13:15');
    at.reshelved = now.toISOString();
    const reshelved = ok(await staff.call('POST', `/api/v1/requests/${box1.id}/transition`, { to: 'reshelved', note: 'Shelf 1' }));
    assert.equal(reshelved.status, 'reshelved');
    assert.equal(reshelved.updatedAt, at.reshelved);
    const list = ok(await staff.call('GET', `/api/v1/paging/pick-list?date=${VISIT}`));
    assert.deepEqual(
      list.items.map((i: { requestId: number }) => i.requestId),
      [box23.id],
      'a reshelved box leaves the pick list',
    );
  });

  it("a request's events read back every change, oldest first, with who made it and in which role", async () => {
    const events = ok(await researcher.call('GET', `/api/v1/requests/${box1.id}/events`)).items;
    assert.deepEqual(
      events.map((e: Record<string, unknown>) => ({ at: e.at, actorId: e.actorId, actorRole: e.actorRole, from: e.from, to: e.to })),
      [
        { at: at.submitted, actorId: researcher.id, actorRole: 'researcher', from: null, to: 'scheduled' },
        { at: at.paged, actorId: staff.id, actorRole: 'staff', from: 'scheduled', to: 'paged' },
        { at: at.delivered, actorId: staff.id, actorRole: 'staff', from: 'paged', to: 'delivered' },
        { at: at.returned, actorId: staff.id, actorRole: 'staff', from: 'delivered', to: 'returned' },
        { at: at.reshelved, actorId: staff.id, actorRole: 'staff', from: 'returned', to: 'reshelved' },
      ],
    );
    assert.equal(events.at(-1).note, 'Shelf 1');

    const restricted = ok(await curator.call('GET', `/api/v1/requests/${box23.id}/events`)).items;
    assert.deepEqual(
      restricted.map((e: Record<string, unknown>) => ({ at: e.at, actorId: e.actorId, actorRole: e.actorRole, from: e.from, to: e.to })),
      [
        { at: at.submitted, actorId: researcher.id, actorRole: 'researcher', from: null, to: 'awaiting_approval' },
        { at: at.approved, actorId: curator.id, actorRole: 'curator', from: 'awaiting_approval', to: 'scheduled' },
      ],
    );
    assert.equal(restricted[1].note, 'Use the cradle; pencils only.');
  });

  it("a box's history is its chain of custody: every move of every request for it, oldest first", async () => {
    const expected = [
      { at: at.submitted, requestId: box1.id, researcherId: researcher.id, classSessionId: null, actorId: researcher.id, from: null, to: 'scheduled' },
      { at: at.paged, requestId: box1.id, researcherId: researcher.id, classSessionId: null, actorId: staff.id, from: 'scheduled', to: 'paged' },
      { at: at.delivered, requestId: box1.id, researcherId: researcher.id, classSessionId: null, actorId: staff.id, from: 'paged', to: 'delivered' },
      { at: at.returned, requestId: box1.id, researcherId: researcher.id, classSessionId: null, actorId: staff.id, from: 'delivered', to: 'returned' },
      { at: at.reshelved, requestId: box1.id, researcherId: researcher.id, classSessionId: null, actorId: staff.id, from: 'returned', to: 'reshelved' },
    ];
    const forStaff = ok(await staff.call('GET', '/api/v1/containers/1/history')).items;
    assert.deepEqual(forStaff, expected);
    const forCurator = ok(await curator.call('GET', '/api/v1/containers/1/history')).items;
    assert.deepEqual(forCurator, expected);
    assertRefusal(await researcher.call('GET', '/api/v1/containers/1/history'), 403, 'FORBIDDEN');
  });

  it("a staff cancellation is mailed to the researcher with the reason; the researcher's own cancellation sends no mail", async () => {
    now = newYork('2026-11-26', '15:00');
    const [box5, box6] = ok(await researcher.call('POST', '/api/v1/requests', { visitDate: LATER_VISIT, containerIds: [5, 6] }), 201).items;
    await mailFor(smtp, (m) => addressOf(m) === researcher.email && (m.attachments[0]?.content.toString('utf8') ?? '').includes('DTSTART;VALUE=DATE:20261201'));

    const before = await outboxCount();
    const own = ok(await researcher.call('POST', `/api/v1/requests/${box6.id}/cancel`, { reason: 'Found it digitised' }));
    assert.equal(own.status, 'cancelled');
    assert.equal(await outboxCount(), before, "the researcher's own cancellation queues no mail");

    const reason = 'Box 5 is away for conservation this week.';
    const byStaff = ok(await staff.call('POST', `/api/v1/requests/${box5.id}/cancel`, { reason }));
    assert.equal(byStaff.status, 'cancelled');
    assert.equal(await outboxCount(), before + 1, 'one mail for the staff cancellation');

    const mail = await mailFor(smtp, (m) => addressOf(m) === researcher.email && (m.text ?? '').includes(reason));
    assert.match(mail.text ?? '', /Box 5\b/);
    assert.doesNotMatch(mail.text ?? '', /Box 6\b/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(smtp.messages.filter((m) => addressOf(m) === researcher.email && /cancel/i.test(m.subject ?? '')).length, 1, 'one cancellation mail in all');

    const staffEvent = ok(await researcher.call('GET', `/api/v1/requests/${box5.id}/events`)).items.at(-1);
    assert.deepEqual([staffEvent.actorId, staffEvent.actorRole, staffEvent.from, staffEvent.to, staffEvent.note], [staff.id, 'staff', 'scheduled', 'cancelled', reason]);
    const ownEvent = ok(await researcher.call('GET', `/api/v1/requests/${box6.id}/events`)).items.at(-1);
    assert.deepEqual([ownEvent.actorId, ownEvent.actorRole, ownEvent.from, ownEvent.to], [researcher.id, 'researcher', 'scheduled', 'cancelled']);
  });

  it('every message of the day was sent once, and none to the admin', async () => {
    const counts = smtp.countsByMessageId();
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), []);
    assert.deepEqual(smtp.messages.filter((m) => addressOf(m) === admin.email).map((m) => m.subject), []);
    assert.deepEqual(smtp.messages.filter((m) => addressOf(m) === staff.email).map((m) => m.subject), [], 'staff get no mail for these moves');
  });
});
