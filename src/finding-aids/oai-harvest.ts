import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { withoutCredentials } from '../config.ts';

// An OAI-PMH harvest of EAD (ListRecords, metadataPrefix=oai_ead), page after page along the
// resumption tokens, as an async generator of records. Each page is parsed as it arrives, by the
// parser the EAD reader uses (saxes: no DTD, no entities), and each record's <ead> element is cut
// out of the response by its offsets: the document as the repository wrote it, not a re-serialised
// copy that would lose its namespace prefixes, character references and CDATA.

export type HarvestedRecord =
  | { kind: 'record'; identifier: string; datestamp: string; xml: string }
  | { kind: 'deleted'; identifier: string; datestamp: string }
  /** Its metadata was longer than the import takes; it was never held whole. */
  | { kind: 'too-large'; identifier: string; datestamp: string };

export interface HarvestRequest {
  url: string;
  set?: string | undefined;
  /** YYYY-MM-DD: records created, changed or deleted since that day (inclusive). */
  from?: string | undefined;
  /** The largest record taken, in characters (IMPORT_MAX_BYTES: no UTF-8 character is shorter). */
  maxRecordChars: number;
  /** How long the repository may be silent: for its answer, then between two parts of it. */
  timeoutMs?: number;
}

/** Why a harvest stopped: an OAI-PMH error code, or `http`, `timeout`, `malformed`. */
export class OaiError extends Error {
  override name = 'OaiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/** How far a harvest is: the pages read, and the list's size when the repository says (`completeListSize`). */
export interface HarvestProgress {
  pages: number;
  completeListSize: number | null;
}

/**
 * Every record of the list, page by page. `noRecordsMatch` is an empty list, not an error; any
 * other OAI-PMH error, an HTTP error, a silence longer than the timeout or an answer that is not
 * OAI-PMH throws an OaiError. `progress` is updated as pages arrive.
 */
export async function* listRecords(request: HarvestRequest, progress: HarvestProgress = { pages: 0, completeListSize: null }): AsyncGenerator<HarvestedRecord> {
  // fetch cannot send a user name and password written in the URL, and would repeat them in its error.
  const endpoint = new URL(request.url);
  if (endpoint.username !== '' || endpoint.password !== '') {
    throw new OaiError('badArgument', `Give the OAI-PMH address without a user name or password (${endpoint.origin}${endpoint.pathname}).`);
  }
  let token: string | null = null;
  // A repository that hands back a token it gave before would be harvested for ever.
  const tokensSeen = new Set<string>();
  do {
    const url = new URL(request.url);
    // With a resumption token the protocol allows no other argument: the token carries them.
    url.searchParams.set('verb', 'ListRecords');
    if (token !== null) url.searchParams.set('resumptionToken', token);
    else {
      url.searchParams.set('metadataPrefix', 'oai_ead');
      if (request.set) url.searchParams.set('set', request.set);
      if (request.from) url.searchParams.set('from', request.from);
    }
    const page = new PageReader(request.maxRecordChars);
    for await (const chunk of fetchText(url, request.timeoutMs ?? DEFAULT_TIMEOUT_MS)) yield* page.write(chunk);
    const end = page.close();
    progress.pages++;
    if (end.completeListSize !== null) progress.completeListSize = end.completeListSize;
    if (end.errors.length > 0) {
      if (end.errors.every((e) => e.code === 'noRecordsMatch')) return;
      const [first] = end.errors;
      throw new OaiError(first?.code ?? 'badArgument', `The repository answered ${end.errors.map((e) => `${e.code}: ${e.message || '(no message)'}`).join('; ')}`);
    }
    token = end.token;
    if (token) {
      if (tokensSeen.has(token)) throw new OaiError('badResumptionToken', `The repository gave the resumption token "${token.slice(0, 100)}" a second time: the list would never end.`);
      tokensSeen.add(token);
    }
  } while (token);
}

/** The body of one GET, as text, each wait for the network bounded by `timeoutMs`. */
async function* fetchText(url: URL, timeoutMs: number): AsyncGenerator<string> {
  const shown = withoutCredentials(url.origin + url.pathname);
  const controller = new AbortController();
  // The timer runs only while waiting for the repository: not while the caller imports a record.
  const waitFor = async <T>(promise: Promise<T>): Promise<T> => {
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await promise;
    } catch (error) {
      if (controller.signal.aborted) throw new OaiError('timeout', `${shown} did not answer within ${timeoutMs / 1000} s`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      // An error's own words may quote the whole URL, query included: only the address shown is kept.
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new OaiError('http', `Could not reach ${shown}: ${why.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, shown)}`);
    } finally {
      clearTimeout(timer);
    }
  };
  // Redirects are not followed: a harvest reads the repository it was given, and nothing else.
  const get = () => waitFor(fetch(url, { signal: controller.signal, redirect: 'error', headers: { accept: 'text/xml, application/xml' } }));
  let response: Response;
  try {
    response = await get();
  } catch (error) {
    // A kept-alive connection the repository closed while the last page was being imported fails
    // the next request before it is sent: a fresh connection is tried once.
    if (!(error instanceof OaiError && error.code === 'http')) throw error;
    response = await get();
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new OaiError('http', `${shown} answered HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  // OAI-PMH answers are UTF-8 by the protocol.
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const { done, value } = await waitFor(reader.read());
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    yield decoder.decode();
  } finally {
    // A caller that stops early (or a failed import) must not leave the connection open.
    controller.abort();
  }
}

interface PageEnd {
  token: string | null;
  completeListSize: number | null;
  errors: { code: string; message: string }[];
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** One ListRecords answer, fed as it arrives; hands out each record once its element has closed. */
class PageReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  /** The response's text from stream offset `base` on: only as far back as a record may still need. */
  private buffer = '';
  private base = 0;
  private readonly names: string[] = [];
  /** The prefixed namespace declarations of the elements open above the record, by prefix. */
  private readonly scopes: Map<string, string>[] = [];
  private sawRoot = false;
  /** The declaration a record's start tag needs from an enclosing element, if any. */
  private inherited = '';
  private text: string | null = null;
  private header = { identifier: '', datestamp: '', deleted: false };
  /** The stream offset of the `<` of the metadata element being cut out, -1 outside one. */
  private recordStart = -1;
  private tooLarge = false;
  private ready: HarvestedRecord[] = [];
  private readonly end: PageEnd = { token: null, completeListSize: null, errors: [] };

  constructor(private readonly maxRecordChars: number) {
    this.parser.on('doctype', () => {
      throw new OaiError('malformed', 'The answer has a DOCTYPE; OAI-PMH answers have none.');
    });
    this.parser.on('error', (error) => {
      throw new OaiError('malformed', `The answer is not well-formed XML: ${error.message}`);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', () => this.shut());
    this.parser.on('text', (t) => {
      if (this.text === null) return;
      this.text += t;
      // An error message, identifier or token is short; one longer than a record is no OAI-PMH.
      if (this.text.length > this.maxRecordChars) throw new OaiError('malformed', 'The answer holds a text longer than any record may be.');
    });
  }

  write(chunk: string): HarvestedRecord[] {
    this.buffer += chunk;
    this.parser.write(chunk);
    if (this.recordStart < 0 || this.tooLarge) {
      // A start tag may be split across chunks: keep from its `<` on.
      const keep = this.buffer.lastIndexOf('<');
      this.base += keep < 0 ? this.buffer.length : keep;
      this.buffer = keep < 0 ? '' : this.buffer.slice(keep);
      // What is kept from the last `<` on is one tag, comment or CDATA section still open.
      if (this.buffer.length > this.maxRecordChars) throw new OaiError('malformed', 'The answer holds a tag, comment or CDATA section longer than any record may be.');
    } else if (this.base + this.buffer.length - this.recordStart > this.maxRecordChars) {
      this.tooLarge = true;
    }
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  close(): PageEnd {
    this.parser.close();
    if (!this.sawRoot) throw new OaiError('malformed', 'The answer is empty.');
    return this.end;
  }

  private open(tag: SaxesTagPlain) {
    const name = localName(tag.name);
    const depth = this.names.length;
    const parent = this.names.at(-1);
    this.names.push(name);
    if (depth < 4) this.scopes.push(declarations(tag));
    if (depth === 0) {
      if (name !== 'OAI-PMH') throw new OaiError('malformed', `Not an OAI-PMH answer: its root element is <${tag.name}>.`);
      this.sawRoot = true;
    } else if (depth === 1 && name === 'error') {
      this.end.errors.push({ code: tag.attributes.code ?? 'unknown', message: '' });
      this.text = '';
    } else if (depth === 3 && name === 'header' && parent === 'record') {
      this.header = { identifier: '', datestamp: '', deleted: tag.attributes.status === 'deleted' };
    } else if (depth === 4 && (name === 'identifier' || name === 'datestamp') && parent === 'header') {
      this.text = '';
    } else if (depth === 4 && parent === 'metadata' && this.recordStart < 0) {
      // The parser stands just past the start tag's `>`; no `<` can occur inside a start tag.
      this.recordStart = this.base + this.buffer.lastIndexOf('<', this.parser.position - this.base - 1);
      this.tooLarge = false;
      this.inherited = this.inheritedDeclaration(tag);
    } else if (depth === 2 && name === 'resumptionToken') {
      const size = Number(tag.attributes.completeListSize);
      this.end.completeListSize = Number.isInteger(size) && size >= 0 ? size : null;
      this.text = '';
    }
  }

  private shut() {
    const name = this.names.pop();
    const depth = this.names.length;
    if (depth < 4) this.scopes.pop();
    const text = this.text?.trim() ?? '';
    if (depth === 1 && name === 'error') {
      const last = this.end.errors.at(-1);
      if (last) last.message = text;
      this.text = null;
    } else if (depth === 4 && name === 'identifier' && this.names.at(-1) === 'header') {
      this.header.identifier = text;
      this.text = null;
    } else if (depth === 4 && name === 'datestamp' && this.names.at(-1) === 'header') {
      this.header.datestamp = text;
      this.text = null;
    } else if (depth === 4 && this.recordStart >= 0 && this.names.at(-1) === 'metadata') {
      const { identifier, datestamp } = this.header;
      if (this.tooLarge) this.ready.push({ kind: 'too-large', identifier, datestamp });
      else this.ready.push({ kind: 'record', identifier, datestamp, xml: this.cut() });
      this.recordStart = -1;
    } else if (depth === 2 && name === 'record' && this.header.deleted) {
      // A deleted record has a header and no metadata.
      this.ready.push({ kind: 'deleted', identifier: this.header.identifier, datestamp: this.header.datestamp });
    } else if (depth === 2 && name === 'resumptionToken') {
      this.end.token = text || null;
      this.text = null;
    }
  }

  /** The record's element as written, with the one namespace declaration it relied on from outside. */
  private cut(): string {
    const xml = this.buffer.slice(this.recordStart - this.base, this.parser.position - this.base);
    if (!this.inherited) return xml;
    const nameEnd = /^<[^\s/>]+/.exec(xml)?.[0].length ?? 0;
    return `${xml.slice(0, nameEnd)} ${this.inherited}${xml.slice(nameEnd)}`;
  }

  /**
   * A prefixed record (`<ead:ead>`) whose prefix the envelope declares would be unreadable cut out
   * without it. The envelope's default namespace is OAI-PMH's: an unprefixed record that declares
   * none is EAD without a namespace, as the reader takes it, not an element of OAI-PMH.
   */
  private inheritedDeclaration(tag: SaxesTagPlain): string {
    const prefix = tag.name.includes(':') ? tag.name.slice(0, tag.name.indexOf(':')) : '';
    if (prefix === '' || `xmlns:${prefix}` in tag.attributes) return '';
    const uri = this.scopes.findLast((scope) => scope.has(prefix))?.get(prefix);
    return uri === undefined ? '' : `xmlns:${prefix}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
  }
}

/** An element's own prefixed namespace declarations. */
function declarations(tag: SaxesTagPlain): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tag.attributes)) if (key.startsWith('xmlns:')) found.set(key.slice(6), value);
  return found;
}
