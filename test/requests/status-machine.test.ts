import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import { requests, users } from '../../db/tables.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { requestTablesSnapshot } from '../helpers/stored-rows.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { asUser, makePerson, type Person } from '../helpers/people.ts';

// docs/requests.md, "Status model", as a model-based property: random sequences of calls over HTTP against
// one request at a time. After each call the request has moved along a row of the table below
// (written by hand from docs/api.md), or the call was refused with 409 and changed nothing.

type Status = 'awaiting_approval' | 'waitlisted' | 'scheduled' | 'paged' | 'delivered' | 'returned' | 'reshelved' | 'no_show' | 'denied' | 'cancelled';
type Actor = 'researcher' | 'staff' | 'curator' | 'system';

/** docs/api.md's status table, one line per (from, to), with who may make the move. */
const TABLE: readonly { from: Status | null; to: Status; by: readonly Actor[] }[] = [
  { from: null, to: 'awaiting_approval', by: ['researcher'] },
  { from: null, to: 'scheduled', by: ['researcher'] },
  { from: null, to: 'waitlisted', by: ['researcher'] },
  { from: 'awaiting_approval', to: 'scheduled', by: ['curator'] },
  { from: 'awaiting_approval', to: 'waitlisted', by: ['curator'] },
  { from: 'awaiting_approval', to: 'denied', by: ['curator'] },
  { from: 'waitlisted', to: 'scheduled', by: ['system'] },
  { from: 'awaiting_approval', to: 'cancelled', by: ['system', 'researcher', 'staff'] },
  { from: 'waitlisted', to: 'cancelled', by: ['system', 'researcher', 'staff'] },
  { from: 'scheduled', to: 'cancelled', by: ['researcher', 'staff'] },
  { from: 'paged', to: 'cancelled', by: ['staff'] },
  { from: 'scheduled', to: 'paged', by: ['staff'] },
  { from: 'paged', to: 'delivered', by: ['staff'] },
  { from: 'delivered', to: 'returned', by: ['staff'] },
  { from: 'returned', to: 'reshelved', by: ['staff'] },
  { from: 'scheduled', to: 'no_show', by: ['staff', 'system'] },
  { from: 'paged', to: 'no_show', by: ['staff', 'system'] },
  { from: 'no_show', to: 'reshelved', by: ['staff'] },
];

const onTable = (from: Status | null, to: Status, by: Actor) => TABLE.some((row) => row.from === from && row.to === to && row.by.includes(by));
const HOLDING: readonly Status[] = ['scheduled', 'paged', 'delivered'];

const RESTRICTED = [23, 24, 25, 26, 27, 29];
const UNRESTRICTED = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 28];

type Command =
  | 'approve'
  | 'deny'
  | 'cancel-as-owner'
  | 'cancel-as-staff'
  | 'to-paged'
  | 'to-delivered'
  | 'to-returned'
  | 'to-reshelved'
  | 'to-no_show'
  | 'identity-check'
  | 'holder-releases';

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant('approve' as const), weight: 2 },
  { arbitrary: fc.constant('deny' as const), weight: 1 },
  { arbitrary: fc.constant('cancel-as-owner' as const), weight: 2 },
  { arbitrary: fc.constant('cancel-as-staff' as const), weight: 2 },
  { arbitrary: fc.constant('to-paged' as const), weight: 3 },
  { arbitrary: fc.constant('to-delivered' as const), weight: 3 },
  { arbitrary: fc.constant('to-returned' as const), weight: 3 },
  { arbitrary: fc.constant('to-reshelved' as const), weight: 3 },
  { arbitrary: fc.constant('to-no_show' as const), weight: 2 },
  { arbitrary: fc.constant('identity-check' as const), weight: 2 },
  { arbitrary: fc.constant('holder-releases' as const), weight: 2 },
);

/** The way a box goes at the desk; runs often start with some of it, so deep statuses are reached too. */
const DESK_PATH: readonly Command[] = ['approve', 'holder-releases', 'to-paged', 'identity-check', 'to-delivered', 'to-returned', 'to-reshelved'];
/** The way of a box whose reader did not come: without it, a no-show's reshelving was reached by chance only. */
const NO_SHOW_PATH: readonly Command[] = ['approve', 'holder-releases', 'to-paged', 'to-no_show', 'to-reshelved'];
/** A curator's refusal first: a fresh-clone run once went 200 runs without a denial while awaiting approval. */
const DENY_PATH: readonly Command[] = ['deny'];

const scenarioArbitrary = fc
  .record({
    restricted: fc.boolean(),
    // Another researcher holds the container that day before ours is submitted.
    held: fc.boolean(),
    path: fc.constantFrom(DESK_PATH, NO_SHOW_PATH, DENY_PATH),
    deskSteps: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: DESK_PATH.length })),
    tail: fc.array(commandArbitrary, { minLength: 1, maxLength: 12 }),
  })
  .map(({ restricted, held, path, deskSteps, tail }) => ({ restricted, held, commands: [...path.slice(0, deskSteps), ...tail] }));

