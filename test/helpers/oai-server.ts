import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { decodeDocument } from '../../src/finding-aids/encoding.ts';

// A small OAI-PMH repository for the harvest's tests: the shared EAD fixtures as ListRecords pages
// with resumption tokens, `from` filtering, one deleted record, and endpoints that fail:
//   /oai          the repository
//   /oai/expired  its first page, then badResumptionToken
//   /oai/500      HTTP 500
//   /oai/hang     never answers
// It is strict where the protocol is: a resumption token with any other argument is badArgument,
// a metadataPrefix other than oai_ead cannotDisseminateFormat.

export const FIXTURES = resolve('../shared/fixtures/ead');
export const fixturesMissing = existsSync(FIXTURES) ? false : `the shared EAD fixtures are not at ${FIXTURES}`;

export const OLD_DAY = '2023-05-01';
export const NEW_DAY = '2025-02-01';
/** The fixtures from this one on (sorted by name) carry NEW_DAY, the others OLD_DAY. */
const NEW_FROM = 10;
export const DELETED_ID = 'oai:test:withdrawn-collection';

interface Item {
  identifier: string;
  datestamp: string;
  /** The `<ead>` element, without the file's declaration and DOCTYPE; null for the deleted record. */
  ead: string | null;
}

export interface OaiServer {
  url: string;
  /** The query of every request received, in order. */
  requests: URLSearchParams[];
  /** The fixtures' file names, in the order served. */
  files: string[];
  close(): Promise<void>;
}

export async function startOaiServer(pageSize = 3): Promise<OaiServer> {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
  const items: Item[] = files.map((file, i) => ({
    identifier: `oai:test:${file.replace(/\.xml$/, '')}`,
    datestamp: i < NEW_FROM ? OLD_DAY : NEW_DAY,
    ead: withoutProlog(decodeDocument(readFileSync(join(FIXTURES, file)))),
  }));
  items.push({ identifier: DELETED_ID, datestamp: NEW_DAY, ead: null });
  const requests: URLSearchParams[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.searchParams);
    if (url.pathname === '/oai/hang') return void hanging.add(res);
    if (url.pathname === '/oai/500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(answer(url, items, pageSize));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oai`,
    requests,
    files,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A fixture as it sits inside `<metadata>`: the element alone. */
const withoutProlog = (text: string) => text.replace(/^\uFEFF?(<\?xml[^>]*\?>)?\s*(<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>)?\s*/, '');

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function answer(url: URL, items: Item[], pageSize: number): string {
  const q = url.searchParams;
  const envelope = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-02-02T00:00:00Z</responseDate><request verb="ListRecords">${escape(url.href)}</request>${body}</OAI-PMH>`;
  const error = (code: string, message: string) => envelope(`<error code="${code}">${escape(message)}</error>`);
  if (q.get('verb') !== 'ListRecords') return error('badVerb', 'Only ListRecords is served here.');
  const token = q.get('resumptionToken');
  let offset = 0;
  let from = q.get('from');
  let set = q.get('set');
  if (token !== null) {
    if ([...q.keys()].some((k) => k !== 'verb' && k !== 'resumptionToken')) return error('badArgument', 'resumptionToken is an exclusive argument.');
    const match = /^(\d+)\|([^|]*)\|(.*)$/.exec(token);
    if (!match || url.pathname === '/oai/expired') return error('badResumptionToken', 'The resumption token has expired.');
    offset = Number(match[1]);
    from = match[2] || null;
    set = match[3] || null;
  } else if (q.get('metadataPrefix') !== 'oai_ead') {
    return error('cannotDisseminateFormat', `The metadata format ${q.get('metadataPrefix')} is not served here.`);
  }
  if (set !== null && set !== 'ead') return error('noRecordsMatch', `The set ${set} has no records.`);
  const matching = items.filter((item) => from === null || item.datestamp >= from);
  if (matching.length === 0) return error('noRecordsMatch', 'No records match.');
  const page = matching.slice(offset, offset + pageSize);
  const records = page.map((item) =>
    item.ead === null
      ? `<record><header status="deleted"><identifier>${item.identifier}</identifier><datestamp>${item.datestamp}</datestamp></header></record>`
      : `<record><header><identifier>${item.identifier}</identifier><datestamp>${item.datestamp}</datestamp><setSpec>ead</setSpec></header><metadata>${item.ead}</metadata></record>`,
  );
  const next = offset + pageSize;
  // The last page has an empty token, as the protocol says.
  const resumption =
    next < matching.length
      ? `<resumptionToken completeListSize="${matching.length}" cursor="${offset}">${next}|${from ?? ''}|${set ?? ''}</resumptionToken>`
      : offset > 0
        ? `<resumptionToken completeListSize="${matching.length}" cursor="${offset}"/>`
        : '';
  return envelope(`<ListRecords>${records.join('')}${resumption}</ListRecords>`);
}
