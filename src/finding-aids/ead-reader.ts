import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Refusal } from '../domain/refusal.ts';
import { HousingReader, type ContainerElement } from './containers.ts';
import { decodeDocument } from './encoding.ts';
import type { ComponentDraft, FindingAid } from './finding-aid.ts';
import { BLOCKS, TextCapture } from './text.ts';
import { unhousedWarnings } from './unhoused.ts';

// EAD 2002 (with or without its namespace) and EAD3 into a FindingAid, in one pass of a streaming
// parser: docs/finding-aids.md says what each element becomes, and why saxes reads them.

/** Deeper than this is no archive's arrangement but a document built to exhaust the reader. */
export const MAX_COMPONENT_DEPTH = 64;

const NAMESPACES = new Set(['', 'urn:isbn:1-931666-22-9', 'http://ead3.archivists.org/schema/']);

/**
 * What an element's local name makes it to the reader. Most elements of a finding aid (`did`,
 * `emph`, `persname`…) are none of these: they pass through with no more than a name pushed.
 */
type Role = 'block' | 'component' | 'todate' | 'read';

const COMPONENTS = ['c', ...Array.from({ length: 12 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`)];
/** Names the rules below test for; `did`, `archdesc`… are only looked at as ancestors. */
const READ = [
  'dsc', 'head', 'unittitle', 'unitdate', 'unitdatestructured', 'container', 'accessrestrict', 'eadid', 'recordid',
  'unitid', 'abstract', 'physdesc', 'physdescstructured', 'repository', 'corpname',
];
const ROLES = new Map<string, Role>([
  ...[...BLOCKS].map((name): [string, Role] => [name, 'block']),
  ...COMPONENTS.map((name): [string, Role] => [name, 'component']),
  ['todate', 'todate'],
  ...READ.map((name): [string, Role] => [name, 'read']),
]);

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

const invalid = (message: string) => new Refusal('INVALID_EAD', message);

type Attributes = Record<string, string>;

/** An attribute's value as written, or null. */
const attribute = (attributes: Attributes, key: string) => attributes[key] ?? null;

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

/** What closing an element does, for the few elements that need more than their capture ended. */
type Closing =
  | { kind: 'component'; component: OpenComponent }
  | { kind: 'container'; component: OpenComponent; element: ContainerElement; text: TextCapture }
  | { kind: 'note'; component: OpenComponent; text: TextCapture };

/**
 * Reads one EAD document. Throws a Refusal `INVALID_EAD` for a document that is not well-formed,
 * not EAD, without a call number or title, with a DOCTYPE that declares entities, or with
 * components nested deeper than MAX_COMPONENT_DEPTH; the message says which and where.
 */
export function readFindingAid(xml: string | Buffer): FindingAid {
  const text = typeof xml === 'string' ? xml : decodeDocument(xml);
  const parser = new SaxesParser({ xmlns: false, position: true });
  /** The open elements, one entry per depth in each: local name, captures open before it, what its close does. */
  const names: string[] = [];
  const activeBefore: number[] = [];
  const closings: (Closing | null)[] = [];
  const components: ComponentDraft[] = [];
  const open: OpenComponent[] = [];
  const warnings: string[] = [];
  const collectionNotes: TextCapture[] = [];
  const housings = new HousingReader();
  const where = () => `line ${parser.line}`;
  /**
   * One copy of each short value that recurs (`file`, `box`, `1`): the parser makes a new string
   * for each attribute and text, and a finding aid's thousands of components would keep them all.
   */
  const shared = new Map<string, string>();
  function share<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = shared.get(value);
    if (known !== undefined) return known as T;
    shared.set(value, value);
    return value;
  }

  /** The collection's elements read once: the first of each. */
  const first: Partial<Record<'eadId' | 'callNumber' | 'title' | 'abstract' | 'repository' | 'repositoryName', TextCapture>> = {};
  const dates: TextCapture[] = [];
  const bulkDates: TextCapture[] = [];
  const extents: TextCapture[] = [];
  /** Where `dsc` is open, and where a note being read is (their nested notes belong to them). */
  let dscDepth = -1;
  let noteDepth = -1;
  let headDepth = -1;
  /**
   * Every capture open now, innermost last: the text of an element goes to each. An element opens
   * at most one, so closing an element ends the captures opened since it opened.
   */
  const active: TextCapture[] = [];

  const capture = (): TextCapture => {
    const c = new TextCapture();
    active.push(c);
    return c;
  };

  const addText = (chunk: string) => {
    if (headDepth >= 0) return;
    for (const c of active) c.add(chunk);
  };
  // saxes builds the text between tags only when a text handler is set, and most of a finding
  // aid's text (the indentation between elements above all) goes to no capture: the reader listens
  // only while a capture is open outside a head. A handler set or unset at a tag applies from the
  // text after that tag.
  let listening = false;
  parser.on('text', addText);
  parser.off('text'); // the parser's handler field exists from now on: setting it keeps its shape
  const listenWhileCapturing = () => {
    const wanted = active.length > 0 && headDepth < 0;
    if (wanted === listening) return;
    listening = wanted;
    if (wanted) parser.on('text', addText);
    else parser.off('text');
  };
  parser.on('cdata', addText);

  parser.on('doctype', (doctype) => {
    // Entities are never expanded, so a document that declares any cannot be read as written.
    if (/<!ENTITY/i.test(doctype)) throw invalid(`The DOCTYPE declares entities (${where()}); entities are never expanded: remove the declarations.`);
  });

  const checkRoot = (tag: SaxesTagPlain, name: string) => {
    const colon = tag.name.indexOf(':');
    const namespace = attribute(tag.attributes, colon < 0 ? 'xmlns' : `xmlns:${tag.name.slice(0, colon)}`) ?? '';
    if (name !== 'ead') throw invalid(`Not an EAD document: its root element is <${tag.name}>, not <ead> (${where()}).`);
    if (!NAMESPACES.has(namespace)) throw invalid(`Not an EAD document: its root element is in the namespace ${namespace} (${where()}).`);
  };

  /** The mapping rules for an element whose role is `component` or `read`: what it is read as, and what its close does. */
  function read(name: string, role: Role, attributes: Attributes, depth: number): Closing | null {
    if (headDepth < 0 && name === 'head') headDepth = depth;
    const component = open.at(-1);
    const inDsc = dscDepth >= 0;
    const parentName = names[depth - 1];
    if (name === 'dsc' && dscDepth < 0 && depth === 2) dscDepth = depth;
    else if (inDsc && role === 'component') return { kind: 'component', component: openComponent(component, attributes, depth) };
    else if (component && depth >= component.depth + 2 && names[component.depth + 1] === 'did') {
      // Inside the component's own did.
      const child = depth === component.depth + 2;
      if (child && name === 'unittitle' && !component.title) component.title = capture();
      else if (isDate(name) && !isBulk(attributes)) component.dates.push(capture());
      else if (child && name === 'container') {
        const element: ContainerElement = {
          type: share(attribute(attributes, 'type') ?? attribute(attributes, 'localtype')),
          id: attribute(attributes, 'id'),
          parent: attribute(attributes, 'parent'),
          label: attribute(attributes, 'label'),
          containerId: attribute(attributes, 'containerid'),
          value: '',
        };
        return { kind: 'container', component, element, text: capture() };
      }
    } else if (name === 'accessrestrict' && noteDepth < 0 && headDepth < 0) {
      if (component) {
        noteDepth = depth;
        return { kind: 'note', component, text: capture() };
      } else if (!inDsc && names[1] === 'archdesc') {
        noteDepth = depth;
        collectionNotes.push(capture());
      }
    } else if (depth === 2 && ((name === 'eadid' && parentName === 'eadheader') || (name === 'recordid' && parentName === 'control'))) {
      first.eadId ??= capture();
    }
    else if (depth >= 3 && names[1] === 'archdesc' && names[2] === 'did') {
      // The collection's own did.
      const child = depth === 3;
      if (child && name === 'unitid') first.callNumber ??= capture();
      else if (child && name === 'unittitle') first.title ??= capture();
      else if (child && name === 'abstract') first.abstract ??= capture();
      else if (child && (name === 'physdesc' || name === 'physdescstructured')) extents.push(capture());
      else if (child && name === 'repository') first.repository ??= capture();
      else if (name === 'corpname' && parentName === 'repository' && depth === 4) first.repositoryName ??= capture();
      else if (isDate(name) && (child || parentName === 'unittitle')) (isBulk(attributes) ? bulkDates : dates).push(capture());
    }
    return null;
  }

  function openComponent(parent: OpenComponent | undefined, attributes: Attributes, depth: number): OpenComponent {
    const nesting = (parent?.nesting ?? 0) + 1;
    if (nesting > MAX_COMPONENT_DEPTH) throw invalid(`Components are nested deeper than ${MAX_COMPONENT_DEPTH} levels (${where()}).`);
    const level = share(attribute(attributes, 'level'));
    const draft: ComponentDraft = {
      refId: attribute(attributes, 'id'),
      parent: parent?.index ?? null,
      level: level === 'otherlevel' ? (attribute(attributes, 'otherlevel') ?? level) : level,
      title: '',
      dates: null,
      accessNotes: [],
      housings: [],
    };
    const opened: OpenComponent = { index: components.length, draft, depth, title: null, dates: [], containers: [], nesting };
    components.push(draft);
    open.push(opened);
    return opened;
  }

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const depth = names.length;
    if (depth === 0) checkRoot(tag, name);
    const role = ROLES.get(name);
    const before = active.length;
    let closing: Closing | null = null;
    if (role === 'block') separateAll();
    // A structured date's range reads "1900-1950".
    else if (role === 'todate') for (const c of active) c.add('-');
    else if (role !== undefined) closing = read(name, role, tag.attributes, depth);
    names.push(name);
    activeBefore.push(before);
    closings.push(closing);
    listenWhileCapturing();
  });

  parser.on('closetag', () => {
    const name = names.pop();
    if (name === undefined) return;
    const depth = names.length;
    if (ROLES.get(name) === 'block') separateAll();
    const before = activeBefore.pop() ?? 0;
    // Setting an array's length is a runtime call: only for the few elements that opened a capture.
    if (active.length > before) active.length = before;
    if (depth === headDepth) headDepth = -1;
    if (depth === noteDepth) noteDepth = -1;
    if (depth === dscDepth) dscDepth = -1;
    const closing = closings.pop();
    if (closing) close(closing);
    listenWhileCapturing();
  });

  function separateAll() {
    for (const c of active) c.separate();
  }

  function close(closing: Closing) {
    const { component } = closing;
    if (closing.kind === 'component') closeComponent(component);
    else if (closing.kind === 'container') {
      closing.element.value = share(closing.text.text());
      component.containers.push(closing.element);
    }
    else {
      const note = closing.text.text();
      if (note) component.draft.accessNotes.push(note);
    }
  }

  function closeComponent(component: OpenComponent) {
    open.pop();
    const { draft } = component;
    const dateText = joined(component.dates, ', ');
    draft.dates = dateText || null;
    // A component needs a name on a call slip: its dates, or a plain placeholder.
    draft.title = component.title?.text() || dateText || '[Untitled]';
    draft.housings = housings.housingsOf(component.containers, (label, why) =>
      warnings.push(`${label} in "${draft.title}" is kept as one container as written: ${why}.`),
    );
  }

  parser.on('error', (error) => {
    const [, line, column, what] = /^(\d+):(\d+): (.*)$/s.exec(error.message) ?? [];
    throw invalid(
      line ? `Not well-formed XML at line ${line}, column ${Number(column) + 1}: ${what}.` : `Not well-formed XML: ${error.message}.`,
    );
  });

  // The whole text at once: saxes reads it faster than in slices, and it is all in memory already.
  parser.write(text);
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
const isBulk = (attributes: Attributes) => (attribute(attributes, 'type') ?? attribute(attributes, 'unitdatetype')) === 'bulk';

/** The distinct texts of some elements (a date in the title and the same date beside it count once). */
function joined(captures: TextCapture[], separator: string): string {
  // Most components have one date or none: nothing to tell apart.
  if (captures.length <= 1) return captures[0]?.text() ?? '';
  return [...new Set(captures.map((c) => c.text()).filter((t) => t !== ''))].join(separator);
}
