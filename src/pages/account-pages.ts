import { createHmac } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { originOf, type PerIpLimit } from '../accounts/auth-routes.ts';
import { confirmPasswordReset, requestPasswordReset, RESET_ANSWER } from '../accounts/passwords.ts';
import { verifyEmail } from '../accounts/registration.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../accounts/secrets.ts';
import type { Clock } from '../domain/calendar.ts';
import { ApiError } from '../http/errors.ts';
import { htmlTemplates } from '../templates.ts';

export interface AccountPageOptions {
  db: Database;
  publicUrl: string;
  libraryName: string;
  jwtSecret: string;
  clock: Clock;
  perIpLimit: PerIpLimit;
}

// The pages the links in verification and reset mails land on (`_csrf` is optional in the body
// schemas so that a post without it is answered by the CSRF check: 403 CSRF_INVALID). A GET only shows a form (mail
// scanners follow links); the form's CSRF-protected POST does the change.

const FormText = Type.String({ maxLength: 1000 });
const hidden = { hide: true };

export const accountPages: FastifyPluginAsyncTypebox<AccountPageOptions> = async (app, options) => {
  const { db, publicUrl, libraryName, clock } = options;
  const ctx = { db, publicUrl };
  await app.register(formbody);
  await app.register(cookie, { secret: createHmac('sha256', options.jwtSecret).update('csrf cookies').digest('base64url') });
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/', secure: publicUrl.startsWith('https:') },
  });

  const render = (reply: FastifyReply, status: number, page: string, data: Record<string, unknown>) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(htmlTemplates.render(`./pages/${page}.eta`, { libraryName, passwordMin: PASSWORD_MIN, passwordMax: PASSWORD_MAX, ...data }));

  /** A domain refusal (an expired link, say) becomes a page, not JSON. */
  const refusalPage = (reply: FastifyReply, title: string, error: unknown) => {
    if (!(error instanceof ApiError) || error.statusCode >= 500) throw error;
    return render(reply, error.statusCode, 'message', { title, message: error.message, problem: true });
  };

  app.get('/verify-email', { schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(FormText) }) } }, async (request, reply) => {
    const { token } = request.query;
    if (!token) return render(reply, 400, 'message', { title: 'Confirm your e-mail address', message: 'Open this page from the link in your verification mail.', problem: true });
    return render(reply, 200, 'verify-email', { title: 'Confirm your e-mail address', token, csrfToken: reply.generateCsrf() });
  });

  app.post(
    '/verify-email',
    {
      onRequest: options.perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: Type.Object({ token: FormText, _csrf: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      try {
        verifyEmail(ctx, request.body.token, originOf(request, clock));
      } catch (error) {
        return refusalPage(reply, 'This link no longer works', error);
      }
      return render(reply, 200, 'message', { title: 'Your address is confirmed', message: 'Thank you. You can now sign in and request material.' });
    },
  );

  app.get('/reset-password', { schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(FormText) }) } }, async (request, reply) => {
    const { token } = request.query;
    if (!token) return render(reply, 200, 'request-reset', { title: 'Forgotten your password?', csrfToken: reply.generateCsrf() });
    return render(reply, 200, 'reset-password', { title: 'Choose a new password', token, csrfToken: reply.generateCsrf() });
  });

  app.post(
    '/reset-password',
    {
      onRequest: options.perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: Type.Object({ token: FormText, password: FormText, confirmation: FormText, _csrf: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { token, password, confirmation } = request.body;
      const again = (problem: string) =>
        render(reply, 400, 'reset-password', { title: 'Choose a new password', token, csrfToken: reply.generateCsrf(), problem });
      if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
        return again(`The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
      }
      if (password !== confirmation) return again('The two passwords are not the same.');
      try {
        await confirmPasswordReset(ctx, token, password, originOf(request, clock));
      } catch (error) {
        return refusalPage(reply, 'This link no longer works', error);
      }
      return render(reply, 200, 'message', { title: 'Your password has been changed', message: 'Sign in with your new password.' });
    },
  );

  app.post(
    '/reset-password/request',
    {
      onRequest: options.perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), _csrf: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      try {
        await requestPasswordReset(ctx, request.body.email, originOf(request, clock));
      } catch (error) {
        return refusalPage(reply, 'Please wait a little', error);
      }
      return render(reply, 202, 'message', { title: 'Check your mail', message: RESET_ANSWER });
    },
  );
};
