import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requestStatuses } from '../db/tables.ts';
import { transitions, type Actor } from '../src/domain/request-status.ts';

// docs/ is the project's own reference: what it names must be what the code does.

const root = join(import.meta.dirname, '..');
const doc = (name: string) => readFileSync(join(root, 'docs', name), 'utf8');

/** Every TypeScript file of the code, as one text: where a documented code must appear. */
const code = ['src', 'workers', 'db']
  .flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')),
  )
  .join('\n');

describe('docs/ as the reference of the code', () => {
  it('every error code of docs/api.md is answered by the code (Fastify answers its own FST_ codes)', () => {
    const rows = [...doc('api.md').matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map(([, status, errorCode]) => ({ status: Number(status), code: errorCode ?? '' }));
    assert.ok(rows.length >= 25, `the errors table was read (${rows.length} rows)`);
    const missing = rows.filter((r) => !r.code.startsWith('FST_') && !code.includes(`'${r.code}'`));
    assert.deepEqual(missing, []);
  });

  it("every refusal code of the domain is documented, with the status the HTTP layer gives it", () => {
    const table = /const REFUSAL_STATUS[^{]*\{([^}]*)\}/.exec(readFileSync(join(root, 'src/http/errors.ts'), 'utf8'))?.[1] ?? '';
    const answered = [...table.matchAll(/([A-Z_]+): (\d{3})/g)].map(([, errorCode, status]) => `| ${status} | \`${errorCode}\` |`);
    assert.ok(answered.length >= 15);
    const api = doc('api.md');
    assert.deepEqual(
      answered.filter((row) => !api.includes(row)),
      [],
    );
  });

  it('docs/requests.md names every status, and no other', () => {
    // The status lists and the table: from the section's start to the words after the table.
    const text = doc('requests.md');
    const model = text.slice(text.indexOf('## Status model'), text.indexOf('An admin holds'));
    const named = new Set([...model.matchAll(/`([a-z_]+)`/g)].map(([, word]) => word));
    const statuses = new Set<string>(requestStatuses);
    assert.deepEqual([...statuses].filter((s) => !named.has(s)), [], 'every status is documented');
    const notStatuses = [...named].filter((w) => !statuses.has(w ?? '') && !['approve', 'deny', 'cancel', 'transition', 'release'].includes(w ?? ''));
    assert.deepEqual(notStatuses, [], 'nothing else is named as a status');
  });

  it("the status table of docs/requests.md is the code's, move by move and actor by actor", () => {
    const documented = new Set<string>();
    for (const [, from, to, by] of doc('requests.md').matchAll(/^\| ([^|]+) \| ([^|]+) \| ([^|]+) \|[^\n]*$/gm)) {
      if (from?.trim() === 'from' || from?.startsWith('---')) continue;
      const statuses = (cell: string) => [...cell.matchAll(/`([a-z_]+)`/g)].map(([, s]) => s);
      const froms = from?.trim() === '(new)' ? ['new'] : statuses(from ?? '');
      const actors: Actor[] = (['researcher', 'staff', 'curator', 'system'] as const).filter((a) => by?.includes(a) || (a === 'researcher' && by?.includes('owner')));
      for (const f of froms) for (const t of statuses(to ?? '')) for (const a of actors) documented.add(`${f} > ${t} by ${a}`);
    }
    const enforced = new Set(transitions.flatMap((t) => t.by.map((a) => `${t.from ?? 'new'} > ${t.to} by ${a}`)));
    assert.ok(enforced.size > 20);
    assert.deepEqual([...enforced].filter((m) => !documented.has(m)), [], 'every move of the code is documented');
    assert.deepEqual([...documented].filter((m) => !enforced.has(m)), [], 'every documented move is the code');
  });

  it('docs/configuration.md documents every variable the configuration reads', () => {
    const read = [...readFileSync(join(root, 'src/config.ts'), 'utf8').matchAll(/^ {2}([A-Z_]+): Type\./gm)].map(([, name]) => name ?? '');
    assert.ok(read.length >= 20, `the variables were read (${read.length})`);
    const configuration = doc('configuration.md');
    assert.deepEqual(
      read.filter((name) => !configuration.includes(`\`${name}\``)),
      [],
    );
  });
});
