import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDatabase } from './db/client.ts';
import { readFindingAid } from './src/finding-aids/ead-reader.ts';
import { importRead } from './src/finding-aids/import.ts';
const xml = readFileSync('/work/shared/fixtures/ead/bhl-0420-kahn.xml');
for (let i = 0; i < 3; i++) { const t = performance.now(); readFindingAid(xml); console.log('read', Math.round(performance.now() - t)); }
const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'p-')), 'db.sqlite'));
const aid = readFindingAid(xml);
for (let i = 0; i < 3; i++) { const t = performance.now(); importRead(db, aid, '2026-11-30'); console.log('import', Math.round(performance.now() - t)); }
