import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openDatabase, type Database } from '../../db/client.ts';

/**
 * A maker of new SQLite files, each opened twice: `db` for the code under test, `elsewhere` as
 * another process would hold the same file. The files' folder goes when the test file ends.
 */
export function twoConnectionsMaker(name: string): () => { db: Database; elsewhere: Database } {
  const folder = mkdtempSync(join(tmpdir(), `reading-room-${name}-`));
  after(() => rmSync(folder, { recursive: true, force: true }));
  let files = 0;
  return () => {
    const path = join(folder, `${++files}.sqlite`);
    return { db: openDatabase(path), elsewhere: openDatabase(path) };
  };
}
