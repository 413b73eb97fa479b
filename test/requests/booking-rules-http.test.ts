import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { localInstant, startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { requestTablesSnapshot, rowCount } from '../helpers/stored-rows.ts';

// docs/requests.md, "The booking rules", over HTTP at their edges. The clock stands on Thursday 2026-11-26,
// 10:00 in New York (Thanksgiving, closed): the next business days are Friday 27 and Monday 30,
// so the earliest visit date is Monday 2026-11-30, and the horizon 90 days on is Wednesday
// 2027-02-24. Boxes 1-22 and 28 are unrestricted; 23-27 and the broadside (29) are restricted.

let room: TestReadingRoom;

before(async () => {
  room = await startReadingRoom();
});

after(async () => {
  await room.close();
});

afterEach(() => room.setNow(THANKSGIVING_MORNING));

const researcher = () => makePerson(room, 'researcher');

const submit = (person: Person, visitDate: string, containerIds: unknown[]) =>
  person.call('POST', '/api/v1/requests', { visitDate, containerIds });

function assertCreated(response: LightMyRequestResponse, visitDate: string, containerIds: number[]): void {
  assert.equal(response.statusCode, 201, response.body);
  const items = response.json().items as { visitDate: string; containerId: number; status: string }[];
  assert.deepEqual(
    items.map((i) => i.containerId),
    containerIds,
  );
  for (const item of items) assert.equal(item.visitDate, visitDate);
}

/** A refused submission: the status and code asked for, and not one row written anywhere. */
async function assertSubmissionRefused(person: Person, visitDate: string, containerIds: unknown[], statusCode: number, code: string) {
  const requestsBefore = await rowCount(room.db, 'requests');
  const before = await requestTablesSnapshot(room.db);
  const response = await submit(person, visitDate, containerIds);
  const body = assertRefusal(response, statusCode, code, `${visitDate} ${JSON.stringify(containerIds)}`);
  assert.equal(await rowCount(room.db, 'requests'), requestsBefore, 'a refusal adds no request');
  assert.equal(await requestTablesSnapshot(room.db), before, 'a refusal changes no request, event or outbox row');
  return body;
}

describe('the visit date rules, asked on Thursday 2026-11-26 (Thanksgiving) at 10:00 New York', () => {
  it('the day before the earliest visit date is VISIT_TOO_SOON, and the message names 2026-11-30', async () => {
    const person = await researcher();
    // Friday 27 is a business day, but only the first after today.
    const friday = await assertSubmissionRefused(person, '2026-11-27', [1], 422, 'VISIT_TOO_SOON');
    assert.match(String(friday.message), /2026-11-30/);
    const sunday = await assertSubmissionRefused(person, '2026-11-29', [1], 422, 'VISIT_TOO_SOON');
    assert.match(String(sunday.message), /2026-11-30/);
  });

  it('the earliest visit date itself, Monday 2026-11-30, is accepted (201)', async () => {
    const person = await researcher();
    assertCreated(await submit(person, '2026-11-30', [2]), '2026-11-30', [2]);
  });

  it('a Saturday between the earliest date and the horizon is VISIT_DAY_CLOSED', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2026-12-05', [1], 422, 'VISIT_DAY_CLOSED');
    await assertSubmissionRefused(person, '2026-12-06', [1], 422, 'VISIT_DAY_CLOSED');
  });

  it('a seeded federal holiday (Christmas, Friday 2026-12-25) is VISIT_DAY_CLOSED', async () => {
    const person = await researcher();
    const body = await assertSubmissionRefused(person, '2026-12-25', [1], 422, 'VISIT_DAY_CLOSED');
    assert.match(String(body.message), /2026-12-25/);
  });

  it('the horizon, Wednesday 2027-02-24 (90 days ahead), is accepted; the day after is VISIT_TOO_FAR', async () => {
    const person = await researcher();
    assertCreated(await submit(person, '2027-02-24', [3]), '2027-02-24', [3]);
    const body = await assertSubmissionRefused(person, '2027-02-25', [3], 422, 'VISIT_TOO_FAR');
    assert.match(String(body.message), /2027-02-24/);
  });
});

