import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { roleMayCall } from '../../src/http/auth.ts';
import { renderMail } from '../../src/mail/render.ts';
import { roomClock } from '../../src/paging/runs.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { attachmentsFor } from '../../workers/notifications/attachments.ts';
import { ok } from '../helpers/answers.ts';
import { declaredRoutes } from '../helpers/declared-routes.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { mailsSince } from '../helpers/outbox-mail.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { testFindingAid } from '../pages/finding-aid-ead.ts';

// "A staff note is never shown to the researcher: not in the API, not on a page, not in an e-mail,
// not in an attachment." A full reading-room week for one researcher, from Thanksgiving morning to
// the Tuesday after: her requests (by the collection page, by staff on her behalf), the waiting
// list, a curator's approval and refusal, an appointment booked and cancelled, staff cancelling,
// the reminders, delivery, a hold and its end, closing time. Staff and a curator write a note for
// staff only, carrying a unique marker, on every request of hers, through their pages' forms. Then
// every page and API answer she can reach, every mail to her (rendered as the worker renders it,
// with its attachments) and the call slips (which go with the boxes to her table) are searched for
// the marker: in none of them; on the desk's and the curator's pages, there.

const MARKER = `staff-only-${randomBytes(6).toString('hex')}`;
const STAFF_NOTE = `Reader was short with us on the telephone (${MARKER}).`;
const CURATOR_NOTE = `Donor asked to be told of any use (${MARKER}).`;
const FOR_ROSA = 'Your boxes will be at the desk from 10:00.';

const FRIDAY = '2026-11-27';
const MONDAY = '2026-11-30';
const TUESDAY = '2026-12-01';

/** The marker in a text, whitespace removed too: a calendar file folds long lines, a PDF breaks them. */
const holdsMarker = (text: string) => text.includes(MARKER) || text.replace(/\s+/g, '').includes(MARKER);

