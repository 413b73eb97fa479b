import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

// The public routes of docs/api.md, with the statuses each can answer (414: a path parameter too long
// for the router).
const publicRoutes: Record<string, { method: string; statuses: string[] }> = {
  '/health': { method: 'get', statuses: ['200'] },
  '/ready': { method: 'get', statuses: ['200', '503'] },
  '/api/v1/collections': { method: 'get', statuses: ['200', '400'] },
  '/api/v1/collections/{collectionId}': { method: 'get', statuses: ['200', '400', '404', '414'] },
  '/api/v1/collections/{collectionId}/containers': { method: 'get', statuses: ['200', '400', '404', '414'] },
  '/api/v1/calendar': { method: 'get', statuses: ['200', '400', '404'] },
  '/api/v1/closures': { method: 'get', statuses: ['200', '400'] },
};

describe('the OpenAPI document', () => {
  it('documents a JSON schema for every status of every operation, and the bearer token of protected ones', async () => {
    const document = (await room.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = Object.entries(document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }>; security?: unknown[] }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));
    assert.ok(operations.length >= 19, `only ${operations.length} operations documented`);
    for (const { name, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '204') continue; // No Content has no body to describe.
        assert.ok(response.content?.['application/json']?.schema, `${name} documents the body of its ${status}`);
      }
      if (operation.security) assert.ok('401' in operation.responses, `${name} documents its 401`);
    }
    assert.deepEqual(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('is served at /docs/json and documents the public routes with the statuses docs/api.md gives them', async () => {
    const response = await room.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.match(document.openapi, /^3\./);
    for (const [path, { method, statuses }] of Object.entries(publicRoutes)) {
      const operation = document.paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
      assert.deepEqual(Object.keys(operation.responses).sort(), statuses, path);
      for (const status of statuses) {
        const schema = operation.responses[status].content?.['application/json']?.schema;
        assert.ok(schema && Object.keys(schema).length > 0, `${path} documents the body of its ${status}`);
      }
    }
  });

  it('is browsable in Swagger UI at /docs', async () => {
    const response = await room.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /text\/html/);
    assert.match(response.body, /swagger/i);
  });
});

describe('errors', () => {
  it('an unknown route is 404 NOT_FOUND in the documented shape', async () => {
    for (const [method, url] of [['GET', '/api/v1/nothing-here'], ['POST', '/api/v1/collections'], ['DELETE', '/health']] as const) {
      const response = await room.app.inject({ method, url });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
      assert.deepEqual({ statusCode: body.statusCode, code: body.code, error: body.error }, { statusCode: 404, code: 'NOT_FOUND', error: 'Not Found' });
    }
  });

  it('a failure on our side is a bare 500 with no stack trace or internals', async () => {
    const app = await buildApp({ config: room.config, db: room.db, redis: room.redis, clock: () => new Date() });
    app.get('/explode', async () => {
      throw new Error('SQLITE_CORRUPT: select password_hash from users at /work/src/secret.ts:12');
    });
    const response = await app.inject({ method: 'GET', url: '/explode' });
    await app.close();
    assert.equal(response.statusCode, 500);
    assert.doesNotMatch(response.body, /SQLITE|password|secret\.ts|at /);
    assert.equal(response.json().code, 'INTERNAL_ERROR');
  });
});

// helmet's headers as helmet's own middleware wrote them on every answer, in its order (src/http/docs.ts
// computes them once); only content-type, cache-control and content-length follow.
const HELMET_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('security headers', () => {
  it('are set by helmet on every answer; data answers load and are framed by nothing, pages by their own origin', async () => {
    const response = await room.app.inject({ method: 'GET', url: '/api/v1/collections' });
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
    assert.ok(response.headers['strict-transport-security']);
    const page = await room.app.inject({ method: 'GET', url: '/sign-in' });
    assert.match(page.headers['content-security-policy'] as string, /^default-src 'self';/);
    const docs = await room.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.headers['content-security-policy'], page.headers['content-security-policy'], 'Swagger UI is a page');
  });

  it('are exactly helmet\'s, and in its order, on /health, a page, a 404 and a refusal (the data answers with their own policy)', async () => {
    const answers = {
      '/health': { status: 200, rest: { 'content-type': 'application/json; charset=utf-8', 'content-length': '15' } },
      '/sign-in': { status: 200, rest: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
      '/nowhere': { status: 404, rest: { 'content-type': 'application/json; charset=utf-8' } },
      '/api/v1/requests': { status: 401, rest: { 'content-type': 'application/json; charset=utf-8' } },
    };
    for (const [url, { status, rest }] of Object.entries(answers)) {
      const response = await room.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, status, url);
      const policy = url === '/health' || url.startsWith('/api/') ? { 'content-security-policy': "default-src 'none';frame-ancestors 'none'" } : {};
      const headers = Object.fromEntries(
        Object.entries(response.headers).filter(([name]) => !['date', 'connection', 'set-cookie'].includes(name) && !(name === 'content-length' && !('content-length' in rest))),
      );
      assert.deepEqual(Object.entries(headers), Object.entries({ ...HELMET_HEADERS, ...policy, ...rest }), url);
    }
  });
});
