import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Queue } from 'bullmq';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import type { RedisConnection } from '../../src/redis.ts';
import { buildApp, type App } from '../../src/app.ts';
import { openQueues, producerConnection } from '../../workers/queues.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { makeAccount, signIn } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { quietLog } from '../helpers/workers.ts';

// The queue dashboard's actions (bull-board's non-GET calls) from an admin's browser session need
// the session's CSRF token, which the dashboard's page sends as X-XSRF-TOKEN from the XSRF-TOKEN
// cookie; a page elsewhere, even on a sibling subdomain that gets the session cookie sent, has
// only the cookie. With a bearer token they need none. Real queues on the shared Redis.

let room: TestReadingRoom;
let app: App;
let connection: RedisConnection;
let queue: Queue;
let admin: FormBrowser;
let adminToken: string;

before(async () => {
  room = await startReadingRoom();
  connection = producerConnection(room.config);
  const queues = openQueues(connection, `dashboard-${randomUUID().slice(0, 8)}`, quietLog);
  queue = queues.maintenance;
  app = await buildApp({ config: room.config, db: room.db, redis: room.redis, clock: () => THANKSGIVING_MORNING, queues: Object.values(queues) });
  const account = await makeAccount(room.db, 'admin');
  admin = await signedInBrowser(app, account.email, account.password);
  adminToken = await signIn(app, account.email, account.password);
});
after(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await app?.close();
  connection?.disconnect();
  await room?.close();
});

const API = '/admin/queues/api/queues';
const cookieHeader = (browser: FormBrowser) => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** A dashboard call as the admin's browser sends it: the cookies it holds, and the headers given. */
function fromBrowser(browser: FormBrowser, method: HTTPMethods, url: string, headers: Record<string, string> = {}, payload?: object): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: { cookie: cookieHeader(browser), accept: 'application/json', ...headers }, ...(payload ? { payload } : {}) });
}

/** The dashboard's actions, each with a way to see whether it did anything. */
const actions: { name: string; method: HTTPMethods; url: () => string; payload?: object }[] = [
  { name: 'pause', method: 'PUT', url: () => `${API}/${queue.name}/pause` },
  { name: 'pause all', method: 'PUT', url: () => `${API}/pause` },
  { name: 'add a job', method: 'POST', url: () => `${API}/${queue.name}/add`, payload: { name: 'forged', data: { by: 'a forged page' } } },
  { name: 'empty', method: 'PUT', url: () => `${API}/${queue.name}/empty` },
  { name: 'obliterate', method: 'PUT', url: () => `${API}/${queue.name}/obliterate` },
  { name: 'retry the failed', method: 'PUT', url: () => `${API}/${queue.name}/retry/failed` },
  { name: 'clean the completed', method: 'PUT', url: () => `${API}/${queue.name}/clean/completed` },
];

async function queueState() {
  return { paused: await queue.isPaused(), counts: await queue.getJobCounts('waiting', 'paused', 'delayed', 'failed', 'completed') };
}

