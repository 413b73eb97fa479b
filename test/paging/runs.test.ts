import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestEvents } from '../../db/tables.ts';
import { closingTime, pagingRun, visitReminders } from '../../src/paging/runs.ts';
import { requestsContext, type RequestsContext } from '../../src/requests/moves.ts';
import { allRooms } from '../../src/reading-rooms/store.ts';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { lastOutboxId as lastOutboxRow, mailsSince as outboxMailsSince } from '../helpers/outbox-mail.ts';

// The reading room's timed work (paging runs, visit reminders, closing time), called as the
// workers call it, on requests made over HTTP on Thanksgiving morning.

/** An instant in New York in November or December (EST, UTC-5). */
const newYork = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);

const MONDAY = '2026-11-30'; // the first business day after Friday 2026-11-27
const CLOSED_MONDAY = '2026-12-07';
const TUESDAY_AFTER = '2026-12-08';

describe('timed work: paging runs, visit reminders and closing time', { timeout: 40_000 }, async () => {
  let room: TestReadingRoom;
  let ctx: RequestsContext;
  /** The one reading room of a v1 installation, made at the first start. */
  const firstRoom = async () => (await allRooms(ctx.db))[0]!;
  let alba: Person; // researcher
  let boris: Person; // researcher
  let chiara: Person; // researcher
  let stacks1: Person;
  let stacks2: Person;
  let curator: Person;
  let admin: Person;
  /** Request ids by owner and box: `alba:13`. */
  const ids: Record<string, number> = {};

  const mailsSince = (afterId: number) => outboxMailsSince(room.db, afterId);
  const lastOutboxId = () => lastOutboxRow(room.db);
  const eventCount = async () => (await room.db.select({ id: requestEvents.id }).from(requestEvents)).length;

  async function submit(who: Person, visitDate: string, boxes: number[]) {
    const created = ok(await who.call('POST', '/api/v1/requests', { visitDate, containerIds: boxes }), 201).items as { id: number; containerId: number; status: string }[];
    for (const r of created) ids[`${who.name}:${r.containerId}`] = r.id;
    return created;
  }
  const move = async (key: string, ...steps: string[]) => {
    for (const to of steps) ok(await stacks1.call('POST', `/api/v1/requests/${ids[key]}/transition`, { to }), 200, `${key} → ${to}`);
  };
  const statusOf = async (key: string) => ok(await stacks1.call('GET', `/api/v1/requests/${ids[key]}`)).status as string;
  const lastEvent = async (key: string) => ok(await stacks1.call('GET', `/api/v1/requests/${ids[key]}/events`)).items.at(-1);

  before(async () => {
    room = await startReadingRoom();
    ctx = requestsContext(room.db, room.config);
    alba = await makePerson(room, 'researcher', 'alba');
    boris = await makePerson(room, 'researcher', 'boris');
    chiara = await makePerson(room, 'researcher', 'chiara');
    stacks1 = await makePerson(room, 'staff', 'stacks1');
    stacks2 = await makePerson(room, 'staff', 'stacks2');
    curator = await makePerson(room, 'curator', 'curator');
    admin = await makePerson(room, 'admin', 'admin');

    // Thanksgiving morning, 10:00 in New York.
    const albas = await submit(alba, MONDAY, [13, 2, 12, 1, 10, 23]);
    assert.deepEqual(albas.map((r) => r.status), ['scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled', 'awaiting_approval']);
    const boriss = await submit(boris, MONDAY, [1, 3, 24]);
    assert.deepEqual(boriss.map((r) => r.status), ['waitlisted', 'scheduled', 'awaiting_approval']);
    await submit(chiara, MONDAY, [20]);
    ok(await chiara.call('POST', `/api/v1/requests/${ids['chiara:20']}/cancel`, {}));
    await submit(chiara, TUESDAY_AFTER, [4]);
    await move('alba:10', 'paged'); // fetched ahead of the day
    ok(await admin.call('POST', '/api/v1/closures', { date: CLOSED_MONDAY, reason: 'Staff training' }), 201);
  });

  after(async () => {
    await room?.close();
  });

  it("a paging run on a business day mails every staff member the next business day's scheduled requests, in walking order", async () => {
    const since = await lastOutboxId();
    const outcome = await pagingRun(ctx, await firstRoom(), '09:00', newYork('2026-11-27', '09:00'));
    assert.equal(outcome.done, true);
    const mails = await mailsSince(since);
    assert.deepEqual(mails.map((m) => m.jobName), ['paging-run', 'paging-run']);
    assert.deepEqual(mails.map((m) => m.mail.to.email).sort(), [stacks1.email, stacks2.email].sort(), 'every staff member, nobody else');
    for (const { mail } of mails) {
      assert.equal(mail.kind, 'paging-run');
      if (mail.kind !== 'paging-run') continue;
      assert.equal(mail.data.visitDate, MONDAY);
      // Range 9 before Range 10, Box 1 before Box 2 on one shelf; paged, awaiting, waitlisted and cancelled left out.
      assert.deepEqual(
        mail.data.items.map((i) => [i.requestId, i.containerLabel, i.location, i.researcher?.name, i.status]),
        [
          [ids['alba:1'], 'Box 1', 'Stack 4, Range 9, Shelf 1', 'alba', 'scheduled'],
          [ids['alba:2'], 'Box 2', 'Stack 4, Range 9, Shelf 1', 'alba', 'scheduled'],
          [ids['boris:3'], 'Box 3', 'Stack 4, Range 9, Shelf 2', 'boris', 'scheduled'],
          [ids['alba:12'], 'Box 12', 'Stack 4, Range 9, Shelf 6', 'alba', 'scheduled'],
          [ids['alba:13'], 'Box 13', 'Stack 4, Range 10, Shelf 1', 'alba', 'scheduled'],
        ],
      );
    }
  });

  it('the same paging run done twice mails nothing new', async () => {
    const since = await lastOutboxId();
    const outcome = await pagingRun(ctx, await firstRoom(), '09:00', newYork('2026-11-27', '09:00'));
    assert.equal(outcome.done, false);
    await pagingRun(ctx, await firstRoom(), '09:00', newYork('2026-11-27', '09:02'));
    assert.deepEqual(await mailsSince(since), []);
  });

  it('no paging run on a closed day or a weekend, though the next business day has scheduled boxes', async () => {
    const since = await lastOutboxId();
    for (const instant of [
      newYork('2026-11-26', '09:00'), // Thanksgiving
      newYork('2026-11-28', '09:00'), // Saturday
      newYork('2026-11-29', '14:00'), // Sunday
      newYork('2026-12-05', '09:00'), // Saturday before the closed Monday
      newYork(CLOSED_MONDAY, '09:00'), // a closure, the day before Tuesday's scheduled box
      newYork(CLOSED_MONDAY, '14:00'),
    ]) {
      for (const pullTime of ['09:00', '14:00']) assert.equal((await pagingRun(ctx, await firstRoom(), pullTime, instant)).done, false, `${pullTime} on ${instant.toISOString()}`);
    }
    assert.deepEqual(await mailsSince(since), []);
  });

  it('a paging run looks past a closure to the next business day', async () => {
    const since = await lastOutboxId();
    await pagingRun(ctx, await firstRoom(), '14:00', newYork('2026-12-04', '14:00'));
    const mails = await mailsSince(since);
    assert.equal(mails.length, 2);
    for (const { mail } of mails) {
      assert.ok(mail.kind === 'paging-run');
      assert.equal(mail.data.visitDate, TUESDAY_AFTER);
      assert.deepEqual(mail.data.items.map((i) => i.requestId), [ids['chiara:4']]);
    }
  });

  it('the visit reminder goes once to each researcher visiting on the next business day', async () => {
    const since = await lastOutboxId();
    await visitReminders(ctx, await firstRoom(), newYork('2026-11-27', '09:00'));
    const mails = await mailsSince(since);
    assert.deepEqual(mails.map((m) => m.jobName), ['visit-reminder', 'visit-reminder']);
    assert.deepEqual(mails.map((m) => m.mail.to.email).sort(), [alba.email, boris.email].sort(), 'not chiara, whose only request that day is cancelled');
    const toAlba = mails.find((m) => m.mail.to.email === alba.email)?.mail;
    assert.ok(toAlba?.kind === 'visit-reminder');
    assert.equal(toAlba.data.visitDate, MONDAY);
    assert.deepEqual(toAlba.data.containers.map((c) => c.requestId).sort((a, b) => a - b), ['alba:13', 'alba:2', 'alba:12', 'alba:1', 'alba:10', 'alba:23'].map((k) => ids[k]).sort((a, b) => (a ?? 0) - (b ?? 0)));

    await visitReminders(ctx, await firstRoom(), newYork('2026-11-27', '09:00'));
    await visitReminders(ctx, await firstRoom(), newYork('2026-11-27', '15:00'));
    assert.equal((await mailsSince(since)).length, 2, 'run again, it reminds nobody a second time');
  });

  it('no reminder on a weekend or a closed day; the business day before a closure reminds for the day after it', async () => {
    const since = await lastOutboxId();
    await visitReminders(ctx, await firstRoom(), newYork('2026-12-05', '09:00'));
    await visitReminders(ctx, await firstRoom(), newYork('2026-12-06', '09:00'));
    await visitReminders(ctx, await firstRoom(), newYork(CLOSED_MONDAY, '09:00'));
    assert.deepEqual(await mailsSince(since), []);
    await visitReminders(ctx, await firstRoom(), newYork('2026-12-04', '09:00'));
    const mails = await mailsSince(since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['visit-reminder', chiara.email]]);
    assert.ok(mails[0]?.mail.kind === 'visit-reminder');
    assert.equal(mails[0].mail.data.visitDate, TUESDAY_AFTER);
  });

  describe('closing time on the day of the visit', () => {
    let since = 0;
    let eventsBefore = 0;

    before(async () => {
      room.setNow(newYork(MONDAY, '09:30'));
      ok(await stacks1.call('POST', `/api/v1/users/${alba.id}/identity-verification`, { documentType: 'university_id' }));
      await move('alba:10', 'delivered'); // still with alba at closing
      await move('alba:2', 'paged', 'delivered', 'returned'); // back at the desk, not reshelved
      await move('alba:12', 'paged', 'delivered', 'returned', 'reshelved');
      await move('alba:13', 'paged'); // fetched, never collected
      // alba:1 and boris:3 stay scheduled; alba:23 and boris:24 await a curator; boris:1 is waitlisted.
      since = await lastOutboxId();
      eventsBefore = await eventCount();
      await closingTime(ctx, await firstRoom(), newYork(MONDAY, '17:00'));
    });

    it('scheduled and paged requests of the day become no_show, by the system', async () => {
      for (const [key, from] of [
        ['alba:1', 'scheduled'],
        ['boris:3', 'scheduled'],
        ['alba:13', 'paged'],
      ] as const) {
        assert.equal(await statusOf(key), 'no_show', key);
        const event = await lastEvent(key);
        assert.deepEqual([event.actorId, event.actorRole, event.from, event.to], [null, 'system', from, 'no_show'], key);
        assert.equal(event.at, newYork(MONDAY, '17:00').toISOString());
      }
    });

    it('material still delivered or returned stays so, and what was reshelved stays reshelved', async () => {
      assert.equal(await statusOf('alba:10'), 'delivered');
      assert.equal(await statusOf('alba:2'), 'returned');
      assert.equal(await statusOf('alba:12'), 'reshelved');
      assert.equal(await statusOf('chiara:4'), 'scheduled', 'another day is untouched');
    });

    it('requests never approved or never freed are cancelled by the system, and each researcher gets one mail with the reason', async () => {
      const notes: Record<string, string[]> = { [alba.email]: [], [boris.email]: [] };
      for (const [key, from, email] of [
        ['alba:23', 'awaiting_approval', alba.email],
        ['boris:24', 'awaiting_approval', boris.email],
        ['boris:1', 'waitlisted', boris.email],
      ] as const) {
        assert.equal(await statusOf(key), 'cancelled', key);
        const event = await lastEvent(key);
        assert.deepEqual([event.actorId, event.actorRole, event.from, event.to], [null, 'system', from, 'cancelled'], key);
        assert.ok(typeof event.note === 'string' && event.note.length > 0, `${key}: the event says why`);
        notes[email]?.push(event.note);
      }
      const cancellations = (await mailsSince(since)).filter((m) => m.jobName === 'request-cancelled');
      assert.deepEqual(cancellations.map((m) => m.mail.to.email).sort(), [alba.email, boris.email].sort(), 'one mail per researcher');
      for (const { mail } of cancellations) {
        assert.ok(mail.kind === 'request-cancelled');
        assert.equal(mail.data.visitDate, MONDAY);
        const expected = mail.to.email === alba.email ? [ids['alba:23']] : [ids['boris:1'], ids['boris:24']];
        assert.deepEqual(mail.data.containers.map((c) => c.requestId).sort((a, b) => a - b), expected.sort((a, b) => (a ?? 0) - (b ?? 0)));
        for (const note of notes[mail.to.email] ?? []) assert.ok(mail.data.reason.includes(note), `the mail gives the reason: ${note}`);
      }
    });

    it('every staff member gets the list of boxes still delivered or returned, in walking order', async () => {
      const lists = (await mailsSince(since)).filter((m) => m.jobName === 'closing-time');
      assert.deepEqual(lists.map((m) => m.mail.to.email).sort(), [stacks1.email, stacks2.email].sort());
      for (const { mail } of lists) {
        assert.ok(mail.kind === 'closing-time');
        assert.equal(mail.data.date, MONDAY);
        assert.deepEqual(
          mail.data.items.map((i) => [i.requestId, i.containerLabel, i.status]),
          [
            [ids['alba:2'], 'Box 2', 'returned'],
            [ids['alba:10'], 'Box 10', 'delivered'],
          ],
        );
      }
      assert.deepEqual(
        (await mailsSince(since)).map((m) => m.jobName).sort(),
        ['closing-time', 'closing-time', 'request-cancelled', 'request-cancelled'],
        'no mail for no-shows',
      );
      assert.deepEqual(
        (await mailsSince(since)).filter((m) => [curator.email, admin.email].includes(m.mail.to.email)),
        [],
        'none to the curator or the admin while staff exist',
      );
    });

    it('closing time run again adds no event and no mail', async () => {
      const outboxBefore = await lastOutboxId();
      const events = await eventCount();
      assert.ok(events > eventsBefore);
      await closingTime(ctx, await firstRoom(), newYork(MONDAY, '17:00'));
      await closingTime(ctx, await firstRoom(), newYork(MONDAY, '17:30'));
      assert.equal(await eventCount(), events);
      assert.deepEqual(await mailsSince(outboxBefore), []);
    });
  });
});