interface Model {
  status: Status;
  everPaged: boolean;
  identityVerified: boolean;
  blockerHolds: boolean;
}

let room: TestReadingRoom;
let staff: Person;
let curator: Person;
let blocker: Person;
let researcher: Person;
let openDays: string[] = [];
let runs = 0;
/** Which moves and refusals the runs went through, to show the property saw the whole table. */
const seenMoves = new Set<string>();
const seenRefusals = new Set<string>();

before(async () => {
  room = await startReadingRoom();
  [staff, curator, blocker, researcher] = await Promise.all([
    makePerson(room, 'staff'),
    makePerson(room, 'curator'),
    makePerson(room, 'researcher', 'The Blocker'),
    makePerson(room, 'researcher'),
  ]);
  const calendar = await asUser(room.app, undefined, { method: 'GET', url: '/api/v1/calendar' });
  assert.equal(calendar.statusCode, 200, calendar.body);
  const { earliestVisitDate, days } = calendar.json() as { earliestVisitDate: string; days: { date: string; open: boolean }[] };
  openDays = days.filter((d) => d.open && d.date >= earliestVisitDate).map((d) => d.date);
  assert.ok(openDays.length > 40);
});

after(async () => {
  await room.close();
});

async function lastEvent(id: number) {
  const response = await staff.call('GET', `/api/v1/requests/${id}/events`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json().items as { actorId: number | null; actorRole: string; from: Status | null; to: Status }[]).at(-1);
}

