import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDatabase } from './db/client.ts';
import { readFindingAid } from './src/finding-aids/ead-reader.ts';
import { importRead } from './src/finding-aids/import.ts';
const xml = readFileSync('/work/shared/fixtures/ead/bhl-0420-kahn.xml');
const aid = readFindingAid(xml);
for (const variant of ['prefix', 'noprefix', 'nofts', 'prefix', 'noprefix', 'nofts']) {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'p-')), 'db.sqlite'));
  if (variant !== 'prefix') {
    db.$client.exec('drop table search_entries');
    if (variant === 'noprefix') db.$client.exec("create virtual table search_entries using fts5(title, abstract, collection_id unindexed, component_id unindexed, position unindexed, tokenize='unicode61 remove_diacritics 2')");
    else db.$client.exec('create table search_entries (title, abstract, collection_id, component_id, position)');
  }
  let t = performance.now(); importRead(db, aid, '2026-11-30'); const first = performance.now() - t;
  t = performance.now(); importRead(db, aid, '2026-11-30'); const again = performance.now() - t;
  console.log(variant, Math.round(first), Math.round(again));
}