describe('the queue dashboard in an admin’s browser session', { timeout: 60_000 }, () => {
  it('gives the dashboard page its CSRF token in an XSRF-TOKEN cookie its script can read, for the dashboard only', async () => {
    const page = await fromBrowser(admin, 'GET', '/admin/queues', { accept: 'text/html' });
    assert.equal(page.statusCode, 200);
    const cookie = page.cookies.find((c) => c.name === 'XSRF-TOKEN');
    assert.ok(cookie, 'an XSRF-TOKEN cookie is set');
    assert.ok(cookie.value.length >= 32);
    assert.equal(cookie.path, '/admin/queues');
    assert.equal(cookie.sameSite, 'Strict');
    assert.ok(!cookie.httpOnly, 'the dashboard’s script reads it');
    admin.cookies.set(cookie.name, cookie.value);
  });

  it('answers GET calls with the session cookie alone', async () => {
    const listed = await fromBrowser(admin, 'GET', `${API}?activeQueue=${queue.name}`);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.ok((listed.json() as { queues: { name: string }[] }).queues.some((q) => q.name === queue.name));
  });

  it('refuses every action sent with the session cookie and no CSRF token: 403 CSRF_INVALID, and the queue is unchanged', async () => {
    await queue.add('kept', { n: 1 });
    const before = await queueState();
    for (const action of actions) {
      // As a forged page sends it: the cookies go along, the page cannot read one to make a header.
      const refused = await fromBrowser(admin, action.method, action.url(), {}, action.payload);
      assertRefusal(refused, 403, 'CSRF_INVALID', `${action.name} without the token`);
    }
    assert.deepEqual(await queueState(), before);
  });

  it('refuses an action whose token is made up, or belongs to another session', async () => {
    const before = await queueState();
    const other = await makeAccount(room.db, 'admin');
    const otherBrowser = await signedInBrowser(app, other.email, other.password);
    const otherPage = await fromBrowser(otherBrowser, 'GET', '/admin/queues', { accept: 'text/html' });
    const othersToken = otherPage.cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '';
    assert.notEqual(othersToken, admin.cookies.get('XSRF-TOKEN'));
    for (const token of [othersToken, 'made-up', '', 'x'.repeat(43)]) {
      const refused = await fromBrowser(admin, 'PUT', `${API}/${queue.name}/pause`, { 'x-xsrf-token': token, cookie: `${cookieHeader(admin).replace(/XSRF-TOKEN=[^;]*/, `XSRF-TOKEN=${token}`)}` });
      assertRefusal(refused, 403, 'CSRF_INVALID', `token ${JSON.stringify(token.slice(0, 20))}`);
    }
    assert.deepEqual(await queueState(), before);
  });

  it('acts when the call carries the session’s token in X-XSRF-TOKEN, as the dashboard’s page sends it', async () => {
    const token = admin.cookies.get('XSRF-TOKEN') ?? '';
    const waiting = (await queue.getJobCounts('waiting')).waiting ?? 0;
    const added = await fromBrowser(admin, 'POST', `${API}/${queue.name}/add`, { 'x-xsrf-token': token }, { name: 'by the admin', data: {} });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal((await queue.getJobCounts('waiting')).waiting, waiting + 1);
    const paused = await fromBrowser(admin, 'PUT', `${API}/${queue.name}/pause`, { 'x-xsrf-token': token });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(await queue.isPaused(), true);
    const resumed = await fromBrowser(admin, 'PUT', `${API}/${queue.name}/resume`, { 'x-xsrf-token': token });
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(await queue.isPaused(), false);
  });
});

describe('the queue dashboard with a bearer token', () => {
  it('acts without a CSRF token: no browser sends a bearer token on its own', async () => {
    const headers = { authorization: `Bearer ${adminToken}` };
    const paused = await app.inject({ method: 'PUT', url: `${API}/${queue.name}/pause`, headers });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(await queue.isPaused(), true);
    const resumed = await app.inject({ method: 'PUT', url: `${API}/${queue.name}/resume`, headers });
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(await queue.isPaused(), false);
  });
});

describe('the dashboard’s own page', () => {
  it('sends the token by itself: its script copies the XSRF-TOKEN cookie into an X-XSRF-TOKEN header (axios, bundled by bull-board)', async () => {
    const page = await fromBrowser(admin, 'GET', '/admin/queues', { accept: 'text/html' });
    const scripts = [...page.body.matchAll(/<script defer src="([^"]+\.js)"/g)].map((m) => `/admin/queues/${m[1]}`);
    assert.ok(scripts.length > 0, 'the page loads its scripts');
    const bundled = await Promise.all(scripts.map(async (url) => (await fromBrowser(admin, 'GET', url)).body));
    // Upgrading bull-board to a client that no longer does this would leave the admin unable to
    // act from the browser: this says so before anyone finds out at the desk.
    assert.ok(bundled.some((js) => js.includes('xsrfCookieName:"XSRF-TOKEN",xsrfHeaderName:"X-XSRF-TOKEN"')), 'axios’ XSRF defaults in the bundle');
  });
});