async function statusOf(id: number): Promise<Status> {
  const response = await researcher.call('GET', `/api/v1/requests/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().status as Status;
}

async function submit(person: Person, visitDate: string, containerId: number) {
  const response = await person.call('POST', '/api/v1/requests', { visitDate, containerIds: [containerId] });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().items[0] as { id: number; status: Status };
}

/** Every request of the run is taken to a final status, so the next run starts from a free box and no active request. */
async function settle(id: number | undefined): Promise<void> {
  if (id === undefined) return;
  for (let i = 0; i < 3; i++) {
    const [row] = await room.db.select({ status: requests.status }).from(requests).where(eq(requests.id, id));
    const status = row?.status;
    if (status === undefined || ['reshelved', 'no_show', 'denied', 'cancelled'].includes(status)) return;
    if (status === 'delivered') await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'returned' });
    else if (status === 'returned') await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'reshelved' });
    else await staff.call('POST', `/api/v1/requests/${id}/cancel`, { reason: 'End of a generated run.' });
  }
}

describe('the status machine of a request, over HTTP', () => {
  it('moves a request only along a row of the status table; every other call is a 409 that changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ restricted, held, commands }) => {
        const run = runs++;
        const visitDate = openDays[run % openDays.length] as string;
        const pool = restricted ? RESTRICTED : UNRESTRICTED;
        const containerId = pool[Math.floor(run / openDays.length) % pool.length] as number;
        let blockerId: number | undefined;
        let requestId: number | undefined;
        try {
          if (held) {
            const blocking = await submit(blocker, visitDate, containerId);
            blockerId = blocking.id;
            if (restricted) {
              const approved = await curator.call('POST', `/api/v1/requests/${blocking.id}/approve`, {});
              assert.equal(approved.statusCode, 200, approved.body);
            }
            const [blockerRow] = await room.db.select({ status: requests.status }).from(requests).where(eq(requests.id, blocking.id));
            assert.equal(blockerRow?.status, 'scheduled', 'the blocker holds the box');
          }

          const created = await submit(researcher, visitDate, containerId);
          requestId = created.id;
          const expectedStart: Status = restricted ? 'awaiting_approval' : held ? 'waitlisted' : 'scheduled';
          assert.equal(created.status, expectedStart);
          assert.ok(onTable(null, created.status, 'researcher'));
          const model: Model = {
            status: created.status,
            everPaged: false,
            identityVerified: researcher.user.identityVerifiedAt !== null,
            blockerHolds: held,
          };

          for (const command of commands) {
            const before = await requestTablesSnapshot(room.db);
            const from = model.status;

            if (command === 'identity-check') {
              const response = await staff.call('POST', `/api/v1/users/${researcher.user.id}/identity-verification`, {
                documentType: 'passport',
              });
              assert.equal(response.statusCode, 200, response.body);
              assert.equal(response.json().identityVerified, true);
              model.identityVerified = true;
              assert.equal(await requestTablesSnapshot(room.db), before, 'an identity check changes no request');
              continue;
            }

            if (command === 'holder-releases') {
              if (blockerId === undefined) continue;
              const response = await blocker.call('POST', `/api/v1/requests/${blockerId}/cancel`, {});
              if (!model.blockerHolds) {
                assertRefusal(response, 409, 'INVALID_TRANSITION', 'a cancelled request cannot be cancelled again');
                assert.equal(await requestTablesSnapshot(room.db), before);
                continue;
              }
              assert.equal(response.statusCode, 200, response.body);
              model.blockerHolds = false;
              const now = await statusOf(requestId);
              if (from === 'waitlisted') {
                // The system promotes the request waiting for the box.
                assert.equal(now, 'scheduled');
                assert.ok(onTable(from, now, 'system'));
                const event = await lastEvent(requestId);
                assert.deepEqual(
                  { actorId: event?.actorId, actorRole: event?.actorRole, from: event?.from, to: event?.to },
                  { actorId: null, actorRole: 'system', from: 'waitlisted', to: 'scheduled' },
                );
                seenMoves.add(`${from}>${now}:system`);
                model.status = now;
              } else {
                assert.equal(now, from, 'a request not waiting for the box is not moved when the box comes free');
              }
              continue;
            }

            // A call on the request itself: who makes it, what it asks for, and what docs/api.md answers.
            let actor: Actor;
            let person: Person;
            let to: Status;
            let response: LightMyRequestResponse;
            const url = `/api/v1/requests/${requestId}`;
            switch (command) {
              case 'approve':
                [actor, person, to] = ['curator', curator, model.blockerHolds ? 'waitlisted' : 'scheduled'];
                response = await curator.call('POST', `${url}/approve`, { note: 'Handle with care.' });
                break;
              case 'deny':
                [actor, person, to] = ['curator', curator, 'denied'];
                response = await curator.call('POST', `${url}/deny`, { reason: 'Too fragile this month.' });
                break;
              case 'cancel-as-owner':
                [actor, person, to] = ['researcher', researcher, 'cancelled'];
                response = await researcher.call('POST', `${url}/cancel`, {});
                break;
              case 'cancel-as-staff':
                [actor, person, to] = ['staff', staff, 'cancelled'];
                response = await staff.call('POST', `${url}/cancel`, { reason: 'Staff cancelled it.' });
                break;
              default: {
                const target = command.slice('to-'.length) as Status;
                [actor, person, to] = ['staff', staff, target];
                response = await staff.call('POST', `${url}/transition`, { to: target });
              }
            }

            let refusal: string | null = onTable(from, to, actor) ? null : 'INVALID_TRANSITION';
            if (refusal === null && from === 'paged' && to === 'delivered' && !model.identityVerified) refusal = 'IDENTITY_NOT_VERIFIED';
            if (refusal === null && from === 'no_show' && to === 'reshelved' && !model.everPaged) refusal = 'INVALID_TRANSITION';

            const context = `${command} from ${from} (everPaged ${model.everPaged}, identity ${model.identityVerified}, holder ${model.blockerHolds})`;
            if (refusal !== null) {
              assertRefusal(response, 409, refusal, context);
              assert.equal(await requestTablesSnapshot(room.db), before, `${context}: a refused call changes nothing`);
              seenRefusals.add(from === 'no_show' && to === 'reshelved' ? 'no_show>reshelved unpaged' : refusal);
              continue;
            }
            assert.equal(response.statusCode, 200, `${context}: ${response.body}`);
            assert.equal(response.json().status, to, context);
            assert.equal(await statusOf(requestId), to, context);
            const event = await lastEvent(requestId);
            assert.deepEqual(
              { actorId: event?.actorId, actorRole: event?.actorRole, from: event?.from, to: event?.to },
              { actorId: person.user.id, actorRole: actor, from, to },
              context,
            );
            seenMoves.add(`${from}>${to}:${actor}`);
            model.status = to;
            if (to === 'paged') model.everPaged = true;
            if (HOLDING.includes(to)) assert.equal(model.blockerHolds, false, 'one holder at most');
          }
        } finally {
          await settle(requestId);
          await settle(blockerId);
          // A researcher whose ID was checked is replaced, so deliveries without a check keep being tried.
          const [checked] = await room.db.select({ at: users.identityVerifiedAt }).from(users).where(eq(users.id, researcher.user.id));
          if (checked?.at != null) researcher = await makePerson(room, 'researcher');
        }
      }),
      { numRuns: 200 },
    );

    // The generated runs went through every row a person can take, and through both kinds of refusal.
    const personRows = TABLE.filter((row) => row.from !== null).flatMap((row) =>
      row.by.filter((by) => by !== 'system' || (row.from === 'waitlisted' && row.to === 'scheduled')).map((by) => `${row.from}>${row.to}:${by}`),
    );
    assert.deepEqual(
      personRows.filter((row) => !seenMoves.has(row)),
      [],
      'rows of the table no generated run went through',
    );
    for (const refusal of ['INVALID_TRANSITION', 'IDENTITY_NOT_VERIFIED', 'no_show>reshelved unpaged']) assert.ok(seenRefusals.has(refusal), refusal);
  });
});
