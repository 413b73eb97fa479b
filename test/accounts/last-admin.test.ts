import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal } from '../helpers/answers.ts';
import { asUser, makeAccount, signIn } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

describe('the last admin', () => {
  it('cannot be demoted or disabled (409 LAST_ADMIN), so accounts and closures always have a keeper', async () => {
    const admin = await makeAccount(room.db, 'admin', { email: 'only-admin@example.org' });
    const token = await signIn(room.app, admin.email, admin.password);
    const patch = (payload: object) => asUser(room.app, token, { method: 'PATCH', url: `/api/v1/users/${admin.user.id}`, payload });
    assertRefusal(await patch({ role: 'staff' }), 409, 'LAST_ADMIN');
    assertRefusal(await patch({ disabled: true }), 409, 'LAST_ADMIN');

    const second = await makeAccount(room.db, 'admin', { email: 'second-admin@example.org' });
    const demoted = await patch({ role: 'curator' });
    assert.equal(demoted.statusCode, 200, 'with another admin, the change is allowed');
    assert.equal(demoted.json().role, 'curator');
    const secondToken = await signIn(room.app, second.email, second.password);
    const self = await asUser(room.app, secondToken, { method: 'PATCH', url: `/api/v1/users/${second.user.id}`, payload: { disabled: true } });
    assertRefusal(self, 409, 'LAST_ADMIN');
  });
});
