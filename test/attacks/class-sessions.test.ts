import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderMail } from '../../src/mail/render.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { DomainDigest } from '../fuzz/invariants.ts';


// Attacks on the class-session routes: a researcher reaching a class's requests, fields a booking
// must not take (mass assignment), a forged instructor address, markup in what staff type. The role
// matrix itself is test/accounts/authorization-matrix.test.ts. Each refusal changes nothing.

const CLASS_DAY = '2026-12-03';
const HOSTILE = '<script>alert("class")</script> & <img src=x onerror=alert(1)>';

let room: TestReadingRoom;
let digest: DomainDigest;
let staff: Person;
let alice: Person;
let session: { id: number; requestIds: number[] };

const booking = (extra: Record<string, unknown> = {}) => ({
  readingRoomId: 1,
  date: CLASS_DAY,
  startTime: '10:00',
  endTime: '11:00',
  title: HOSTILE,
  instructorName: HOSTILE,
  instructorEmail: 'instructor@example.edu',
  headcount: 9,
  containerIds: [6],
  ...extra,
});

before(async () => {
  room = await startReadingRoom();
  digest = await DomainDigest.of(room.db);
  staff = await makePerson(room, 'staff', 'Sam Stacks');
  await makePerson(room, 'curator', 'Clara Curator');
  alice = await makePerson(room, 'researcher', 'Alice Reader');
  session = ok(await staff.call('POST', '/api/v1/class-sessions', booking()), 201) as typeof session;
});
after(() => room?.close());

describe("class sessions: a researcher and a class's requests", () => {
  it("a class's request is nobody's: a researcher gets 404 for it everywhere, as for a request that does not exist, and it is in none of their lists", async () => {
    const [id] = session.requestIds;
    for (const [method, url, body] of [
      ['GET', `/api/v1/requests/${id}`, undefined],
      ['GET', `/api/v1/requests/${id}/events`, undefined],
      ['GET', `/api/v1/requests/${id}/notes`, undefined],
      ['POST', `/api/v1/requests/${id}/cancel`, {}],
      ['POST', `/api/v1/requests/${id}/release`, {}],
    ] as const) {
      await digest.unchangedBy(async () => assertRefusal(await alice.call(method, url, body), 404, 'NOT_FOUND', `${method} ${url}`) && { statusCode: 404 }, `${method} ${url}`);
    }
    const mine = ok(await alice.call('GET', '/api/v1/requests?limit=200')).items as { id: number }[];
    assert.ok(!mine.some((r) => session.requestIds.includes(r.id)));
  });
});

describe('class sessions: what a booking must not take', () => {
  it('fields the server owns (status, bookedBy, researcherId, requestIds, id) are refused or ignored, never applied', async () => {
    for (const [i, extra] of [{ status: 'cancelled' }, { bookedBy: alice.id }, { researcherId: alice.id }, { requestIds: [1] }, { id: 1 }, { overrideLeadTime: true }].entries()) {
      const answer = await staff.call('POST', '/api/v1/class-sessions', booking({ ...extra, containerIds: [7 + i] }));
      if (answer.statusCode === 400) continue;
      const made = ok(answer, 201) as { id: number; status: string; requestIds: number[] };
      assert.equal(made.status, 'booked', JSON.stringify(extra));
      assert.notEqual(made.id, 1, JSON.stringify(extra));
      assert.equal(made.requestIds.length, 1, JSON.stringify(extra));
      const request = ok(await staff.call('GET', `/api/v1/requests/${made.requestIds[0]}`)) as { researcherId: number | null; classSessionId: number };
      assert.deepEqual([request.researcherId, request.classSessionId], [null, made.id], JSON.stringify(extra));
      const [first] = ok(await staff.call('GET', `/api/v1/requests/${made.requestIds[0]}/events`)).items as { actorId: number }[];
      assert.equal(first?.actorId, staff.id, `${JSON.stringify(extra)}: booked by whoever booked it`);
    }
  });

  it('an instructor address carrying headers, a list or a display name is 400; so are a headcount of none or thousands, duplicate boxes and a title of spaces', async () => {
    for (const extra of [
      { instructorEmail: 'instructor@example.edu\r\nBcc: victim@example.org' },
      { instructorEmail: 'instructor@example.edu, victim@example.org' },
      { instructorEmail: 'Instructor <instructor@example.edu>' },
      { headcount: 0 },
      { headcount: 100_000 },
      { containerIds: [6, 6] },
      { title: '   ' },
      { containerIds: Array.from({ length: 201 }, (_, i) => i + 1) },
    ]) {
      await digest.unchangedBy(async () => {
        const answer = await staff.call('POST', '/api/v1/class-sessions', booking(extra));
        assertRefusal(answer, 400, 'FST_ERR_VALIDATION', JSON.stringify(extra).slice(0, 80));
        return answer;
      }, JSON.stringify(extra).slice(0, 80));
    }
  });

  it("markup in the title and the instructor's name is text in the instructor's mail and the curators' mail", async () => {
    const since = await lastOutboxId(room.db);
    ok(await staff.call('POST', '/api/v1/class-sessions', booking({ containerIds: [25] })), 201);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => m.jobName).sort(), ['class-session-booked', 'restricted-review'].sort());
    for (const { mail } of mails) {
      const rendered = renderMail(mail as MailJob, { libraryName: room.config.libraryName, publicUrl: room.config.publicUrl });
      assert.ok(!/<script|<img/i.test(rendered.html), `${mail.kind}: markup reached the HTML part`);
      assert.ok(rendered.html.includes('&lt;script&gt;'), `${mail.kind}: the title is shown, escaped`);
      assert.ok(rendered.text.includes(HOSTILE), `${mail.kind}: the text part shows the title as typed`);
    }
  });
});
