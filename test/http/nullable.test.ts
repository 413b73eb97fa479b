import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// A null sent for a field that may be null stays null: Fastify's Ajv coerces types, and a union
// that tried the string or the number first turned it into "" or 0 (src/http/schemas.ts Nullable).

describe('null in a request body', () => {
  let room: TestReadingRoom;
  let reader: Person;
  let admin: Person;

  before(async () => {
    room = await startReadingRoom();
    reader = await makePerson(room, 'researcher');
    admin = await makePerson(room, 'admin');
  });
  after(async () => {
    await room?.close();
  });

  it('clears an affiliation and a research topic to null, not to an empty text', async () => {
    ok(await reader.call('PATCH', '/api/v1/me', { affiliation: 'Yale', researchTopic: 'Serge in Mexico' }));
    const cleared = ok(await reader.call('PATCH', '/api/v1/me', { affiliation: null, researchTopic: null }));
    assert.deepEqual([cleared.affiliation, cleared.researchTopic], [null, null]);
  });

  it('makes seats unlimited with null, not none', async () => {
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 4 }));
    assert.equal(ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: null })).seats, null);
  });

  it('closes every room with a null room, not a room 0', async () => {
    assert.equal(ok(await admin.call('POST', '/api/v1/closures', { date: '2026-12-09', reason: 'Snow', readingRoomId: null }), 201).readingRoomId, null);
  });
});
