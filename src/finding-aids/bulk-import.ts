import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/client.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { Refusal } from '../domain/refusal.ts';
import { readFindingAid } from './ead-reader.ts';
import { importRead, type ImportPlace, type ImportResult } from './import.ts';
import { listRecords, type HarvestProgress, type HarvestRequest } from './oai-harvest.ts';

// Many finding aids in a row, from files or from an OAI-PMH harvest: each imported in its own
// transaction, a bad one reported and skipped. Only counters outlive a document, so memory stays
// that of the largest document however many there are.

/** One document's outcome, named by its file or its OAI identifier. */
export type ImportEvent =
  | { kind: 'imported'; source: string; result: ImportResult; callNumber: string }
  | { kind: 'failed'; source: string; message: string }
  | { kind: 'deleted'; source: string };

export interface Tally {
  imported: number;
  failed: number;
  deleted: number;
  components: number;
  containers: { added: number; updated: number; unchanged: number; withdrawn: number };
}

export const emptyTally = (): Tally => ({ imported: 0, failed: 0, deleted: 0, components: 0, containers: { added: 0, updated: 0, unchanged: 0, withdrawn: 0 } });

export function count(tally: Tally, event: ImportEvent): void {
  if (event.kind === 'failed') tally.failed++;
  else if (event.kind === 'deleted') tally.deleted++;
  else {
    tally.imported++;
    tally.components += event.result.components;
    for (const key of ['added', 'updated', 'unchanged', 'withdrawn'] as const) tally.containers[key] += event.result.containers[key];
  }
}

/**
 * The `.xml` files of some paths: a file as named (whatever its name), a folder's `.xml` files and
 * subfolders, recursively, in sorted order. A path that is not there is yielded as it is, for its
 * read to fail and be reported with the others. A generator, so a folder of a million files is
 * never one list.
 */
export function* xmlFiles(paths: string[]): Generator<string> {
  for (const path of paths) {
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      folder = false;
    }
    if (!folder) {
      yield path;
      continue;
    }
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const inside = join(path, entry.name);
      if (entry.isDirectory()) yield* xmlFiles([inside]);
      else if (entry.name.toLowerCase().endsWith('.xml')) yield inside;
    }
  }
}

/** Imports one file; a refusal, an unreadable file or one too large is the file's failure, not the run's. */
export async function importFile(db: Database, path: string, today: IsoDate, maxBytes: number, place: ImportPlace = {}): Promise<ImportEvent> {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return { kind: 'failed', source: path, message: `TOO_LARGE: ${size} bytes, more than IMPORT_MAX_BYTES (${maxBytes})` };
    bytes = readFileSync(path);
  } catch (error) {
    return { kind: 'failed', source: path, message: `UNREADABLE: ${(error as Error).message}` };
  }
  return imported(db, path, bytes, today, place);
}

/**
 * Harvests into the database: every record imported, deleted ones reported (the reading room keeps
 * its collections: requests and their history point at them), each bad record counted as failed.
 * Counted into `tally` as they come, so an OaiError (the list could not be read to its end), which
 * propagates, leaves the count of what was imported before it.
 */
export async function harvestInto(db: Database, request: HarvestRequest, today: IsoDate, tally: Tally, onEvent: (event: ImportEvent) => void, progress?: HarvestProgress): Promise<void> {
  for await (const record of listRecords(request, progress)) {
    const source = record.identifier || '(a record without identifier)';
    const event: ImportEvent =
      record.kind === 'deleted'
        ? { kind: 'deleted', source }
        : record.kind === 'too-large'
          ? { kind: 'failed', source, message: `TOO_LARGE: more than IMPORT_MAX_BYTES (${request.maxRecordChars})` }
          : await imported(db, source, record.xml, today);
    count(tally, event);
    onEvent(event);
  }
}

async function imported(db: Database, source: string, xml: string | Buffer, today: IsoDate, place: ImportPlace = {}): Promise<ImportEvent> {
  try {
    const aid = readFindingAid(xml);
    return { kind: 'imported', source, result: await importRead(db, aid, today, place), callNumber: aid.collection.callNumber };
  } catch (error) {
    // Anything else (the database itself failing) is no document's fault: it stops the run.
    if (error instanceof Refusal) return { kind: 'failed', source, message: `${error.code}: ${error.message}` };
    throw error;
  }
}
