import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { noteVisibilities } from '../../db/tables.ts';
import type { Clock } from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { errorResponses, IdSchema, literals } from '../http/schemas.ts';
import type { RequestsContext } from './moves.ts';
import { addNote, NOTE_TEXT_MAX, noteView, readNotes } from './notes.ts';

const tags = ['requests'];
const security = [{ bearerAuth: [] }];

export const NoteSchema = Type.Object({
  id: IdSchema,
  requestId: IdSchema,
  authorId: IdSchema,
  visibility: literals(noteVisibilities),
  text: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const noteRoutes: FastifyPluginAsyncTypebox<{ ctx: RequestsContext; clock: Clock }> = async (app, { ctx, clock }) => {
  app.post(
    '/api/v1/requests/:id/notes',
    {
      config: { access: ['staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: 'Write a note on a request: for the reading room only (staff), or for the researcher too (researcher, mailed to them)',
        params: Type.Object({ id: IdSchema }),
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: NOTE_TEXT_MAX }), visibility: literals(noteVisibilities) }, { additionalProperties: false }),
        response: { 201: NoteSchema, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(noteView(await addNote(ctx, request.params.id, accountOf(request), request.body, clock))),
  );

  app.get(
    '/api/v1/requests/:id/notes',
    {
      config: { access: ['researcher', 'staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: "A request's notes, oldest first: its researcher reads those written for them, staff and curators all",
        params: Type.Object({ id: IdSchema }),
        response: { 200: Type.Object({ items: Type.Array(NoteSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: (await readNotes(ctx.db, request.params.id, accountOf(request))).map(noteView) }),
  );
};
