import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Requests made by staff on a researcher's behalf (a phone or e-mail request), on Thanksgiving
// morning: the earliest visit date is Monday 2026-11-30; Friday the 27th is open.

const FRIDAY = '2026-11-27';
const MONDAY = '2026-11-30';

describe("requests on a researcher's behalf", () => {
  let room: TestReadingRoom;
  let staff: Person;
  let admin: Person;
  let curator: Person;
  let reader: Person;
  let gone: Person;

  const onBehalf = (by: Person, body: Record<string, unknown>) => by.call('POST', '/api/v1/requests', body);
  const events = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}/events`)).items as { actorId: number | null; actorRole: string; to: string; note: string | null }[];

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Desk Clerk');
    admin = await makePerson(room, 'admin');
    curator = await makePerson(room, 'curator');
    reader = await makePerson(room, 'researcher', 'Phoning Reader');
    gone = await makePerson(room, 'researcher');
    ok(await admin.call('PATCH', `/api/v1/users/${gone.id}`, { disabled: true }));
  });
  after(async () => {
    await room?.close();
  });

  it('staff request for the researcher under the booking rules; the events name the staff member, and the researcher is mailed', async () => {
    const since = await lastOutboxId(room.db);
    const made = ok(await onBehalf(staff, { researcherId: reader.id, visitDate: MONDAY, containerIds: [1], note: 'Asked by telephone.' }), 201).items as { id: number; researcherId: number; status: string }[];
    assert.deepEqual(made.map((r) => [r.researcherId, r.status]), [[reader.id, 'scheduled']]);
    const [first] = await events(made[0]!.id);
    assert.deepEqual([first?.actorId, first?.actorRole, first?.to], [staff.id, 'staff', 'scheduled']);
    assert.match(first?.note ?? '', /Requested by Desk Clerk on the researcher's behalf\. Asked by telephone\./);
    assert.doesNotMatch(first?.note ?? '', /overrid/);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['requests-submitted', reader.email]]);
    const mine = ok(await reader.call('GET', '/api/v1/requests')).items as { id: number }[];
    assert.ok(mine.some((r) => r.id === made[0]!.id), 'the researcher sees it as theirs');
    assertRefusal(await onBehalf(admin, { researcherId: reader.id, visitDate: MONDAY, containerIds: [1] }), 409, 'DUPLICATE_REQUEST', "the researcher's own limits and duplicates hold");
  });

  it('staff may override the lead time, from today on; the event records it; without it the rule holds', async () => {
    assertRefusal(await onBehalf(staff, { researcherId: reader.id, visitDate: FRIDAY, containerIds: [2] }), 422, 'VISIT_TOO_SOON');
    const made = ok(await onBehalf(staff, { researcherId: reader.id, visitDate: FRIDAY, containerIds: [2], overrideLeadTime: true }), 201).items as { id: number }[];
    const [first] = await events(made[0]!.id);
    assert.equal(first?.note, "Requested by Desk Clerk on the researcher's behalf, overriding the lead time.");
    const gonePast = assertRefusal(await onBehalf(staff, { researcherId: reader.id, visitDate: '2026-11-25', containerIds: [3], overrideLeadTime: true }), 422, 'VISIT_TOO_SOON');
    assert.match(String(gonePast.message), /That day has passed/);
    assertRefusal(await onBehalf(staff, { researcherId: reader.id, visitDate: '2026-11-26', containerIds: [3], overrideLeadTime: true }), 422, 'VISIT_DAY_CLOSED', 'today is Thanksgiving');
  });

  it('a researcher may name no one and override nothing; staff must name an active researcher; curators may not', async () => {
    assertRefusal(await onBehalf(reader, { researcherId: reader.id, visitDate: MONDAY, containerIds: [4] }), 403, 'FORBIDDEN');
    assertRefusal(await onBehalf(reader, { visitDate: FRIDAY, containerIds: [4], overrideLeadTime: false }), 403, 'FORBIDDEN');
    assertRefusal(await onBehalf(staff, { visitDate: MONDAY, containerIds: [4] }), 403, 'FORBIDDEN');
    for (const researcherId of [staff.id, gone.id, 999_999]) {
      assertRefusal(await onBehalf(staff, { researcherId, visitDate: MONDAY, containerIds: [4] }), 404, 'NOT_FOUND', String(researcherId));
    }
    assertRefusal(await onBehalf(curator, { researcherId: reader.id, visitDate: MONDAY, containerIds: [4] }), 403, 'FORBIDDEN');
    const theirs = ok(await reader.call('GET', `/api/v1/requests?visitDate=${MONDAY}`)).items as { containerId: number }[];
    assert.ok(!theirs.some((r) => r.containerId === 4), 'no refusal wrote a request');
  });
});
