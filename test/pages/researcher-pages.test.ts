import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { outbox, requests } from '../../db/tables.ts';
import type { Role } from '../../db/tables.ts';
import { makeAccount, PASSWORD } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The researcher's pages as a browser uses them: signed in through the sign-in page, with the
// session and CSRF cookies kept between visits, forms posted as forms. The clock stands on
// Thursday 26 November 2026 (Thanksgiving), 10:00 in New York.

const RESTRICTION_NOTE =
  'Restricted fragile material. Reference surrogates have been substituted in the main files. For further information consult the appropriate curator.';
const FIRST_DAY = '2026-11-30';

let room: TestReadingRoom;

type Fields = Record<string, string | string[] | undefined>;

const formBody = (fields: Fields) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) body.append(name, one);
  }
  return body.toString();
};

/** A browser: its cookies, and the CSRF token of the last page it opened. */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';

  private keep(response: LightMyRequestResponse) {
    const set = response.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  private get cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string) {
    return this.keep(await room.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } }));
  }

  /** A form post; with `csrf: false` the token is left out, as a forged cross-site form would. */
  async post(url: string, fields: Fields = {}, { csrf = true } = {}) {
    const payload = formBody(csrf ? { ...fields, _csrf: this.csrf } : fields);
    return this.keep(
      await room.app.inject({ method: 'POST', url, headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' }, payload }),
    );
  }
}

let serial = 0;

/** An account made as an admin makes one, signed in through the real sign-in page. */
async function signedIn(role: Role, name: string): Promise<Browser & { id: number }> {
  serial += 1;
  const email = `page-${role}-${serial}@example.org`;
  const { user } = await makeAccount(room.db, role, { email, name });
  const browser = new Browser();
  const form = await browser.get('/sign-in');
  assert.equal(form.statusCode, 200);
  assert.ok(browser.csrf, 'the sign-in page carries a CSRF token');
  const response = await browser.post('/sign-in', { email, password: PASSWORD });
  assert.equal(response.statusCode, 303, response.body);
  assert.ok(browser.cookies.has('rr_session'), 'signed in: the session cookie is set');
  assert.ok(browser.cookies.has('_csrf'), 'the CSRF secret cookie is kept');
  return Object.assign(browser, { id: user.id });
}

interface Box {
  id: number;
  label: string;
  restricted: boolean;
}

let serge: { id: number; boxes: Box[] };
const box = (label: string) => {
  const found = serge.boxes.find((b) => b.label === label);
  assert.ok(found, label);
  return found;
};

const requestRows = async () => (await room.db.select().from(requests));
const outboxRows = async () => (await room.db.select().from(outbox));

/** The items of the page's list of boxes: label, whether it can be chosen, and its text. */
function boxItems(html: string) {
  const list = /<ul class="plain researcher-boxes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return list
    .split('<li>')
    .slice(1)
    .map((item) => ({
      label: (/<label for="box-\d+">([^<]+)<\/label>/.exec(item) ?? /<strong>([^<]+)<\/strong>/.exec(item))?.[1] ?? '',
      checkbox: /<input type="checkbox"/.test(item),
      checked: /<input type="checkbox"[^>]* checked>/.test(item),
      text: item.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
    }));
}

/** The visit date select's options: value, label, and the selected one. */
function dateOptions(html: string) {
  const select = /<select id="visit-date" name="date"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]+)"( selected)?>([^<]+)<\/option>/g)].map((m) => ({ value: m[1], selected: m[2] !== undefined, label: m[3] }));
}

let alice: Browser & { id: number };
let basil: Browser & { id: number };
let stella: Browser & { id: number };

before(async () => {
  room = await startReadingRoom();
  const found = (await room.app.inject({ method: 'GET', url: '/api/v1/collections?callNumber=GEN%20MSS%20238' })).json().items[0];
  // A list carries no containers (API v2): the collection itself does.
  serge = { id: found.id, boxes: (await room.app.inject({ method: 'GET', url: `/api/v1/collections/${found.id}` })).json().containers };
  alice = await signedIn('researcher', 'Alice Reader');
  basil = await signedIn('researcher', 'Basil Reader');
  stella = await signedIn('staff', 'Stella Stacks');
});
after(() => room.close());

