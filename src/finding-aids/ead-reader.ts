import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Refusal } from '../domain/refusal.ts';
import { housingsOf, type ContainerElement } from './containers.ts';
import { decodeDocument } from './encoding.ts';
import type { ComponentDraft, FindingAid } from './finding-aid.ts';
import { isBlock, TextCapture } from './text.ts';
import { unhousedWarnings } from './unhoused.ts';

// EAD 2002 (with or without its namespace) and EAD3 into a FindingAid, in one pass of a streaming
// parser: docs/finding-aids.md says what each element becomes, and why saxes reads them.

/** Deeper than this is no archive's arrangement but a document built to exhaust the reader. */
export const MAX_COMPONENT_DEPTH = 64;

/** The parser is fed this many characters at a time, as a network body would arrive. */
const CHUNK = 64 * 1024;

const NAMESPACES = new Set(['', 'urn:isbn:1-931666-22-9', 'http://ead3.archivists.org/schema/']);

/** `c`, `c01` … `c12`. */
const isComponent = (name: string) => name === 'c' || /^c(0[1-9]|1[0-2])$/.test(name);

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

const invalid = (message: string) => new Refusal('INVALID_EAD', message);

/** A component while its element is open. */
interface OpenComponent {
  index: number;
  draft: ComponentDraft;
  /** Its stack depth: its `did` is one deeper, that did's children two. */
  depth: number;
  title: TextCapture | null;
  dates: TextCapture[];
  containers: ContainerElement[];
  /** How many components enclose it (1 at the top of `dsc`). */
  nesting: number;
}

/** The one element each rule waits for, and the capture its text goes to. */
interface Frame {
  name: string;
  captures: TextCapture[];
  onClose?: () => void;
}

/**
 * Reads one EAD document. Throws a Refusal `INVALID_EAD` for a document that is not well-formed,
 * not EAD, without a call number or title, with a DOCTYPE that declares entities, or with
 * components nested deeper than MAX_COMPONENT_DEPTH; the message says which and where.
 */
