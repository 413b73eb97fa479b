import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../domain/calendar.ts';
import { accountOf, issueToken } from '../http/auth.ts';
import { errorResponses } from '../http/schemas.ts';
import type { Origin } from './audit.ts';
import { confirmPasswordReset, requestPasswordReset, RESET_ANSWER } from './passwords.ts';
import { register, REGISTRATION_ANSWER, RESET_NEEDED_ANSWER, VERIFIED_ANSWER, verifyEmail } from './registration.ts';
import { AffiliationSchema, EmailSchema, MessageSchema, NameSchema, PasswordSchema, ResearchTopicSchema, TokenAnswerSchema, TokenSchema, UserSchema } from './schemas.ts';
import { signIn, signOut } from './sign-in.ts';
import { userView } from './users.ts';

export interface AccountRouteOptions {
  db: Database;
  publicUrl: string;
  clock: Clock;
}

/** The per-IP limit shared by every account route and page post: one hook, one counter. */
export type PerIpLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Per IP, on the account routes together: enough for a library's shared network (docs/api.md). */
export const ACCOUNT_ROUTES_PER_IP = { max: 300, timeWindow: '1 hour' };

export const originOf = (request: FastifyRequest, clock: Clock): Origin => ({ ip: request.ip, now: clock() });

const tags = ['accounts'];
export const authRoutes: FastifyPluginAsyncTypebox<AccountRouteOptions & { perIpLimit: PerIpLimit }> = async (app, { db, publicUrl, clock, perIpLimit }) => {
  const ctx = { db, publicUrl };

  app.post(
    '/api/v1/auth/register',
    {
      onRequest: perIpLimit,
      schema: {
        tags,
        summary: 'Register as a researcher; the address is confirmed by a link sent to it',
        description: 'Answers 202 with the same body whether or not the address is already registered.',
        body: Type.Object(
          {
            email: EmailSchema,
            password: PasswordSchema,
            name: NameSchema,
            affiliation: Type.Optional(AffiliationSchema),
            researchTopic: Type.Optional(ResearchTopicSchema),
          },
          { additionalProperties: false },
        ),
        response: { 202: MessageSchema, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      await register(ctx, request.body, originOf(request, clock));
      return reply.code(202).send({ message: REGISTRATION_ANSWER });
    },
  );

  app.post(
    '/api/v1/auth/verify-email',
    {
      onRequest: perIpLimit,
      schema: {
        tags,
        summary: 'Confirm an address with the token of its verification mail',
        description:
          'An address registered more than once before it was confirmed keeps no password of any registration: the answer has `passwordResetNeeded: true`, and the person chooses a password through `POST /api/v1/auth/password-reset`.',
        body: Type.Object({ token: TokenSchema }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            user: UserSchema,
            passwordResetNeeded: Type.Boolean({ description: 'True when no password was kept: choose one through a password reset' }),
            message: Type.String(),
          }),
          ...errorResponses(400, 413, 415, 429),
        },
      },
    },
    async (request) => {
      const { user, passwordResetNeeded } = await verifyEmail(ctx, request.body.token, originOf(request, clock));
      return { user, passwordResetNeeded, message: passwordResetNeeded ? RESET_NEEDED_ANSWER : VERIFIED_ANSWER };
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      onRequest: perIpLimit,
      schema: {
        tags,
        summary: 'Sign in: a bearer token for 8 hours',
        body: Type.Object({ email: EmailSchema, password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: TokenAnswerSchema, ...errorResponses(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request) => {
      const user = await signIn(ctx, request.body.email, request.body.password, originOf(request, clock));
      return { ...issueToken(app, user), user: userView(user) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: ['any'] },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Sign out: every token of yours issued before this call stops working, on every device',
        response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      await signOut(ctx, accountOf(request), originOf(request, clock));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      onRequest: perIpLimit,
      schema: {
        tags,
        summary: 'Ask for a link to choose a new password',
        description: 'Answers 202 with the same body whether or not the address has an account.',
        body: Type.Object({ email: EmailSchema }, { additionalProperties: false }),
        response: { 202: MessageSchema, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body.email, originOf(request, clock));
      return reply.code(202).send({ message: RESET_ANSWER });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      onRequest: perIpLimit,
      schema: {
        tags,
        summary: 'Choose a new password with the token of a reset mail; older tokens stop working',
        body: Type.Object({ token: TokenSchema, password: PasswordSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ message: Type.String(), user: UserSchema }), ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request) => {
      const user = await confirmPasswordReset(ctx, request.body.token, request.body.password, originOf(request, clock));
      return { message: 'Your password has been changed. Sign in with the new one.', user: userView(user) };
    },
  );
};
