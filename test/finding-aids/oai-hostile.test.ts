import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { listRecords, OaiError } from '../../src/finding-aids/oai-harvest.ts';

// Repositories that would lead a harvest astray: a redirect to another host, a resumption token
// that comes back, credentials in the address.

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const pageWithToken = (token: string) =>
  `<?xml version="1.0"?><OAI-PMH xmlns="${OAI}"><responseDate>2026-11-30T00:00:00Z</responseDate><request verb="ListRecords">x</request>` +
  `<ListRecords><resumptionToken>${token}</resumptionToken></ListRecords></OAI-PMH>`;

let server: Server;
let base = '';
let elsewhereHits = 0;
before(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/moved') return response.writeHead(302, { location: `${base}/elsewhere` }).end();
    if (url.pathname === '/elsewhere') {
      elsewhereHits++;
      return response.writeHead(200, { 'content-type': 'text/xml' }).end(pageWithToken(''));
    }
    if (url.pathname === '/long') {
      return response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(`<?xml version="1.0"?><OAI-PMH xmlns="${OAI}"><error code="badArgument">${'x'.repeat(50_000)}</error></OAI-PMH>`);
    }
    // The same token, every page.
    return response.writeHead(200, { 'content-type': 'text/xml' }).end(pageWithToken('again'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const harvest = async (url: string, maxRecordChars = 1_000_000) => {
  for await (const record of listRecords({ url, maxRecordChars, timeoutMs: 5_000 })) void record;
};

describe('a harvest led astray', () => {
  it('does not follow a redirect (to another host or not)', async () => {
    await assert.rejects(harvest(`${base}/moved`), (error: unknown) => error instanceof OaiError && error.code === 'http');
    assert.equal(elsewhereHits, 0);
  });

  it('stops when the repository gives a resumption token a second time', async () => {
    await assert.rejects(harvest(`${base}/oai`), (error: unknown) => error instanceof OaiError && error.code === 'badResumptionToken');
  });

  it('stops at a text longer than any record may be, instead of keeping it all', async () => {
    await assert.rejects(harvest(`${base}/long`, 10_000), (error: unknown) => error instanceof OaiError && error.code === 'malformed');
  });

  it('refuses an address with a user name and password, and never repeats the password', async () => {
    await assert.rejects(harvest(`http://archivist:s3cret@127.0.0.1:9/oai`), (error: unknown) => error instanceof OaiError && !error.message.includes('s3cret'));
  });
});