export function readFindingAid(xml: string | Buffer): FindingAid {
  const text = typeof xml === 'string' ? xml : decodeDocument(xml);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: Frame[] = [];
  const components: ComponentDraft[] = [];
  const open: OpenComponent[] = [];
  const warnings: string[] = [];
  const collectionNotes: TextCapture[] = [];
  const where = () => `line ${parser.line}`;

  /** The collection's elements read once: the first of each. */
  const first: Partial<Record<'eadId' | 'callNumber' | 'title' | 'abstract' | 'repository' | 'repositoryName', TextCapture>> = {};
  const dates: TextCapture[] = [];
  const bulkDates: TextCapture[] = [];
  const extents: TextCapture[] = [];
  /** Where `dsc` is open, and where a note being read is (their nested notes belong to them). */
  let dscDepth = -1;
  let noteDepth = -1;
  let headDepth = -1;
  /** Every capture open now: the text of an element goes to each. */
  let active: TextCapture[] = [];

  const capture = (frame: Frame, into?: (c: TextCapture) => void): TextCapture => {
    const c = new TextCapture();
    frame.captures.push(c);
    active = [...active, c];
    into?.(c);
    return c;
  };

  parser.on('doctype', (doctype) => {
    // Entities are never expanded, so a document that declares any cannot be read as written.
    if (/<!ENTITY/i.test(doctype)) throw invalid(`The DOCTYPE declares entities (${where()}); entities are never expanded: remove the declarations.`);
  });

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const depth = stack.length;
    const attribute = (key: string) => tag.attributes[key] ?? null;
    const frame: Frame = { name, captures: [] };
    const parentName = stack[depth - 1]?.name;
    if (depth === 0) {
      const prefix = tag.name.includes(':') ? `:${tag.name.slice(0, tag.name.indexOf(':'))}` : '';
      const namespace = attribute(`xmlns${prefix}`) ?? '';
      if (name !== 'ead') throw invalid(`Not an EAD document: its root element is <${tag.name}>, not <ead> (${where()}).`);
      if (!NAMESPACES.has(namespace)) throw invalid(`Not an EAD document: its root element is in the namespace ${namespace} (${where()}).`);
    }
    if (headDepth < 0 && name === 'head') headDepth = depth;
    if (isBlock(name)) for (const c of active) c.separate();

    const component = open.at(-1);
    const inDsc = dscDepth >= 0;
    if (name === 'dsc' && dscDepth < 0 && depth === 2) dscDepth = depth;
    else if (inDsc && isComponent(name)) {
      const nesting = (component?.nesting ?? 0) + 1;
      if (nesting > MAX_COMPONENT_DEPTH) throw invalid(`Components are nested deeper than ${MAX_COMPONENT_DEPTH} levels (${where()}).`);
      const level = attribute('level');
      const draft: ComponentDraft = {
        refId: attribute('id'),
        parent: component?.index ?? null,
        level: level === 'otherlevel' ? (attribute('otherlevel') ?? level) : level,
        title: '',
        dates: null,
        accessNotes: [],
        housings: [],
      };
      const opened: OpenComponent = { index: components.length, draft, depth, title: null, dates: [], containers: [], nesting };
      components.push(draft);
      open.push(opened);
      frame.onClose = () => closeComponent(opened);
    } else if (component && depth >= component.depth + 2 && stack[component.depth + 1]?.name === 'did') {
      // Inside the component's own did.
      const child = depth === component.depth + 2;
      if (child && name === 'unittitle' && !component.title) component.title = capture(frame);
      else if (isDate(name) && !isBulk(attribute)) capture(frame, (c) => component.dates.push(c));
      else if (child && name === 'container') {
        const element = {
          type: attribute('type') ?? attribute('localtype'),
          id: attribute('id'),
          parent: attribute('parent'),
          label: attribute('label'),
          containerId: attribute('containerid'),
          value: '',
        };
        const text = capture(frame);
        frame.onClose = () => component.containers.push({ ...element, value: text.text() });
      }
    } else if (name === 'accessrestrict' && noteDepth < 0 && headDepth < 0) {
      if (component) {
        noteDepth = depth;
        const note = capture(frame);
        frame.onClose = () => {
          const text = note.text();
          if (text) component.draft.accessNotes.push(text);
        };
      } else if (!inDsc && stack[1]?.name === 'archdesc') {
        noteDepth = depth;
        capture(frame, (c) => collectionNotes.push(c));
      }
    } else if (depth === 2 && ((name === 'eadid' && parentName === 'eadheader') || (name === 'recordid' && parentName === 'control'))) {
      first.eadId ??= capture(frame);
    }
    else if (depth >= 3 && stack[1]?.name === 'archdesc' && stack[2]?.name === 'did') {
      // The collection's own did.
      const child = depth === 3;
      if (child && name === 'unitid') first.callNumber ??= capture(frame);
      else if (child && name === 'unittitle') first.title ??= capture(frame);
      else if (child && name === 'abstract') first.abstract ??= capture(frame);
      else if (child && (name === 'physdesc' || name === 'physdescstructured')) capture(frame, (c) => extents.push(c));
      else if (child && name === 'repository') first.repository ??= capture(frame);
      else if (name === 'corpname' && parentName === 'repository' && depth === 4) first.repositoryName ??= capture(frame);
      else if (isDate(name) && (child || parentName === 'unittitle')) capture(frame, (c) => (isBulk(attribute) ? bulkDates : dates).push(c));
    }
    // A structured date's range reads "1900-1950".
    if (name === 'todate') for (const c of active) c.add('-');
    stack.push(frame);
  });

  parser.on('closetag', () => {
    const frame = stack.pop();
    if (!frame) return;
    const depth = stack.length;
    if (isBlock(frame.name)) for (const c of active) c.separate();
    if (frame.captures.length > 0) active = active.filter((c) => !frame.captures.includes(c));
    if (depth === headDepth) headDepth = -1;
    if (depth === noteDepth) noteDepth = -1;
    if (depth === dscDepth) dscDepth = -1;
    frame.onClose?.();
  });

  const addText = (chunk: string) => {
    if (headDepth >= 0) return;
    for (const c of active) c.add(chunk);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  function closeComponent(component: OpenComponent) {
    open.pop();
    const { draft } = component;
    const dateText = joined(component.dates, ', ');
    draft.dates = dateText || null;
    // A component needs a name on a call slip: its dates, or a plain placeholder.
    draft.title = component.title?.text() || dateText || '[Untitled]';
    draft.housings = housingsOf(component.containers, (label, why) =>
      warnings.push(`${label} in "${draft.title}" is kept as one container as written: ${why}.`),
    );
  }

  parser.on('error', (error) => {
    const [, line, column, what] = /^(\d+):(\d+): (.*)$/s.exec(error.message) ?? [];
    throw invalid(
      line ? `Not well-formed XML at line ${line}, column ${Number(column) + 1}: ${what}.` : `Not well-formed XML: ${error.message}.`,
    );
  });

  for (let at = 0; at < text.length; at += CHUNK) parser.write(text.slice(at, at + CHUNK));
  parser.close();

  const callNumberText = first.callNumber?.text();
  if (!callNumberText) throw invalid('The finding aid has no call number: archdesc/did/unitid is missing or empty.');
  const titleText = first.title?.text();
  if (!titleText) throw invalid('The finding aid has no title: archdesc/did/unittitle is missing or empty.');
  const collectionAccessNotes = collectionNotes.map((c) => c.text()).filter((t) => t !== '');
  warnings.push(...unhousedWarnings(components));
  return {
    eadId: first.eadId?.text() || null,
    collection: {
      callNumber: callNumberText,
      title: titleText,
      dates: joined(dates, ', '),
      bulkDates: joined(bulkDates, ', ') || null,
      extent: joined(extents, '; '),
      repository: (first.repositoryName ?? first.repository)?.text() ?? '',
      abstract: first.abstract?.text() || null,
      accessNote: collectionAccessNotes.join(' ') || null,
    },
    collectionAccessNotes,
    components,
    warnings,
  };
}

const isDate = (name: string) => name === 'unitdate' || name === 'unitdatestructured';

/** EAD 2002 writes `type="bulk"`, EAD3 `unitdatetype="bulk"`. */
const isBulk = (attribute: (key: string) => string | null) => (attribute('type') ?? attribute('unitdatetype')) === 'bulk';

/** The distinct texts of some elements (a date in the title and the same date beside it count once). */
const joined = (captures: TextCapture[], separator: string) => [...new Set(captures.map((c) => c.text()).filter((t) => t !== ''))].join(separator);
