import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { users } from '../../db/tables.ts';
import { ok } from '../helpers/answers.ts';
import { login, makePerson, PASSWORD, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The admin's pages, on Thanksgiving morning 2026, used as a browser uses them: signed in through
// the sign-in page, forms posted with their CSRF token, redirects followed.

const FREE_DAY = '2026-12-03'; // Thursday, nobody booked
const BUSY_DAY = '2026-12-02'; // Wednesday, two requests booked
const DESK_DAY = '2026-12-04'; // Friday, a box delivered at the desk

const signedIn = (room: TestReadingRoom, email: string, password = PASSWORD) => signedInBrowser(room.app, email, password);

describe('the admin pages', { timeout: 60_000 }, async () => {
  let room: TestReadingRoom;
  let admin: Person;
  let staff: Person;
  let curator: Person;
  let ada: Person;
  let ben: Person;
  let hub: FormBrowser;
  const box: Record<string, number> = {};

  const closures = async () => ok(await room.app.inject({ method: 'GET', url: '/api/v1/closures' })).items as { date: string; reason: string }[];
  const statusOf = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}`)).status as string;
  const submit = async (who: Person, visitDate: string, labels: string[]) =>
    (ok(await who.call('POST', '/api/v1/requests', { visitDate, containerIds: labels.map((l) => box[l]) }), 201).items as { id: number }[]).map((r) => r.id) as [number, ...number[]];
  const userRow = async (email: string) => (await room.db.select().from(users).where(eq(users.email, email)))[0];

  before(async () => {
    room = await startReadingRoom();
    admin = await makePerson(room, 'admin', 'Ada Admin');
    staff = await makePerson(room, 'staff', 'Sam Staff');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    ada = await makePerson(room, 'researcher', 'Ada Reader');
    ben = await makePerson(room, 'researcher', 'Ben Reader');
    const [collection] = ok(await room.app.inject({ method: 'GET', url: '/api/v1/collections?callNumber=GEN%20MSS%20238' })).items;
    for (const c of ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collection.id}` })).containers) box[c.label] = c.id;
    hub = await signedIn(room, admin.email);
  });

  after(async () => {
    await room?.close();
  });

  it('is the hub: closures, staff accounts and the link to the queue dashboard', async () => {
    const page = await hub.get('/admin');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /<h2 id="closures">Closures<\/h2>/);
    assert.match(page.body, /<h2 id="staff">Staff accounts<\/h2>/);
    assert.match(page.body, /<a class="button" href="\/admin\/queues">Open the queue dashboard<\/a>/);
    // The seeded holidays are upcoming closures, each with a Reopen button.
    assert.match(page.body, /Friday 25 December 2026/);
    assert.match(page.body, /action="\/admin\/closures\/2026-12-25\/reopen"/);
    for (const person of [admin, staff, curator]) assert.ok(page.body.includes(person.email), person.role);
    assert.ok(!page.body.includes(ada.email), 'researchers are not staff');
    for (const id of ['close-date', 'close-reason', 'new-name', 'new-email', 'new-password', 'new-role', `role-${staff.id}`]) {
      assert.match(page.body, new RegExp(`<label for="${id}"`), `a label for ${id}`);
    }
  });

  it('closes a free day: listed with its reason, said in a notice', async () => {
    const page = await hub.follow(await hub.post('/admin/closures', { date: FREE_DAY, reason: 'Staff training' }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /role="status">The reading room is closed on Thursday 3 December 2026\. No requests were booked for it\./);
    assert.match(page.body, /<td data-label="Day">Thursday 3 December 2026<\/td>\s*<td data-label="Reason">Staff training<\/td>/);
    assert.ok((await closures()).some((c) => c.date === FREE_DAY && c.reason === 'Staff training'));

    const twice = await hub.post('/admin/closures', { date: FREE_DAY, reason: 'Again' });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /role="alert">The reading room is already closed on 2026-12-03/);
  });

  it('refuses a form without a day or a reason, with the form filled in again', async () => {
    const noDate = await hub.post('/admin/closures', { date: '2026-02-30', reason: 'Inventory' });
    assert.equal(noDate.statusCode, 400);
    assert.match(noDate.body, /role="alert">Choose the day to close/);
    assert.match(noDate.body, /id="close-reason"[^>]*value="Inventory"/);
    const noReason = await hub.post('/admin/closures', { date: '2026-12-07', reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.ok(!(await closures()).some((c) => c.date === '2026-12-07'));
  });

  it('warns before closing a day with requests: how many, and that their researchers are told; nothing changes until confirmed', async () => {
    const [box1, box23] = await submit(ada, BUSY_DAY, ['Box 1', 'Box 23']);
    const [box2] = await submit(ben, BUSY_DAY, ['Box 2']);
    await hub.get('/admin');
    const warning = await hub.post('/admin/closures', { date: BUSY_DAY, reason: 'Burst pipe' });
    assert.equal(warning.statusCode, 409);
    assert.match(warning.body, /<h1>Close Wednesday 2 December 2026\?<\/h1>/);
    assert.match(warning.body, /3 requests are booked for Wednesday 2 December 2026/);
    assert.match(warning.body, /each of the 2 researchers is told by e-mail/);
    assert.ok(warning.body.includes('Ada Reader') && warning.body.includes('Ben Reader'));
    assert.match(warning.body, /<input type="checkbox" id="force" name="force" value="true" required>/);
    assert.match(warning.body, /<label for="force">Cancel these 3 requests and tell their researchers<\/label>/);
    assert.match(warning.body, /name="reason" value="Burst pipe"/);
    assert.ok(!(await closures()).some((c) => c.date === BUSY_DAY));
    for (const id of [box1, box2]) assert.equal(await statusOf(id), 'scheduled');
    assert.equal(await statusOf(box23!), 'awaiting_approval');

    const page = await hub.follow(await hub.post('/admin/closures', { date: BUSY_DAY, reason: 'Burst pipe', force: 'true' }));
    assert.match(page.body, /The reading room is closed on Wednesday 2 December 2026\. 3 requests were cancelled, and the researchers are being told\./);
    assert.ok((await closures()).some((c) => c.date === BUSY_DAY && c.reason === 'Burst pipe'));
    for (const id of [box1, box2, box23!]) assert.equal(await statusOf(id), 'cancelled');
  });

  it('refuses to close a day with a box out at the desk, even when confirmed', async () => {
    const [id] = await submit(ada, DESK_DAY, ['Box 3']);
    ok(await staff.call('POST', `/api/v1/users/${ada.id}/identity-verification`, { documentType: 'passport' }));
    ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'paged' }));
    ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'delivered' }));
    await hub.get('/admin');
    for (const force of [{}, { force: 'true' }] as Record<string, string>[]) {
      const refused = await hub.post('/admin/closures', { date: DESK_DAY, reason: 'Power cut', ...force });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /role="alert">1 container\(s\) are still out on 2026-12-04/);
      assert.ok(!refused.body.includes('name="force"'), 'no confirmation is offered');
    }
    assert.ok(!(await closures()).some((c) => c.date === DESK_DAY));
    assert.equal(await statusOf(id), 'delivered');
  });

  it('reopens a closed day', async () => {
    await hub.get('/admin');
    const page = await hub.follow(await hub.post(`/admin/closures/${FREE_DAY}/reopen`, {}));
    assert.match(page.body, /role="status">The reading room is open again on Thursday 3 December 2026\./);
    assert.ok(!page.body.includes(`action="/admin/closures/${FREE_DAY}/reopen"`));
    assert.ok(!(await closures()).some((c) => c.date === FREE_DAY));
    const again = await hub.post(`/admin/closures/${FREE_DAY}/reopen`, {});
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /The reading room is not closed on 2026-12-03/);
  });

  it('creates a staff account, who can sign in; an address in use is refused with the form kept', async () => {
    await hub.get('/admin');
    const fields = { name: 'Nell New', email: 'Nell.New@example.org', password: 'a long new staff password', role: 'staff' };
    const page = await hub.follow(await hub.post('/admin/users', fields));
    assert.match(page.body, /role="status">Account created: Nell New \(nell\.new@example\.org\) is paging staff and can sign in now\./);
    assert.ok(page.body.includes('nell.new@example.org'));
    assert.equal((await userRow('nell.new@example.org'))?.role, 'staff');
    assert.equal((await login(room.app, 'nell.new@example.org', fields.password)).statusCode, 200);

    const taken = await hub.post('/admin/users', { ...fields, name: 'Nell Again' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /role="alert">An account already uses nell\.new@example\.org\./);
    assert.match(taken.body, /id="new-name"[^>]*value="Nell Again"/);
    assert.ok(!taken.body.includes(fields.password), 'the password is never written back');

    const short = await hub.post('/admin/users', { ...fields, email: 'short@example.org', password: 'short' });
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /The password must have 12 to 128 characters/);
    const researcher = await hub.post('/admin/users', { ...fields, email: 'reader@example.org', role: 'researcher' });
    assert.equal(researcher.statusCode, 400);
    assert.equal(await userRow('short@example.org'), undefined);
    assert.equal(await userRow('reader@example.org'), undefined);
  });

  it('changes a role, which ends the person’s sessions', async () => {
    const nell = (await userRow('nell.new@example.org'))!;
    const nellBrowser = await signedIn(room, nell.email, 'a long new staff password');
    assert.equal((await nellBrowser.get('/review')).statusCode, 403, 'staff do not review restricted requests');
    await hub.get('/admin');
    const page = await hub.follow(await hub.post(`/admin/users/${nell.id}/role`, { role: 'curator' }));
    assert.match(page.body, /role="status">Nell New is now a curator; they must sign in again\./);
    assert.match(page.body, new RegExp(`<select id="role-${nell.id}" name="role">[^]*?<option value="curator" selected>`));
    assert.equal((await userRow(nell.email))?.role, 'curator');
    const stale = await nellBrowser.get('/review');
    assert.equal(stale.statusCode, 303, 'the old session no longer counts');
    const wrong = await hub.post(`/admin/users/${nell.id}/role`, { role: 'emperor' });
    assert.equal(wrong.statusCode, 400);
    assert.equal((await userRow(nell.email))?.role, 'curator');
  });

  it('disables an account (no more sign-in) and enables it again', async () => {
    const nell = (await userRow('nell.new@example.org'))!;
    await hub.get('/admin');
    const page = await hub.follow(await hub.post(`/admin/users/${nell.id}/access`, { disabled: 'true' }));
    assert.match(page.body, /role="status">Nell New&#39;s account is disabled/);
    assert.match(page.body, /Enable the account of Nell New/);
    const refused = await login(room.app, nell.email, 'a long new staff password');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'ACCOUNT_DISABLED');

    const enabled = await hub.follow(await hub.post(`/admin/users/${nell.id}/access`, { disabled: 'false' }));
    assert.match(enabled.body, /account is enabled again/);
    assert.equal((await login(room.app, nell.email, 'a long new staff password')).statusCode, 200);
    const missing = await hub.post('/admin/users/999999/access', { disabled: 'true' });
    assert.equal(missing.statusCode, 404);
  });

  it('does not let an admin demote or disable themselves from the page', async () => {
    const page = await hub.get('/admin');
    assert.ok(!page.body.includes(`id="role-${admin.id}"`));
    for (const [url, fields] of [
      [`/admin/users/${admin.id}/role`, { role: 'staff' }],
      [`/admin/users/${admin.id}/access`, { disabled: 'true' }],
    ] as const) {
      const refused = await hub.post(url, fields);
      assert.equal(refused.statusCode, 400);
    }
    const row = (await userRow(admin.email))!;
    assert.equal(row.role, 'admin');
    assert.equal(row.disabledAt, null);
  });

  it('opens the queue dashboard in the admin’s browser session', async () => {
    const page = await hub.get('/admin/queues');
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(String(page.headers['content-type']), /text\/html/);
    const stranger = await room.app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
    assert.equal(stranger.statusCode, 303);
  });

  it('is closed to staff, curators and researchers (403 page); a post changes nothing', async () => {
    for (const person of [staff, curator, ada]) {
      const b = await signedIn(room, person.email);
      const page = await b.get('/admin');
      assert.equal(page.statusCode, 403, person.role);
      assert.match(page.body, /This page is not open to your role/);
      const post = await b.post('/admin/closures', { date: '2026-12-07', reason: 'Not mine to close' });
      assert.equal(post.statusCode, 403, person.role);
      const role = await b.post(`/admin/users/${staff.id}/role`, { role: 'admin' });
      assert.equal(role.statusCode, 403, person.role);
      assert.equal((await b.get('/admin/queues')).statusCode, 403, person.role);
    }
    assert.ok(!(await closures()).some((c) => c.date === '2026-12-07'));
    assert.equal((await userRow(staff.email))?.role, 'staff');
    const visitor = await room.app.inject({ method: 'GET', url: '/admin' });
    assert.equal(visitor.statusCode, 303);
    assert.equal(visitor.headers.location, '/sign-in?next=%2Fadmin');
  });

  it('refuses a form post without the CSRF token: 403 CSRF_INVALID, nothing changed', async () => {
    await hub.get('/admin');
    const forged = await hub.post('/admin/closures', { date: '2026-12-07', reason: 'Forged' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().code, 'CSRF_INVALID');
    const forgedRole = await hub.post(`/admin/users/${staff.id}/role`, { role: 'admin' }, { csrf: false });
    assert.equal(forgedRole.json().code, 'CSRF_INVALID');
    assert.ok(!(await closures()).some((c) => c.date === '2026-12-07'));
    assert.equal((await userRow(staff.email))?.role, 'staff');
  });
});