describe('without a session', () => {
  it('every researcher page redirects to the sign-in page, and back afterwards', async () => {
    const anonymous = new Browser();
    for (const url of ['/collections', `/collections/${serge.id}`, '/requests', '/requests/1']) {
      const response = await anonymous.get(url);
      assert.equal(response.statusCode, 303, url);
      assert.equal(response.headers.location, `/sign-in?next=${encodeURIComponent(url)}`, url);
    }
    for (const url of ['/requests', '/requests/1/cancel']) {
      const response = await anonymous.post(url, { visitDate: FIRST_DAY, containerIds: '1' });
      assert.equal(response.statusCode, 303, url);
      assert.equal(response.headers.location, '/sign-in', url);
    }
  });

  it('a researcher signed in from such a redirect lands on the page asked for', async () => {
    const email = 'page-next@example.org';
    await makeAccount(room.db, 'researcher', { email, name: 'Nora Next' });
    const browser = new Browser();
    const next = `/collections/${serge.id}`;
    const form = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
    assert.match(form.body, new RegExp(`name="next" value="${next}"`));
    const response = await browser.post('/sign-in', { email, password: PASSWORD, next });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, next);
    assert.equal((await browser.get(next)).statusCode, 200);
  });
});

describe('the collection page', () => {
  it('lists the collections', async () => {
    const response = await alice.get('/collections');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`<a href="/collections/${serge.id}">Victor Serge papers</a>, GEN MSS 238`));
  });

  it('describes the collection, its series, and its 29 boxes with the restriction notes on 23–27 and the broadside', async () => {
    const response = await alice.get(`/collections/${serge.id}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<html lang="en">/);
    assert.match(response.body, /<h1>Victor Serge papers<\/h1>/);
    assert.match(response.body, /16 linear feet \(28 boxes\) \+ 1 broadside/);
    assert.equal((/<h2>Series<\/h2>\s*<ol>([\s\S]*?)<\/ol>/.exec(response.body)?.[1] ?? '').split('<li>').length - 1, 6);

    const items = boxItems(response.body);
    assert.deepEqual(
      items.map((i) => i.label),
      [...Array.from({ length: 28 }, (_, n) => `Box ${n + 1}`), 'Broadside'],
    );
    assert.ok(items.every((i) => i.checkbox && !i.checked), 'a researcher may choose any box');
    for (const item of items) {
      const restricted = item.label === 'Broadside' || [23, 24, 25, 26, 27].includes(Number(item.label.replace('Box ', '')));
      assert.equal(item.text.includes(RESTRICTION_NOTE), restricted, item.label);
      assert.ok(item.text.includes('available'), `${item.label} is available on the first open day`);
    }
    assert.match(response.body, /<fieldset class="researcher-choice">\s*<legend>Boxes to request for Monday 30 November 2026<\/legend>/);
    assert.match(response.body, /at most 10 boxes for one visit day/);
    assert.match(response.body, /<label for="note">/);
  });

  it('offers only open days, from the earliest visit date to the horizon, each as a person reads it', async () => {
    const response = await alice.get(`/collections/${serge.id}`);
    const options = dateOptions(response.body);
    assert.deepEqual(options[0], { value: FIRST_DAY, selected: true, label: 'Monday 30 November 2026' });
    assert.equal(options.filter((o) => o.selected).length, 1);

    // The calendar API is the oracle: its open days from the earliest visit date on.
    const calendar = (await room.app.inject({ method: 'GET', url: '/api/v1/calendar' })).json();
    assert.equal(calendar.earliestVisitDate, FIRST_DAY);
    const open = calendar.days.filter((d: { date: string; open: boolean }) => d.open && d.date >= FIRST_DAY).map((d: { date: string }) => d.date);
    assert.deepEqual(
      options.map((o) => o.value),
      open,
    );

    const values = options.map((o) => o.value ?? '');
    for (const date of values) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      assert.ok(weekday !== 0 && weekday !== 6, `${date} is a weekday`);
    }
    for (const closed of ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-12-25', '2027-01-01', '2027-01-18']) {
      assert.ok(!values.includes(closed), `${closed} is not offered`);
    }
    assert.ok((values.at(-1) ?? '') <= '2027-02-24', 'nothing past the 90-day horizon');
    assert.ok(values.includes('2027-02-24'), 'the horizon itself, a Wednesday, is offered');
    assert.ok(options.every((o) => /^(Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ 20\d\d$/.test(o.label ?? '')));
  });

  it('shows the chosen day, and says so when a day asked for is not open', async () => {
    const chosen = await alice.get(`/collections/${serge.id}?date=2026-12-02`);
    assert.equal(chosen.statusCode, 200);
    assert.equal(dateOptions(chosen.body).find((o) => o.selected)?.value, '2026-12-02');
    assert.match(chosen.body, /<input type="hidden" name="visitDate" value="2026-12-02">/);

    const closed = await alice.get(`/collections/${serge.id}?date=2026-11-28`);
    assert.equal(closed.statusCode, 200);
    assert.match(closed.body, /Saturday 28 November 2026 is not open for requests/);
    assert.equal(dateOptions(closed.body).find((o) => o.selected)?.value, FIRST_DAY);
  });

  it('shows other roles the boxes and their availability, without a request form', async () => {
    const response = await stella.get(`/collections/${serge.id}`);
    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, /action="\/requests"/);
    assert.equal(boxItems(response.body).length, 29);
    assert.ok(boxItems(response.body).every((i) => !i.checkbox));
  });

  it('an unknown collection is a 404 page', async () => {
    for (const url of ['/collections/999', '/collections/abc']) {
      const response = await alice.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /text\/html/);
    }
  });
});

describe('requesting boxes', () => {
  let box1Request: number;
  let box23Request: number;

  it('Box 1 and Box 23: one scheduled, one awaiting approval, shown on My requests', async () => {
    await alice.get(`/collections/${serge.id}`);
    const chosen = {
      visitDate: FIRST_DAY,
      collectionId: String(serge.id),
      containerIds: [String(box('Box 1').id), String(box('Box 23').id)],
      note: 'For the chapter on <i>Mexico</i>',
    };
    // Box 23 is restricted and has a reference copy: the copy is offered first (test/pages/finding-aid-pages.test.ts).
    const offered = await alice.post('/requests', chosen);
    assert.equal(offered.statusCode, 200, offered.body);
    assert.match(offered.body, /<strong>Box 23<\/strong>, instead of the original: Reference copy\./);
    const response = await alice.post('/requests', { ...chosen, originalReason: 'The annotations in the margins.' });
    assert.equal(response.statusCode, 303, response.body);
    const location = String(response.headers.location);
    assert.match(location, /^\/requests(\?|$)/);

    const mine = (await requestRows()).filter((r) => r.researcherId === alice.id);
    assert.equal(mine.length, 2);
    const box1 = mine.find((r) => r.containerId === box('Box 1').id);
    const box23 = mine.find((r) => r.containerId === box('Box 23').id);
    assert.equal(box1?.status, 'scheduled');
    assert.equal(box23?.status, 'awaiting_approval');
    assert.equal(box1?.visitDate, FIRST_DAY);
    assert.equal(box1?.note, 'For the chapter on <i>Mexico</i>');
    box1Request = box1?.id ?? 0;
    box23Request = box23?.id ?? 0;

    const page = await alice.get(location);
    assert.equal(page.statusCode, 200);
    const notice = /<div class="notice researcher-notice" role="status">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
    assert.match(notice, /Box 1, Victor Serge papers, for Monday 30 November 2026: scheduled/);
    assert.match(notice, /Box 23, Victor Serge papers, for Monday 30 November 2026: awaiting a curator&#39;s approval\. Restricted fragile material/);
    assert.match(page.body, /<h2>Upcoming visits<\/h2>\s*<section class="researcher-visit" aria-labelledby="visit-2026-11-30">\s*<h3 id="visit-2026-11-30">Monday 30 November 2026<\/h3>/);
    assert.match(page.body, /<strong>Box 1<\/strong>, Victor Serge papers \(GEN MSS 238\): <span class="researcher-status">scheduled<\/span>/);
    assert.match(page.body, /<strong>Box 23<\/strong>, Victor Serge papers \(GEN MSS 238\): <span class="researcher-status">awaiting a curator&#39;s approval<\/span><\/p>\s*<p class="restricted">Restricted fragile material/);
    assert.match(page.body, /Your note: For the chapter on &lt;i&gt;Mexico&lt;\/i&gt;/, 'what a researcher types arrives as text');
    assert.match(page.body, new RegExp(`<a href="/requests/${box1Request}">History`));
    assert.match(page.body, new RegExp(`action="/requests/${box1Request}/cancel"`));
    assert.match(page.body, new RegExp(`action="/requests/${box23Request}/cancel"`));
  });

  it('the collection page then shows those boxes as requested, and another reader sees Box 1 as held', async () => {
    const own = boxItems((await alice.get(`/collections/${serge.id}`)).body);
    const ownBox1 = own.find((i) => i.label === 'Box 1');
    assert.equal(ownBox1?.checkbox, false, 'a box already requested that day cannot be chosen twice');
    assert.match(ownBox1?.text ?? '', /You have requested it for this day: scheduled/);
    assert.match((await alice.get(`/collections/${serge.id}`)).body, /you already have 2 for this day/);

    const other = boxItems((await basil.get(`/collections/${serge.id}`)).body);
    assert.match(other.find((i) => i.label === 'Box 1')?.text ?? '', /held by another reader: you would join the waiting list/);
    assert.match(other.find((i) => i.label === 'Box 23')?.text ?? '', /available/, 'a request awaiting approval holds nothing');
  });

  it('a box another reader holds puts the request on the waiting list, and the notice says so', async () => {
    await basil.get(`/collections/${serge.id}`);
    const response = await basil.post('/requests', { visitDate: FIRST_DAY, collectionId: String(serge.id), containerIds: String(box('Box 1').id) });
    assert.equal(response.statusCode, 303, response.body);
    const page = await basil.get(String(response.headers.location));
    assert.match(page.body, /Box 1, Victor Serge papers, for Monday 30 November 2026: on the waiting list: another reader holds it that day/);
    assert.equal((await requestRows()).find((r) => r.researcherId === basil.id)?.status, 'waitlisted');
  });

  it('a refused submission shows the message on the collection page with the selection kept, and changes nothing', async () => {
    const before = { requests: await requestRows(), outbox: await outboxRows() };
    await alice.get(`/collections/${serge.id}`);
    // Crafted: the form offers no day before Monday 30 November.
    const response = await alice.post('/requests', {
      visitDate: '2026-11-27',
      collectionId: String(serge.id),
      containerIds: [String(box('Box 2').id), String(box('Box 24').id)],
      note: 'Keep this note',
    });
    assert.equal(response.statusCode, 422);
    assert.match(String(response.headers['content-type']), /text\/html/);
    assert.match(response.body, /<p class="problem" role="alert">Requests must be made at least two business days ahead; the earliest visit date is Monday 30 November 2026\.<\/p>/);
    const items = boxItems(response.body);
    assert.deepEqual(
      items.filter((i) => i.checked).map((i) => i.label),
      ['Box 2', 'Box 24'],
    );
    assert.match(response.body, /<textarea id="note" name="note"[^>]*>Keep this note<\/textarea>/);
    assert.deepEqual(await requestRows(), before.requests);
    assert.deepEqual(await outboxRows(), before.outbox);
  });

  it('other refusals are shown the same way: a box already requested, no box at all', async () => {
    const before = await requestRows();
    await alice.get(`/collections/${serge.id}`);
    const duplicate = await alice.post('/requests', { visitDate: FIRST_DAY, collectionId: String(serge.id), containerIds: String(box('Box 1').id) });
    assert.equal(duplicate.statusCode, 409);
    assert.match(duplicate.body, /You already have an active request for Box 1 on Monday 30 November 2026\./);
    const none = await alice.post('/requests', { visitDate: FIRST_DAY, collectionId: String(serge.id) });
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Choose at least one folder or box/);
    assert.deepEqual(await requestRows(), before);
  });

  it('a post without the CSRF token is refused with 403 CSRF_INVALID, and changes nothing', async () => {
    const before = { requests: await requestRows(), outbox: await outboxRows() };
    await alice.get(`/collections/${serge.id}`);
    const submit = await alice.post('/requests', { visitDate: '2026-12-02', collectionId: String(serge.id), containerIds: String(box('Box 3').id) }, { csrf: false });
    assert.equal(submit.statusCode, 403);
    assert.equal(submit.json().code, 'CSRF_INVALID');
    const cancel = await alice.post(`/requests/${box1Request}/cancel`, {}, { csrf: false });
    assert.equal(cancel.statusCode, 403);
    assert.equal(cancel.json().code, 'CSRF_INVALID');
    assert.deepEqual(await requestRows(), before.requests);
    assert.deepEqual(await outboxRows(), before.outbox);
  });

  it('a request page shows the request and its history, with readable times in the reading room’s zone', async () => {
    const response = await alice.get(`/requests/${box23Request}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h1>Box 23 for Monday 30 November 2026<\/h1>/);
    assert.match(response.body, /<dt>Restriction<\/dt><dd class="restricted">Restricted fragile material/);
    assert.match(response.body, /<td data-label="When">Thursday 26 November 2026 at 10:00<\/td>\s*<td data-label="What happened">Requested: awaiting a curator&#39;s approval<\/td>\s*<td data-label="By">you<\/td>/);
  });

  it('another researcher’s request is a 404 page, to see or to cancel', async () => {
    await basil.get('/requests');
    const seen = await basil.get(`/requests/${box1Request}`);
    assert.equal(seen.statusCode, 404);
    assert.match(String(seen.headers['content-type']), /text\/html/);
    assert.doesNotMatch(seen.body, /Alice/);
    const cancelled = await basil.post(`/requests/${box1Request}/cancel`);
    assert.equal(cancelled.statusCode, 404);
    assert.equal((await requestRows()).find((r) => r.id === box1Request)?.status, 'scheduled');
    assert.equal((await basil.get('/requests/999999')).statusCode, 404);
  });

  it('cancelling confirms on the page, with no mail, and gives the box to the waiting list', async () => {
    const mailBefore = (await outboxRows()).filter((r) => r.jobName === 'request-cancelled').length;
    await alice.get('/requests');
    const response = await alice.post(`/requests/${box1Request}/cancel`);
    assert.equal(response.statusCode, 303, response.body);
    assert.match(String(response.headers.location), /^\/requests(\?|$)/);
    const page = await alice.get(String(response.headers.location));
    assert.match(page.body, /<p class="notice" role="status">Cancelled\./);
    assert.match(page.body, /<strong>Box 1<\/strong>, Victor Serge papers \(GEN MSS 238\): <span class="researcher-status">cancelled<\/span>/);
    assert.doesNotMatch(page.body, new RegExp(`action="/requests/${box1Request}/cancel"`), 'a cancelled request offers no Cancel button');
    assert.equal((await requestRows()).find((r) => r.id === box1Request)?.status, 'cancelled');
    assert.equal((await outboxRows()).filter((r) => r.jobName === 'request-cancelled').length, mailBefore, 'a researcher’s own cancellation is not mailed');
    assert.equal((await requestRows()).find((r) => r.researcherId === basil.id)?.status, 'scheduled', 'the waiting reader gets the box');

    const again = await alice.post(`/requests/${box1Request}/cancel`);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /role="alert"/);
  });

  it('My requests and request pages are the researcher’s: staff get a page saying no', async () => {
    const response = await stella.get('/requests');
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /not open to your role/);
    const post = await stella.post('/requests', { visitDate: FIRST_DAY, containerIds: String(box('Box 5').id) });
    assert.equal(post.statusCode, 403);
    assert.equal((await requestRows()).filter((r) => r.researcherId === stella.id).length, 0);
  });
});

describe('the pages’ markup', () => {
  it('labels every control and carries no inline style', async () => {
    for (const url of [`/collections/${serge.id}`, '/requests', '/collections']) {
      const { body } = await alice.get(url);
      assert.doesNotMatch(body, /<style|style="/, url);
      const ids = [...body.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
      const controls = [...body.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>/g)];
      assert.equal(ids.length, controls.length, `${url}: every visible control has an id`);
      for (const id of ids) assert.match(body, new RegExp(`<label for="${id}"`), `${url}: #${id} has a label`);
    }
  });
});
