import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal } from '../helpers/answers.ts';
import { asUser, makeAccount, signIn } from '../helpers/people.ts';
import { signedInBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { statement } from '../../db/statements.ts';


// POST /api/v1/auth/logout (docs/api.md v2, "Sign-out, pages and hardening"): a token copied before
// signing out, from any of the person's devices or their browser session, works no more.

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

const logout = (token: string | undefined) => asUser(room.app, token, { method: 'POST', url: '/api/v1/auth/logout' });
const me = (token: string) => asUser(room.app, token, { method: 'GET', url: '/api/v1/me' });

describe('signing out through the API', () => {
  it('answers 204 and ends every token of the person issued before it: this one, another device\'s and the browser session; a new sign-in works', async () => {
    const reader = await makeAccount(room.db, 'researcher');
    const token = await signIn(room.app, reader.email, reader.password);
    const otherDevice = await signIn(room.app, reader.email, reader.password);
    const browser = await signedInBrowser(room.app, reader.email, reader.password);
    const bystander = await makeAccount(room.db, 'researcher');
    const bystanderToken = await signIn(room.app, bystander.email, bystander.password);
    assert.equal((await me(token)).statusCode, 200);
    assert.equal((await browser.get('/requests')).statusCode, 200);

    const answer = await logout(token);
    assert.equal(answer.statusCode, 204, answer.body);
    assert.equal(answer.body, '');

    assertRefusal(await me(token), 401, 'UNAUTHENTICATED', 'the token that signed out');
    assertRefusal(await me(otherDevice), 401, 'UNAUTHENTICATED', "another device's token");
    const page = await browser.get('/requests');
    assert.equal(page.statusCode, 303, 'the browser session is sent to sign in');
    assert.match(String(page.headers.location), /^\/sign-in/);
    assertRefusal(await logout(token), 401, 'UNAUTHENTICATED', 'signing out again with the ended token');
    assert.equal((await me(bystanderToken)).statusCode, 200, "someone else's token is untouched");

    const again = await signIn(room.app, reader.email, reader.password);
    assert.equal((await me(again)).statusCode, 200, 'signing in again gives a working token');

    const events = await statement(room.db, "select actor_id, user_id from security_events where kind = 'signed_out' and user_id = ?").rows(reader.user.id);
    assert.deepEqual(events, [{ actor_id: reader.user.id, user_id: reader.user.id }], 'the sign-out is audited');
  });

  it('every role may sign out; without a token it is 401 UNAUTHENTICATED', async () => {
    for (const role of ['staff', 'curator', 'admin'] as const) {
      const person = await makeAccount(room.db, role);
      const token = await signIn(room.app, person.email, person.password);
      assert.equal((await logout(token)).statusCode, 204, role);
      assertRefusal(await me(token), 401, 'UNAUTHENTICATED', role);
    }
    assertRefusal(await logout(undefined), 401, 'UNAUTHENTICATED');
  });

  it('is in the OpenAPI document with its 204 and its refusals', async () => {
    const document = (await room.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = document.paths['/api/v1/auth/logout']?.post;
    assert.ok(operation, 'POST /api/v1/auth/logout is documented');
    assert.deepEqual(Object.keys(operation.responses).sort(), ['204', '400', '401', '413', '415']);
    assert.deepEqual(operation.security, [{ bearerAuth: [] }]);
  });
});
