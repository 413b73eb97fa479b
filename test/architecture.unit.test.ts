import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';

// The layers, read from the imports themselves: the rules stay pure, and only the HTTP layer
// knows HTTP statuses.

const root = join(import.meta.dirname, '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Each import of a file: what it names (resolved to a project path when relative), and whether only its types are taken. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)].map(([, type, target]) => ({
    target: target?.startsWith('.') ? normalize(join(dirname(file), target)) : (target ?? ''),
    typeOnly: type !== undefined,
  }));
}

const everyFile = [...sourceFiles('src'), ...sourceFiles('workers'), ...sourceFiles('db')];

/** Every file and package a file loads when it runs, through what it imports in turn (types only do not load). */
function loadedBy(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const { target, typeOnly } of importsOf(file)) {
    if (typeOnly) continue;
    if (target.endsWith('.ts')) loadedBy(target, seen);
    else seen.add(target);
  }
  return seen;
}

describe('the layers of the code', () => {
  it('reads the imports it checks (the check itself can fail)', () => {
    assert.ok(everyFile.length > 50);
    assert.ok(importsOf('src/app.ts').some((i) => i.target === 'src/http/errors.ts'));
  });

  it('only the HTTP layer and the pages import the HTTP errors module', () => {
    // The HTTP layer: src/http/, the app factory, the routes of each domain, and the dashboard's plugin.
    const http = (file: string) =>
      file.startsWith('src/http/') || file.startsWith('src/pages/') || file.startsWith('src/admin/') || file === 'src/app.ts' || /[/-]routes\.ts$/.test(file);
    assert.deepEqual(
      everyFile.filter((file) => !http(file) && importsOf(file).some((i) => i.target === 'src/http/errors.ts')),
      [],
    );
  });

  it('no worker loads an HTTP module, even through what it imports', () => {
    const seen = loadedBy('workers/main.ts');
    const http = [...seen].filter((file) => file.startsWith('src/http/') || file.startsWith('src/pages/') || file.endsWith('routes.ts'));
    assert.ok(seen.size > 10, 'the walk reached the workers and what they use');
    assert.deepEqual(http, []);
  });

  it('src/domain/ imports nothing with I/O: only other rules, and types of the schema', () => {
    for (const file of sourceFiles('src/domain')) {
      for (const { target, typeOnly } of importsOf(file)) {
        const allowed = target.startsWith('src/domain/') || (typeOnly && target === 'db/schema.ts') || target === 'luxon';
        assert.ok(allowed, `${file} imports ${target}${typeOnly ? ' (types)' : ''}`);
      }
    }
  });
});

describe('the unit tests (*.unit.test.ts, npm run test:unit)', () => {
  // What would make a test more than a unit test: Redis, a child process, a browser, an SMTP
  // server, or the whole app (whose tests live beside them, named *.test.ts).
  const beyondAUnit = ['ioredis', 'bullmq', 'node:child_process', 'playwright-core', 'smtp-server', 'nodemailer', 'src/app.ts'];
  const unitTests = sourceFiles('test').filter((file) => file.endsWith('.unit.test.ts'));

  it('are found where npm run test:unit looks for them', () => {
    assert.ok(unitTests.length > 5);
    assert.ok(unitTests.includes('test/architecture.unit.test.ts'));
    assert.ok(loadedBy('test/health/ready.test.ts').has('ioredis'), 'the check sees Redis through the helpers');
  });

  it('load nothing that needs Redis, a child process, a browser or an SMTP server, nor the whole app', () => {
    for (const file of unitTests) {
      const loaded = loadedBy(file);
      assert.deepEqual(beyondAUnit.filter((what) => loaded.has(what)), [], `${file} loads them`);
    }
  });
});
