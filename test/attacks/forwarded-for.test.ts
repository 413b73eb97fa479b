import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { securityEvents } from '../../db/tables.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// X-Forwarded-For is written by whoever sends the request. Only the proxies TRUST_PROXY names (or
// counts) may add to it, so a client cannot choose the address its rate limits and its audit
// records are kept under.

const FORGED = '203.0.113.66';
const READER = '198.51.100.7';
const PROXY = '10.0.0.5';
const STRANGER = '192.0.2.10';

const rooms: TestReadingRoom[] = [];
after(() => Promise.all(rooms.map((room) => room.close())));

async function roomTrusting(trustProxy: string): Promise<TestReadingRoom> {
  const room = await startReadingRoom({ env: { TRUST_PROXY: trustProxy } });
  rooms.push(room);
  return room;
}

let serial = 0;

/** The address the audit trail records for a failed sign-in sent from `remoteAddress` with `forwardedFor`. */
async function auditedAddress(room: TestReadingRoom, remoteAddress: string, forwardedFor: string): Promise<string> {
  serial += 1;
  const email = `forwarded-${serial}@example.org`;
  const answer = await room.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'not the password of anyone' },
    remoteAddress,
    headers: { 'x-forwarded-for': forwardedFor },
  });
  assertRefusal(answer, 401, 'INVALID_CREDENTIALS');
  const [event] = await room.db.select({ ip: securityEvents.ip }).from(securityEvents).where(and(eq(securityEvents.email, email), eq(securityEvents.kind, 'login_failed')));
  assert.ok(event, `the failed sign-in of ${email} is audited`);
  assert.ok(event.ip !== null, 'the event names an address');
  return event.ip;
}

describe('X-Forwarded-For and TRUST_PROXY', () => {
  it('without TRUST_PROXY, the connecting address is audited whatever the header says', async () => {
    const room = await roomTrusting('false');
    assert.equal(await auditedAddress(room, STRANGER, FORGED), STRANGER);
  });

  it('with a list of proxies, a client that is not one of them cannot choose its address', async () => {
    const room = await roomTrusting(`${PROXY},172.16.0.0/12`);
    assert.equal(await auditedAddress(room, STRANGER, FORGED), STRANGER);
    assert.equal(await auditedAddress(room, STRANGER, `${FORGED}, ${PROXY}`), STRANGER);
  });

  it('with a list of proxies, the address a listed proxy appends is used, not what the client wrote before it', async () => {
    const room = await roomTrusting(`${PROXY},172.16.0.0/12`);
    assert.equal(await auditedAddress(room, PROXY, `${FORGED}, ${READER}`), READER);
    // Two proxies in a row, both listed: the reader is the first address neither of them is.
    assert.equal(await auditedAddress(room, PROXY, `${FORGED}, ${READER}, 172.20.1.1`), READER);
  });

  it('with a hop count of 1, the right-most address is used', async () => {
    const room = await roomTrusting('1');
    assert.equal(await auditedAddress(room, PROXY, `${FORGED}, ${READER}`), READER);
    assert.equal(await auditedAddress(room, PROXY, READER), READER);
  });

  it('with a hop count of 2, the address the second proxy saw is used', async () => {
    const room = await roomTrusting('2');
    assert.equal(await auditedAddress(room, PROXY, `${FORGED}, ${READER}, 172.20.1.1`), READER);
  });

  it("the per-IP limit counts one reader as one, however its forged header changes", async () => {
    const room = await roomTrusting('1');
    const verify = (forwardedFor: string) =>
      room.app.inject({
        method: 'POST',
        url: '/api/v1/auth/verify-email',
        payload: { token: 'no-such-token' },
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': forwardedFor },
      });
    // 300 an hour per address on the account routes (docs/api.md), each with a new forged address in front.
    for (let attempt = 0; attempt < 300; attempt += 1) {
      assertRefusal(await verify(`203.0.113.${attempt % 250}, ${READER}`), 400, 'INVALID_TOKEN', `attempt ${attempt + 1}`);
    }
    assertRefusal(await verify(`${FORGED}, ${READER}`), 429, 'RATE_LIMITED');
    assertRefusal(await verify(`${FORGED}, 198.51.100.8`), 400, 'INVALID_TOKEN', 'another reader behind the same proxy is not limited');
  });
});
