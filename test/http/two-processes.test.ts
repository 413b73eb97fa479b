import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { buildApp, type App } from '../../src/app.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { asUser, makePerson, type Person } from '../helpers/people.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { createRedisProbe, type RedisProbe } from '../../src/redis.ts';


// Reads are answered from memory while the database has not changed (src/caches.ts). Two API
// processes share one database: what one of them commits, the other's next answer shows, and
// a person an admin disabled through one is refused by the other at once. They share one Redis
// too, each with a connection of its own, and count the attempts on the account routes together.

let room: TestReadingRoom;
let otherDb: Database;
let otherRedis: RedisProbe;
let otherApp: App;
let alice: Person;
let admin: Person;

before(async () => {
  room = await startReadingRoom();
  // The second API process: its own connection to the same file, its own app.
  otherDb = await openConfiguredDatabase(room.config);
  otherRedis = createRedisProbe(room.config);
  otherApp = await buildApp({ config: room.config, db: otherDb, redis: otherRedis, clock: () => new Date('2026-11-26T15:00:00Z') });
  await otherApp.ready();
  [alice, admin] = await Promise.all([makePerson(room, 'researcher', 'Alice Researcher'), makePerson(room, 'admin')]);
});

after(async () => {
  await otherApp.close();
  await otherRedis.close();
  await closeDatabase(otherDb);
  await room.close();
});

const containersOn = (date: string) => asUser(room.app, undefined, { method: 'GET', url: `/api/v1/collections/1/containers?date=${date}` });

describe('answers kept between calls, with a second API process on the same file', () => {
  it("a researcher's list and the boxes' availability show a request submitted through the other process", async () => {
    const before = await alice.call('GET', '/api/v1/requests');
    assert.deepEqual(before.json().items, []);
    const boxTwoBefore = (await containersOn('2026-12-02')).json().items.find((c: { id: number }) => c.id === 2);
    assert.equal(boxTwoBefore.available, true);

    const submitted = await asUser(otherApp, alice.token, { method: 'POST', url: '/api/v1/requests', payload: { visitDate: '2026-12-02', containerIds: [2] } });
    assert.equal(submitted.statusCode, 201, submitted.body);

    const afterwards = await alice.call('GET', '/api/v1/requests');
    assert.deepEqual(
      afterwards.json().items.map((r: { containerId: number; status: string }) => [r.containerId, r.status]),
      [[2, 'scheduled']],
    );
    const boxTwoAfter = (await containersOn('2026-12-02')).json().items.find((c: { id: number }) => c.id === 2);
    assert.equal(boxTwoAfter.available, false);
  });

  it('a person disabled through the other process is refused at once, with the token that worked a moment before', async () => {
    const bob = await makePerson(room, 'researcher', 'Bob Researcher');
    assert.equal((await bob.call('GET', '/api/v1/requests')).statusCode, 200);

    const disabled = await asUser(otherApp, admin.token, { method: 'PATCH', url: `/api/v1/users/${bob.user.id}`, payload: { disabled: true } });
    assert.equal(disabled.statusCode, 200, disabled.body);

    const refused = await bob.call('GET', '/api/v1/requests');
    assert.equal(refused.statusCode, 401, refused.body);
    assert.equal(refused.json().code, 'UNAUTHENTICATED');
  });
});

describe('the per-IP limit of the account routes, with a second API process', () => {
  it('counts the attempts made through both processes together: the 301st, through either, is 429', async () => {
    const verify = (app: App, token: string) => app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token }, remoteAddress: '192.0.2.150' });
    for (let i = 1; i <= 300; i++) {
      const response = await verify(i % 2 ? room.app : otherApp, `not-a-token-${i}`);
      assert.equal(response.statusCode, 400, `attempt ${i}: ${response.body}`);
    }
    assertRefusal(await verify(room.app, 'one-more'), 429, 'RATE_LIMITED', 'through the first process');
    assertRefusal(await verify(otherApp, 'one-more'), 429, 'RATE_LIMITED', 'through the second');
  });
});
