import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { accountOf, issueToken } from '../http/auth.ts';
import { errorResponses, Nullable } from '../http/schemas.ts';
import { originOf, type AccountRouteOptions } from './auth-routes.ts';
import { changePassword } from './passwords.ts';
import { AffiliationSchema, NameSchema, PasswordSchema, ResearchTopicSchema, TokenAnswerSchema, UserSchema } from './schemas.ts';
import { updateProfile } from './staff.ts';
import { userView } from './users.ts';

const tags = ['accounts'];
const security = [{ bearerAuth: [] }];
const config = { access: ['any'] as const };

export const meRoutes: FastifyPluginAsyncTypebox<AccountRouteOptions> = async (app, { db, publicUrl, clock }) => {
  const ctx = { db, publicUrl };

  app.get(
    '/api/v1/me',
    { config, schema: { tags, security, summary: 'The signed-in person', response: { 200: UserSchema, ...errorResponses(401) } } },
    async (request) => userView(accountOf(request)),
  );

  app.patch(
    '/api/v1/me',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Change your own name, affiliation or research topic',
        body: Type.Object(
          {
            name: Type.Optional(NameSchema),
            affiliation: Type.Optional(Nullable(AffiliationSchema)),
            researchTopic: Type.Optional(Nullable(ResearchTopicSchema)),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...errorResponses(400, 401, 413, 415) },
      },
    },
    async (request) => userView(await updateProfile(ctx, accountOf(request).id, request.body)),
  );

  app.post(
    '/api/v1/me/password',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Change your password; every older token stops working',
        description: 'Wrong current passwords are limited per account and per client IP (429 `RATE_LIMITED`).',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: PasswordSchema }, { additionalProperties: false }),
        response: { 200: TokenAnswerSchema, ...errorResponses(400, 401, 413, 415, 429) },
      },
    },
    async (request) => {
      const user = await changePassword(ctx, accountOf(request), request.body.currentPassword, request.body.newPassword, originOf(request, clock));
      return { ...issueToken(app, user), user: userView(user) };
    },
  );
};
