import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { accountOf } from '../http/auth.ts';
import { afterCursor, errorResponses, pageLimit, IdSchema, page, PageQuery } from '../http/schemas.ts';
import { originOf, type AccountRouteOptions } from './auth-routes.ts';
import { DocumentTypeSchema, EmailSchema, NameSchema, PasswordSchema, RoleSchema, UserSchema } from './schemas.ts';
import { createAccount, recordIdentityCheck, updateAccount } from './staff.ts';
import { listUsers, userView } from './users.ts';

const tags = ['users'];
const security = [{ bearerAuth: [] }];
const UserParams = Type.Object({ userId: IdSchema });

export const userRoutes: FastifyPluginAsyncTypebox<AccountRouteOptions> = async (app, { db, publicUrl, clock }) => {
  const ctx = { db, publicUrl };

  app.post(
    '/api/v1/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security,
        summary: 'Create an account (staff, curators, admins); its address counts as verified',
        body: Type.Object({ email: EmailSchema, password: PasswordSchema, name: NameSchema, role: RoleSchema }, { additionalProperties: false }),
        response: { 201: UserSchema, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = await createAccount(ctx, request.body, accountOf(request).id, originOf(request, clock));
      return reply.code(201).send(userView(user));
    },
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security,
        summary: "Change a person's role, or disable the account; either ends their tokens",
        description: 'The last active admin cannot be demoted or disabled (409 `LAST_ADMIN`).',
        params: UserParams,
        body: Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => userView(await updateAccount(ctx, request.params.userId, request.body, accountOf(request).id, originOf(request, clock))),
  );

  app.get(
    '/api/v1/users',
    {
      config: { access: ['staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: 'People, oldest accounts first, by role and by a piece of name or address',
        querystring: Type.Object({ role: Type.Optional(RoleSchema), q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...PageQuery }),
        response: {
          200: Type.Object({ items: Type.Array(UserSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { role, q, cursor } = request.query;
      const limit = pageLimit(request.query.limit);
      return page(await listUsers(db, { role, q, afterId: afterCursor(cursor), limit: limit + 1 }), limit, userView);
    },
  );

  app.post(
    '/api/v1/users/:userId/identity-verification',
    {
      config: { access: ['staff'] },
      schema: {
        tags,
        security,
        summary: "Record the first-visit photo-ID check at the desk",
        params: UserParams,
        body: Type.Object({ documentType: DocumentTypeSchema, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => userView(await recordIdentityCheck(ctx, request.params.userId, request.body, accountOf(request).id, originOf(request, clock))),
  );
};