describe('when several rules fail, the first in docs/api.md order answers', () => {
  it('too soon beats closed: Saturday 2026-11-28 and Thanksgiving itself are VISIT_TOO_SOON', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2026-11-28', [1], 422, 'VISIT_TOO_SOON');
    await assertSubmissionRefused(person, '2026-11-26', [1], 422, 'VISIT_TOO_SOON');
  });

  it('too far beats closed: Saturday 2027-02-27 is VISIT_TOO_FAR', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2027-02-27', [1], 422, 'VISIT_TOO_FAR');
  });

  it('the date rules beat an unknown container: closed, too soon and too far answer before the 404', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2026-12-05', [999_999], 422, 'VISIT_DAY_CLOSED');
    await assertSubmissionRefused(person, '2026-11-27', [999_999], 422, 'VISIT_TOO_SOON');
    await assertSubmissionRefused(person, '2027-03-01', [999_999], 422, 'VISIT_TOO_FAR');
  });

  it('an unknown container (404 NOT_FOUND) beats a duplicate and the daily limit', async () => {
    const person = await researcher();
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assertCreated(await submit(person, '2026-12-02', ten), '2026-12-02', ten);
    // Box 1 is a duplicate and an eleventh container would pass the limit, yet the unknown one answers.
    await assertSubmissionRefused(person, '2026-12-02', [1, 999_999], 404, 'NOT_FOUND');
  });

  it('a duplicate (409 DUPLICATE_REQUEST) beats the daily limit', async () => {
    const person = await researcher();
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assertCreated(await submit(person, '2026-12-03', ten), '2026-12-03', ten);
    await assertSubmissionRefused(person, '2026-12-03', [1], 409, 'DUPLICATE_REQUEST');
    await assertSubmissionRefused(person, '2026-12-03', [11, 1], 409, 'DUPLICATE_REQUEST');
  });
});

describe('the daily limit (DAILY_REQUEST_LIMIT = 10 per researcher per visit date)', () => {
  it('10 containers for one date are accepted; one more the same date is REQUEST_LIMIT_EXCEEDED', async () => {
    const person = await researcher();
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assertCreated(await submit(person, '2026-12-07', ten), '2026-12-07', ten);
    await assertSubmissionRefused(person, '2026-12-07', [11], 422, 'REQUEST_LIMIT_EXCEEDED');
    // Another date is another day's limit.
    assertCreated(await submit(person, '2026-12-08', [11]), '2026-12-08', [11]);
  });

  it('restricted containers awaiting approval count toward the limit too', async () => {
    const person = await researcher();
    const created = await submit(person, '2026-12-09', [23, 24, 25, 26, 27, 29, 1, 2, 3, 4]);
    assert.equal(created.statusCode, 201, created.body);
    await assertSubmissionRefused(person, '2026-12-09', [5], 422, 'REQUEST_LIMIT_EXCEEDED');
  });

  it('11 containers in one body are REQUEST_LIMIT_EXCEEDED, and none is created', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2026-12-10', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 422, 'REQUEST_LIMIT_EXCEEDED');
  });

  it('the same container twice in one body is a 400 validation error, and none is created', async () => {
    const person = await researcher();
    await assertSubmissionRefused(person, '2026-12-10', [4, 4], 400, 'FST_ERR_VALIDATION');
  });
});

describe("today is the reading room's date in New York", () => {
  it('asked on Friday 2026-12-04 at 10:00, the earliest visit date is Tuesday 2026-12-08', async () => {
    room.setNow(localInstant('2026-12-04', '10:00'));
    const person = await researcher();
    const body = await assertSubmissionRefused(person, '2026-12-07', [5], 422, 'VISIT_TOO_SOON');
    assert.match(String(body.message), /2026-12-08/);
    assertCreated(await submit(person, '2026-12-08', [5]), '2026-12-08', [5]);
  });

  it('23:30 New York on Friday 2026-12-04 (Saturday in UTC) is still Friday: the horizon is Thursday 2027-03-04', async () => {
    room.setNow(localInstant('2026-12-04', '23:30'));
    const person = await researcher();
    // Were today Saturday, the horizon would be Friday 2027-03-05 and that date would be accepted.
    const body = await assertSubmissionRefused(person, '2027-03-05', [6], 422, 'VISIT_TOO_FAR');
    assert.match(String(body.message), /2027-03-04/);
    assertCreated(await submit(person, '2027-03-04', [6]), '2027-03-04', [6]);
    const soon = await assertSubmissionRefused(person, '2026-12-07', [6], 422, 'VISIT_TOO_SOON');
    assert.match(String(soon.message), /2026-12-08/);
  });

  it('23:30 New York on Thursday 2026-12-03 (Friday in UTC) is still Thursday: Monday 2026-12-07 is bookable', async () => {
    room.setNow(localInstant('2026-12-03', '23:30'));
    const person = await researcher();
    // Were today Friday, Monday would be too soon.
    assertCreated(await submit(person, '2026-12-07', [7]), '2026-12-07', [7]);
    const body = await assertSubmissionRefused(person, '2026-12-04', [7], 422, 'VISIT_TOO_SOON');
    assert.match(String(body.message), /2026-12-07/);
  });
});
