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
// the file in memory up to IMPORT_MAX_BYTES, the API's limit. The answer is the import's
// result, shown at once: it exists only now (re-posting imports again, which changes nothing).

const access = { access: ['admin'] as const };

/** The file input's name. */
const FILE_FIELD = 'findingAid';

/**
 * A multipart body that could not be read whole: over the size limit, more parts than the form
 * has, or malformed (cut short, no boundary). It is the sender's doing, so it is said on the page.
 */
class UnreadableUpload extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const findingAidAdminPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock }) => {
  const page = pageRenderer(config, clock);
  const maxSize = readableSize(config.importMaxBytes);

  await app.register(multipart, { limits: { fileSize: config.importMaxBytes, files: 1, fields: 1, parts: 2 } });

  /**
   * Reads the form's parts into the body before the CSRF check, which then finds `_csrf` there as
   * in every other form. Whatever stops the reading is the body's fault, never a 500.
   */
  const readParts = async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    const fields: [string, unknown][] = [];
    try {
      for await (const part of request.parts()) fields.push([part.fieldname, part.type === 'file' ? await part.toBuffer() : part.value]);
    } catch (error) {
      if ((error as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') throw new UnreadableUpload(413, `The file is too large: a finding aid may have up to ${maxSize}.`);
      throw new UnreadableUpload(400, 'The upload could not be read: send one EAD file with this form.');
    }
    request.body = Object.fromEntries(fields);
  };

  const showUpload = async (request: FastifyRequest, reply: FastifyReply, view: { problem?: string; result?: ImportResult } = {}, status = 200) => {
    const result = view.result;
    const [collection] = result ? await findCollections(db, { id: result.collectionId }) : [];
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
    if (error instanceof UnreadableUpload) return showUpload(request, reply, { problem: error.message }, error.statusCode);
    // Everything else (a missing CSRF token included) is answered as on every other route.
    throw error;
  });

  app.get(pagePaths.importFindingAid, { config: access, schema: hidden }, async (request, reply) => showUpload(request, reply));

  app.post(
    pagePaths.importFindingAid,
    {
      config: access,
      preValidation: readParts,
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
