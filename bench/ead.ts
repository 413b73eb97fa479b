import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { readFindingAid } from '../src/finding-aids/ead-reader.ts';
import { importRead } from '../src/finding-aids/import.ts';
import { summarise } from './stats.ts';

// `ead.*` and `import.ead`: reading and importing the large finding aids of shared/fixtures/ead/
// (from the project's root, ../shared/fixtures/ead/), in components per second. `ead.bare-parse` is
// the floor: saxes alone walking the documents and counting components, nothing kept; `ead.read` is
// readFindingAid, whose ratio to the floor is what the reader's own work costs; `import.ead` is the
// whole import (reading, then one transaction into a SQLite file), each document as a new collection.
// Each file is one latency sample.

export const LARGE_FINDING_AIDS = ['bhl-0420-kahn.xml', 'princeton-MC147.xml', 'stanford-sc0097-knuth.xml', 'clarke-aladdin.xml'];

export const eadFixtureFolder = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'ead');

/** The large fixtures' texts, or null when the fixture folder is not beside the project. */
export function largeFindingAids(): { name: string; text: string }[] | null {
  if (!existsSync(eadFixtureFolder)) return null;
  return LARGE_FINDING_AIDS.map((name) => ({ name, text: readFileSync(join(eadFixtureFolder, name), 'utf8') }));
}

const isComponent = (name: string) => /^(?:\w+:)?c(?:0[1-9]|1[0-2])?$/.test(name);

/** The floor: the parser reads a document and counts its components, in the reader's chunks. */
function bareParse(text: string): number {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let components = 0;
  parser.on('opentag', (tag) => {
    if (isComponent(tag.name)) components += 1;
  });
  for (let at = 0; at < text.length; at += 64 * 1024) parser.write(text.slice(at, at + 64 * 1024));
  parser.close();
  return components;
}

/** Reads the documents over and over for `seconds`; the figures are components per second. */
async function measure(name: string, baseline: string, seconds: number, read: (text: string) => number | Promise<number>) {
  const documents = largeFindingAids();
  if (!documents) throw new Error(`${name}: the fixture folder ${eadFixtureFolder} is missing`);
  for (const { text } of documents) await read(text); // warm-up: the first read compiles
  const latencies: number[] = [];
  let components = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const document = documents[i % documents.length];
    if (!document) break;
    const at = performance.now();
    components += await read(document.text);
    latencies.push(performance.now() - at);
  }
  return summarise(name, latencies, components, performance.now() - started, baseline);
}

export const eadBareParse = (seconds: number) => measure('ead.bare-parse', 'ead.bare-parse', seconds, bareParse);

export const eadRead = (seconds: number) => measure('ead.read', 'ead.bare-parse', seconds, (text) => readFindingAid(text).components.length);

/**
 * The whole import, into a SQLite file in `folder` (synchronous=FULL, as served). Each document is
 * imported under a call number of its own, so every import makes a collection, as a library's
 * first load of its finding aids does.
 */
export async function eadImport(folder: string, seconds: number) {
  const db = openDatabase(join(folder, 'import.sqlite'));
  let imports = 0;
  try {
    return await measure('import.ead', 'ead.bare-parse', seconds, async (text) => {
      const aid = readFindingAid(text);
      imports += 1;
      aid.collection.callNumber = `${aid.collection.callNumber} (${imports})`;
      aid.eadId = null;
      return (await importRead(db, aid, '2026-12-01')).components;
    });
  } finally {
    await closeDatabase(db);
  }
}
