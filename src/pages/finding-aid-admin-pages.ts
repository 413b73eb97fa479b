import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findCollections } from '../collections/store.ts';
import { todayIn } from '../domain/calendar.ts';
import { importFindingAid, type ImportResult } from '../finding-aids/import.ts';
import { pagePaths } from '../links.ts';
import { readableSize, readingWords } from '../wording.ts';
import { attempt, pageRenderer, type PageOptions } from './kit.ts';
import { FormBody, hidden } from './form.ts';

// The admin's upload of an EAD finding aid: the same import as POST /api/v1/collections/import,
// from a file chosen in the browser. Without JavaScript a browser sends a file only as
// multipart/form-data, so this plugin (and no other route) reads that, through @fastify/multipart,
// whole parts in memory up to IMPORT_MAX_BYTES, the API's limit. The answer is the import's
// result, shown at once: it exists only now (re-posting imports again, which changes nothing).

const access = { access: ['admin'] as const };

/** The file input's name. */
const FILE_FIELD = 'findingAid';

/** @fastify/multipart's refusals of a body it will not read whole: said on the page, not as JSON. */
const multipartRefusals = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT', 'FST_PROTO_VIOLATION', 'FST_MP_PREMATURE_CLOSE']);

export const findingAidAdminPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);
  const maxSize = readableSize(config.importMaxBytes);

  // The CSRF token is a field of the same form: the parts are read (into the body) before the
  // CSRF check, which then finds `_csrf` there as in every other form.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 1, parts: 2 },
  });

  const showUpload = (request: FastifyRequest, reply: FastifyReply, view: { problem?: string; result?: ImportResult } = {}, status = 200) => {
    const result = view.result;
    const [collection] = result ? findCollections(db, { id: result.collectionId }) : [];
    return page(
      request,
      reply,
      'admin-finding-aid',
      {
        title: 'Import a finding aid',
        action: pagePaths.importFindingAid,
        maxSize,
        fileField: FILE_FIELD,
        result: result && collection
          ? {
              ...result,
              collection: { callNumber: collection.callNumber, title: collection.title, href: pagePaths.collection(collection.id), containersHref: pagePaths.collectionContainers(collection.id) },
              restrictionTexts: result.restrictionTexts.map((t) => ({ ...t, readingWords: readingWords(t.reading) })),
            }
          : null,
        problem: view.problem ?? null,
      },
      status,
    );
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (multipartRefusals.has(error.code)) {
      const problem =
        error.code === 'FST_REQ_FILE_TOO_LARGE'
          ? `The file is too large: a finding aid may have up to ${maxSize}.`
          : 'Send one EAD file with this form.';
      return showUpload(request, reply, { problem }, error.statusCode ?? 400);
    }
    // Everything else (a missing CSRF token included) is answered as on every other route.
    throw error;
  });

  app.get(pagePaths.importFindingAid, { config: access, schema: hidden }, async (request, reply) => showUpload(request, reply));

  app.post(
    pagePaths.importFindingAid,
    {
      config: access,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        // The file arrives as bytes (a Buffer), which no JSON schema describes.
        body: FormBody({ [FILE_FIELD]: Type.Optional(Type.Unknown()) }),
      },
    },
    async (request, reply) => {
      const file = request.body[FILE_FIELD];
      if (!Buffer.isBuffer(file) || file.length === 0) return showUpload(request, reply, { problem: 'Choose the EAD file of the finding aid to import.' }, 400);
      const imported = await attempt(() => importFindingAid(db, file, todayIn(config.timezone, clock())));
      if (!imported.ok) return showUpload(request, reply, { problem: imported.refusal.message }, imported.refusal.statusCode);
      return showUpload(request, reply, { result: imported.value });
    },
  );
};