describe('a staff note never reaches the researcher', { timeout: 180_000 }, () => {
  let room: TestReadingRoom;
  let rosa: Person;
  let otto: Person;
  let staff: Person;
  let curator: Person;
  let own: FormBrowser;
  let desk: FormBrowser;
  let review: FormBrowser;
  /** Rosa's requests by box. */
  const hers: Record<string, number> = {};
  /** What the call slips of her visit days say. */
  const slips: string[] = [];

  /** Moves the clock to a local time and runs the reading room's timed work, as the paging worker does every minute. */
  const at = (date: string, time: string) => {
    const now = localInstant(date, time);
    room.setNow(now);
    return roomClock(requestsContext(room.db, room.config), now);
  };
  const herRequests = async () => ok(await rosa.call('GET', '/api/v1/requests?limit=200')).items as { id: number; containerLabel: string; containerId: number; status: string }[];
  const remember = async () => {
    for (const r of await herRequests()) hers[r.containerLabel] = r.id;
  };
  const expect303 = (answer: LightMyRequestResponse, what: string) => assert.equal(answer.statusCode, 303, `${what}: ${/role="alert">([^<]*)/.exec(answer.body)?.[1] ?? answer.body.slice(0, 200)}`);
  const move = async (id: number, to: string, extra: Record<string, string> = {}) => {
    await desk.get(`/desk/requests/${id}`);
    expect303(await desk.post(`/paging/requests/${id}/transition`, { to, back: `/desk/requests/${id}`, ...extra }), `${to} ${id}`);
  };
  const callSlips = async (date: string) => {
    const pdf = await desk.get(`/paging/call-slips.pdf?date=${date}`);
    assert.equal(pdf.statusCode, 200);
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /Rosa Reader/, `the slips of ${date} are read: her name is on them`);
    slips.push(text);
  };

  before(async () => {
    room = await startReadingRoom();
    rosa = await makePerson(room, 'researcher', 'Rosa Reader');
    otto = await makePerson(room, 'researcher', 'Otto Other');
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    const admin = await makePerson(room, 'admin', 'Ada Admin');
    // A finding aid too, so that every page of folders and components has something to show.
    const imported = await room.app.inject({ method: 'POST', url: '/api/v1/collections/import', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' }, payload: testFindingAid() });
    ok(imported, 201);
    own = await signedInBrowser(room.app, rosa.email, rosa.password);
    desk = await signedInBrowser(room.app, staff.email, staff.password);
    review = await signedInBrowser(room.app, curator.email, curator.password);
  });
  after(async () => {
    await room?.close();
  });

  it('Thursday: her requests, on her own and on her behalf, with the waiting list, a curator’s decisions, an appointment and a cancellation', async () => {
    await at('2026-11-26', '10:00');
    await own.get('/collections/1');
    // Boxes 23 to 25 are restricted, with a reference copy: she says why she needs the originals.
    expect303(await own.post('/requests', { collectionId: '1', visitDate: MONDAY, containerIds: ['1', '2', '23', '24', '25'], originalReason: 'The annotations in the margins.' }), 'her request');
    const ottos = ok(await otto.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [3] }), 201).items as { id: number }[];
    await own.get('/collections/1');
    expect303(await own.post('/requests', { collectionId: '1', visitDate: MONDAY, containerIds: ['3'] }), 'Box 3, held by Otto');
    ok(await otto.call('POST', `/api/v1/requests/${ottos[0]!.id}/cancel`, { reason: 'Plans changed' }));
    ok(await rosa.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [6] }), 201);
    await desk.get('/desk/on-behalf');
    expect303(await desk.post('/desk/on-behalf', { researcherId: String(rosa.id), collectionId: '1', visitDate: FRIDAY, containerIds: '5', overrideLeadTime: 'true' }), 'on her behalf');
    await remember();
    assert.deepEqual(Object.keys(hers).sort(), ['Box 1', 'Box 2', 'Box 23', 'Box 24', 'Box 25', 'Box 3', 'Box 5', 'Box 6']);

    // The staff note on every request of hers, from the desk's page; one for her, on Box 1.
    for (const id of Object.values(hers)) {
      await desk.get(`/desk/requests/${id}`);
      expect303(await desk.post(`/desk/requests/${id}/notes`, { text: STAFF_NOTE, visibility: 'staff' }), `staff note on ${id}`);
    }
    expect303(await desk.post(`/desk/requests/${hers['Box 1']}/notes`, { text: FOR_ROSA, visibility: 'researcher' }), 'her note');
    // The curator's, from the queue, where the marker shows: the search below can find it.
    for (const box of ['Box 23', 'Box 24', 'Box 25']) {
      await review.get('/review');
      expect303(await review.post(`/review/requests/${hers[box]}/notes`, { text: CURATOR_NOTE, visibility: 'staff' }), `curator's note on ${box}`);
    }
    assert.ok(holdsMarker((await review.get('/review')).body), "the curator's queue shows the staff notes");
    expect303(await review.post(`/review/requests/${hers['Box 23']}/approve`, { note: 'Please use the cradle.' }), 'approve Box 23');
    expect303(await review.post(`/review/requests/${hers['Box 24']}/deny`, { note: 'Too fragile to handle.' }), 'deny Box 24');

    ok(await staff.call('POST', `/api/v1/requests/${hers['Box 6']}/cancel`, { reason: 'The box is at the conservator.' }));
    await own.get('/visit');
    const booked = await own.post('/visit/book', { room: '1', date: '2026-12-02' });
    expect303(booked, 'book an appointment');
    const appointment = /booked=(\d+)/.exec(String(booked.headers.location))?.[1];
    expect303(await own.post(`/appointments/${appointment}/cancel`), 'cancel it');
  });

  it('Friday: the visit on her behalf, its slip, the reminders for Monday, closing time', async () => {
    await at(FRIDAY, '08:00');
    await callSlips(FRIDAY);
    assert.ok((await at(FRIDAY, '09:30')).some((run) => run.run === 'visit-reminders'));
    assert.ok((await at(FRIDAY, '17:30')).some((run) => run.run === 'closing-time'));
  });

  it('Monday: the slips, her photo ID, Box 1 delivered, taken back and kept on hold; the hold’s reminder; closing time', async () => {
    await at(MONDAY, '08:00');
    await callSlips(MONDAY);
    await desk.get(`/desk?q=rosa`);
    expect303(await desk.post(`/desk/researchers/${rosa.id}/identity-check`, { documentType: 'passport', back: '/desk?q=rosa' }), 'photo ID');
    for (const to of ['paged', 'delivered', 'returned']) await move(hers['Box 1']!, to);
    await move(hers['Box 1']!, 'on_hold', { holdUntil: TUESDAY });
    assert.ok((await at(MONDAY, '09:30')).some((run) => run.run === 'visit-reminders'));
    assert.ok((await at(MONDAY, '17:30')).some((run) => run.run === 'closing-time'));
  });

  it('Tuesday: the hold ends at closing time', async () => {
    assert.ok((await at(TUESDAY, '17:30')).some((run) => run.run === 'closing-time'));
    const statuses = Object.fromEntries((await herRequests()).map((r) => [r.containerLabel, r.status]));
    assert.deepEqual(statuses, {
      'Box 1': 'reshelved',
      'Box 2': 'no_show',
      'Box 3': 'no_show',
      'Box 5': 'no_show',
      'Box 6': 'cancelled',
      'Box 23': 'no_show',
      'Box 24': 'denied',
      'Box 25': 'cancelled',
    });
  });

  it("the staff notes are on the desk's page of every request of hers, and in the staff's answers", async () => {
    for (const id of Object.values(hers)) {
      assert.ok(holdsMarker((await desk.get(`/desk/requests/${id}`)).body), `the desk's page of ${id}`);
      assert.ok(holdsMarker((await staff.call('GET', `/api/v1/requests/${id}/notes`)).body), `the notes of ${id}`);
    }
  });

  it('no page or API answer she can reach holds it: every GET route open to her, with every id of hers, as a browser and as an API client', async () => {
    const requests = await herRequests();
    const appointments = (ok(await rosa.call('GET', '/api/v1/appointments?limit=200')).items as { id: number }[]).map((a) => a.id);
    const requestIds = requests.map((r) => r.id);
    const collections = (ok(await rosa.call('GET', '/api/v1/collections')).items as { id: number }[]).map((c) => c.id);
    const components: number[] = [];
    for (const id of collections) {
      for (const c of ok(await rosa.call('GET', `/api/v1/collections/${id}/components`)).items as { id: number }[]) components.push(c.id);
    }
    /** Each route parameter, filled with everything of hers (and the catalogue's) it may name. */
    const values: Record<string, number[]> = {
      id: [...new Set([...requestIds, ...appointments])],
      collectionId: collections,
      componentId: components,
      containerId: requests.map((r) => r.containerId),
    };
    const boxes = requests.map((r) => `containerIds=${r.containerId}`).join('&');
    /** Addresses that show more with a query: her notices, her days, her boxes, searches. */
    const queries: Record<string, string[]> = {
      '/requests': [`?submitted=${requestIds.join(',')}`, ...requestIds.map((id) => `?cancelled=${id}&released=${id}`)],
      '/appointments': appointments.map((id) => `?booked=${id}&cancelled=${id}`),
      '/visit': ['?month=2026-11', `?month=2026-12&${boxes}`],
      '/collections/:collectionId': [FRIDAY, MONDAY, TUESDAY].map((date) => `?date=${date}&${boxes}`),
      '/api/v1/requests': ['?limit=200', ...[FRIDAY, MONDAY].map((date) => `?visitDate=${date}`)],
      '/api/v1/appointments': ['?limit=200'],
      '/api/v1/collections/:collectionId/containers': [`?date=${MONDAY}`],
      '/api/v1/search': ['?q=serge', '?q=letters'],
      '/search': ['?q=serge', '?q=letters'],
      '/request': ['?callNumber=GEN%20MSS%20238&container=Box%201'],
      // Without a token, the page of a verification mail's link asks for the link (400).
      '/verify-email': ['?token=from-the-mail'],
    };
    const { routes, app } = await declaredRoutes({ config: room.config, db: room.db, redis: room.redis, clock: () => new Date() });
    await app.close();
    // Swagger UI's static files (`/docs/static/*`) are files of the package, the same for everyone.
    const open = routes.filter((r) => r.method === 'GET' && !r.url.endsWith('*') && (r.access === undefined || roleMayCall('researcher', r.access as Parameters<typeof roleMayCall>[1])));
    assert.ok(open.some((r) => r.url === '/requests/:id') && open.some((r) => r.url === '/api/v1/requests/:id/notes'), 'her routes are among them');

    const answered = new Map<string, number>();
    const leaks: string[] = [];
    for (const route of open) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      assert.ok(params.length <= 1, `${route.url}: one parameter at most, as every route open to her has`);
      const paths = params.length === 0 ? [route.url] : (values[params[0]!] ?? []).map((v) => route.url.replace(`:${params[0]}`, String(v)));
      assert.ok(paths.length > 0, `${route.url}: something to fill it with`);
      for (const path of paths) {
        for (const url of [path, ...(queries[route.url] ?? []).map((q) => `${path}${q}`)]) {
          for (const fetch of [() => own.get(url), () => rosa.call('GET', url)]) {
            let answer = await fetch();
            // A redirect within the site (her home, a finding-aid site's link) is followed once.
            if (answer.statusCode === 303 && String(answer.headers.location).startsWith('/') && !String(answer.headers.location).startsWith('/sign-in')) {
              if (holdsMarker(answer.body)) leaks.push(url);
              answer = await own.get(String(answer.headers.location));
            }
            if (answer.statusCode < 400) answered.set(route.url, (answered.get(route.url) ?? 0) + 1);
            if (holdsMarker(`${JSON.stringify(answer.headers)}\n${answer.body}`)) leaks.push(url);
          }
        }
      }
    }
    assert.deepEqual(leaks, [], 'answers that hold a staff note');
    assert.deepEqual(open.map((r) => r.url).filter((url) => !answered.has(url)), [], 'every route open to her answered her at least once');
    // Her own request page does show the note written for her: the search reads the right pages.
    assert.ok((await own.get(`/requests/${hers['Box 1']}`)).body.includes(FOR_ROSA));
  });

  it('no mail to her holds it, in its subject, HTML, text or attachments, as the notification worker renders them', async () => {
    const settings = { libraryName: room.config.libraryName, publicUrl: room.config.publicUrl };
    const mails = (await mailsSince(room.db, 0)).filter((m) => m.mail.to.email === rosa.email);
    const kinds = new Set(mails.map((m) => m.mail.kind));
    assert.deepEqual([...kinds].sort(), [
      'appointment-booked',
      'appointment-cancelled',
      'hold-ended',
      'hold-ending',
      'hold-placed',
      'request-approved',
      'request-cancelled',
      'request-denied',
      'request-note',
      'requests-submitted',
      'visit-reminder',
      'waitlist-promoted',
    ]);
    let attachments = 0;
    for (const { id, mail } of mails) {
      const rendered = renderMail(mail, settings);
      const files = attachmentsFor(mail, settings) ?? [];
      attachments += files.length;
      for (const [part, text] of [['subject', rendered.subject], ['HTML', rendered.html], ['text', rendered.text], ...files.map((f) => [f.filename, f.content])] as const) {
        assert.ok(!holdsMarker(text), `mail ${id} (${mail.kind}), its ${part}`);
      }
    }
    assert.ok(attachments >= 4, `the calendar files are searched too (${attachments})`);
    const note = mails.find((m) => m.mail.kind === 'request-note');
    assert.ok(note && renderMail(note.mail, settings).text.includes(FOR_ROSA), 'the note written for her is in her mail: the search reads the right texts');
    // Staff were mailed too (the pick lists, closing time), but never a note: nothing but pages carries one.
    assert.ok((await mailsSince(room.db, 0)).some((m) => m.mail.to.email === staff.email));
  });

  it('the call slips, which go with the boxes to her table, hold no note', () => {
    assert.equal(slips.length, 2);
    for (const text of slips) assert.ok(!holdsMarker(text));
  });
});
