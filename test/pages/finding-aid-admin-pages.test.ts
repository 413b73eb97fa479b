import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { collections } from '../../db/tables.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { testFindingAid, TEST_CALL_NUMBER } from './finding-aid-ead.ts';

// The admin's upload of a finding aid, as a browser without JavaScript sends it: a file in a
// multipart/form-data post, with the CSRF token of the page.

const MAX_BYTES = 8 * 1024;
const collectionRow = async (room: TestReadingRoom, callNumber: string) => (await room.db.select().from(collections).where(eq(collections.callNumber, callNumber)))[0];

describe('the finding-aid upload page', { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let admin: Person;
  let curator: Person;
  let browser: FormBrowser;
  const upload = (content: string | Buffer, options?: { csrf?: boolean }) =>
    browser.upload('/admin/finding-aids', { field: 'findingAid', filename: 'test-mss-1.xml', content }, options);

  before(async () => {
    room = await startReadingRoom({ env: { IMPORT_MAX_BYTES: String(MAX_BYTES) } });
    admin = await makePerson(room, 'admin', 'Ada Admin');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    browser = await signedInBrowser(room.app, admin.email, admin.password);
  });

  after(async () => {
    await room?.close();
  });

  it('is linked from the admin hub, with a file input in a multipart form carrying the CSRF token', async () => {
    const hub = await browser.get('/admin');
    assert.match(hub.body, /<a class="button" href="\/admin\/finding-aids">Import a finding aid<\/a>/);
    const page = await browser.get('/admin/finding-aids');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/admin\/finding-aids" enctype="multipart\/form-data"/);
    assert.match(page.body, /<input type="hidden" name="_csrf" value="[^"]+">/);
    assert.match(page.body, /<label for="finding-aid-file">EAD file<\/label>\s*<input id="finding-aid-file" name="findingAid" type="file"/);
    assert.match(page.body, /up to 8 KiB/);
  });

  it('is for admins only', async () => {
    const other = await signedInBrowser(room.app, curator.email, curator.password);
    assert.equal((await other.get('/admin/finding-aids')).statusCode, 403);
  });

  it('imports a finding aid and shows the result: the collection, counts, restriction texts as read, warnings', async () => {
    await browser.get('/admin/finding-aids');
    const page = await upload(testFindingAid());
    assert.equal(page.statusCode, 200, page.body);
    const row = await collectionRow(room, TEST_CALL_NUMBER);
    assert.ok(row, 'the collection is imported');
    assert.match(page.body, /<h2 id="imported">Collection created: TEST MSS 1<\/h2>/);
    assert.match(page.body, new RegExp(`<a href="/collections/${row.id}">Papers of Tess Tester</a> \\(TEST MSS 1\\)`));
    assert.match(page.body, new RegExp(`href="/collections/${row.id}/containers">the containers</a>`));
    assert.match(page.body, /<dt>Components<\/dt><dd>7<\/dd>/);
    // Boxes 1, 2 and 3, and "Box 9-7" kept as written.
    assert.match(page.body, /<dd>4 added, 0 updated, 0 unchanged, 0 withdrawn/);
    assert.match(page.body, /<dt>Restricted today<\/dt><dd>2 containers<\/dd>/);
    const texts = [...page.body.matchAll(/<td data-label="Access note">([^<]*)<\/td>\s*<td data-label="Read as">([^<]*)<\/td>\s*<td data-label="Components">(\d+)<\/td>/g)].map((m) => m.slice(1));
    assert.deepEqual(texts, [
      ['Closed until 2045.', 'Restricted until Sunday 1 January 2045', '1'],
      ['This folder is open.', 'Open', '1'],
      ['Sealed by the donor.', 'Restricted, no end stated', '1'],
    ]);
    const warnings = /<ul class="warnings"[^>]*>([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
    assert.match(warnings, /9-7/, 'the descending range is kept as written, with a warning');
    assert.match(warnings, /Ephemera/, 'the component housed nowhere is named');
  });

  it('says “updated” when the same finding aid comes again, every container unchanged', async () => {
    await browser.get('/admin/finding-aids');
    const page = await upload(testFindingAid({ title: 'Papers of Tess Tester, revised' }));
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Collection updated: TEST MSS 1/);
    assert.match(page.body, /<dd>0 added, 0 updated, 4 unchanged, 0 withdrawn/);
    assert.equal((await collectionRow(room, TEST_CALL_NUMBER))?.title, 'Papers of Tess Tester, revised');
  });

  it('shows INVALID_EAD and CALL_NUMBER_TAKEN as refusals on the page, the form offered again, nothing changed', async () => {
    await browser.get('/admin/finding-aids');
    const bad = await upload('<ead xmlns="urn:isbn:1-931666-22-9"><archdesc>');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.headers['content-type'] as string, /text\/html/);
    assert.match(bad.body, /<p class="problem" role="alert">[^<]*line/);
    assert.match(bad.body, /enctype="multipart\/form-data"/);

    const notEad = await upload('<html><body>Hello</body></html>');
    assert.equal(notEad.statusCode, 400);
    assert.match(notEad.body, /role="alert">Not an EAD document/);

    const taken = await upload(testFindingAid({ eadId: 'another-finding-aid', title: 'Someone else' }));
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /role="alert">The call number TEST MSS 1 belongs to the collection imported from the finding aid test-mss-1/);
    assert.equal((await collectionRow(room, TEST_CALL_NUMBER))?.title, 'Papers of Tess Tester, revised');
  });

  it('refuses a file over IMPORT_MAX_BYTES on the page (413), and a post without a file', async () => {
    await browser.get('/admin/finding-aids');
    const padding = `<!-- ${'x'.repeat(MAX_BYTES)} -->`;
    const big = await upload(testFindingAid({ callNumber: 'TEST MSS 2', eadId: 'test-mss-2' }).replace('<eadheader>', `${padding}<eadheader>`));
    assert.equal(big.statusCode, 413);
    assert.match(big.headers['content-type'] as string, /text\/html/);
    assert.match(big.body, /role="alert">The file is too large: a finding aid may have up to 8 KiB\./);
    assert.equal(await collectionRow(room, 'TEST MSS 2'), undefined);

    await browser.get('/admin/finding-aids');
    const empty = await upload('');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /role="alert">Choose the EAD file of the finding aid to import\./);
  });

  it('answers a multipart body cut short, or without its boundary, with the page and a problem: never a 500', async () => {
    await browser.get('/admin/finding-aids');
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    for (const [contentType, payload] of [
      ['multipart/form-data; boundary=cut', '--cut\r\nContent-Disposition: form-data; name="findingAid"; filename="a.xml"\r\n\r\n<ead'],
      ['multipart/form-data', 'no boundary'],
    ] as const) {
      const answer = await room.app.inject({ method: 'POST', url: '/admin/finding-aids', headers: { cookie, 'content-type': contentType }, payload });
      assert.equal(answer.statusCode, 400, contentType);
      assert.match(answer.body, /role="alert">The upload could not be read: send one EAD file with this form\./);
    }
  });

  it('refuses an upload without the CSRF token: 403 CSRF_INVALID, nothing imported', async () => {
    await browser.get('/admin/finding-aids');
    const forged = await upload(testFindingAid({ callNumber: 'TEST MSS 3', eadId: 'test-mss-3' }), { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().code, 'CSRF_INVALID');
    assert.equal(await collectionRow(room, 'TEST MSS 3'), undefined);
  });
});
