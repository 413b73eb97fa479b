import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commit } from '../../db/transactions.ts';
import { changeBySystem } from '../../src/requests/status-door.ts';
import { eventsOf, findRequest } from '../../src/requests/store.ts';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';

// The status machine's one door, as the system jobs and admins meet it.

const MONDAY = '2026-11-30';

describe('the one door of the status machine', () => {
  let room: TestReadingRoom;
  let researcher: Person;
  let staff: Person;
  let admin: Person;

  before(async () => {
    room = await startReadingRoom();
    researcher = await makePerson(room, 'researcher', 'reader');
    staff = await makePerson(room, 'staff', 'stacks');
    admin = await makePerson(room, 'admin', 'admin');
  });
  after(async () => {
    await room.close();
  });

  const submit = async (box: number, visitDate = MONDAY) =>
    (ok(await researcher.call('POST', '/api/v1/requests', { visitDate, containerIds: [box] }), 201).items as { id: number }[])[0]?.id ?? 0;

  it('a system job that meets a request in a state it did not expect leaves it alone, says why, and goes on', async () => {
    const delivered = await submit(1);
    const scheduled = await submit(2);
    ok(await staff.call('POST', `/api/v1/users/${researcher.id}/identity-verification`, { documentType: 'passport' }));
    for (const to of ['paged', 'delivered']) ok(await staff.call('POST', `/api/v1/requests/${delivered}/transition`, { to }));
    const eventsBefore = (await eventsOf(room.db, delivered)).length;

    const skipped: { id: number; why: string }[] = [];
    await commit(room.db, async (tx) => {
      for (const id of [delivered, scheduled]) {
        const row = await findRequest(tx, id);
        assert.ok(row);
        await changeBySystem(tx, row, 'no_show', 'transition', THANKSGIVING_MORNING, { note: 'Not collected by closing time.' }, (r, refusal) =>
          skipped.push({ id: r.id, why: `${refusal.code}: ${refusal.message}` }),
        );
      }
    });

    assert.deepEqual(skipped, [{ id: delivered, why: 'INVALID_TRANSITION: A request that is delivered cannot become no show.' }]);
    assert.equal((await findRequest(room.db, delivered))?.status, 'delivered', 'left alone');
    assert.equal((await eventsOf(room.db, delivered)).length, eventsBefore, 'no event written for it');
    assert.equal((await findRequest(room.db, scheduled))?.status, 'no_show', 'the rest of the job went on');
    assert.equal((await eventsOf(room.db, scheduled)).at(-1)?.actorRole, 'system');
  });

  it('records an admin as an admin, also where the admin acts with the rights of staff', async () => {
    const visitDate = '2026-12-02';
    const id = await submit(3, visitDate);
    ok(await admin.call('POST', `/api/v1/requests/${id}/transition`, { to: 'paged' }));
    ok(await admin.call('POST', '/api/v1/closures', { date: visitDate, reason: 'Burst pipe', force: true }), 201);
    const events = (await eventsOf(room.db, id)).map((e) => ({ role: e.actorRole, actorId: e.actorId, to: e.toStatus }));
    assert.deepEqual(events, [
      { role: 'researcher', actorId: researcher.id, to: 'scheduled' },
      { role: 'admin', actorId: admin.id, to: 'paged' },
      { role: 'admin', actorId: admin.id, to: 'cancelled' },
    ]);
  });

  it('refuses a researcher what only staff may do, with the reason', async () => {
    const id = await submit(4);
    ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'paged' }));
    const refused = await researcher.call('POST', `/api/v1/requests/${id}/cancel`, {});
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'INVALID_TRANSITION');
    assert.equal(refused.json().message, 'A request that is paged cannot become cancelled: the box has been paged, so only staff can cancel it.');
  });
});
