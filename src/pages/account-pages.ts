import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { originOf } from '../accounts/auth-routes.ts';
import { confirmPasswordReset, requestPasswordReset, RESET_ANSWER } from '../accounts/passwords.ts';
import { RESET_NEEDED_ANSWER, verifyEmail } from '../accounts/registration.ts';
import { attempt, pageRenderer, type PageOptions } from './kit.ts';
import { FormBody, FormText, hidden, passwordProblem } from './form.ts';

// The pages the links in verification and reset mails land on. A GET only shows a form (mail
// scanners follow links); the form's CSRF-protected POST does the change. (`_csrf` is optional in
// the body schemas so that a post without it is answered by the CSRF check: 403 CSRF_INVALID.)


export const accountPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, perIpLimit }) => {
  const ctx = { db, publicUrl: config.publicUrl };
  const page = pageRenderer(config, clock);
  const linkFailed = (request: FastifyRequest, reply: FastifyReply, message: string, status: number) =>
    page(request, reply, 'message', { title: 'This link no longer works', message, problem: true }, status);

  app.get('/verify-email', { schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(FormText) }) } }, async (request, reply) => {
    const { token } = request.query;
    if (!token) return page(request, reply, 'message', { title: 'Confirm your e-mail address', message: 'Open this page from the link in your verification mail.', problem: true }, 400);
    return page(request, reply, 'verify-email', { title: 'Confirm your e-mail address', token });
  });

  app.post(
    '/verify-email',
    {
      onRequest: perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ token: FormText }) },
    },
    async (request, reply) => {
      const verified = await attempt(() => verifyEmail(ctx, request.body.token, originOf(request, clock)));
      if (!verified.ok) return linkFailed(request, reply, verified.refusal.message, verified.refusal.statusCode);
      if (verified.value.passwordResetNeeded) {
        return page(request, reply, 'message', { title: 'Your address is confirmed', message: RESET_NEEDED_ANSWER, link: { href: '/reset-password', label: 'Choose your password' } });
      }
      return page(request, reply, 'message', { title: 'Your address is confirmed', message: 'Thank you. You can now sign in and request material.', link: { href: '/sign-in', label: 'Sign in' } });
    },
  );

  app.get('/reset-password', { schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(FormText) }) } }, async (request, reply) => {
    const { token } = request.query;
    if (!token) return page(request, reply, 'request-reset', { title: 'Forgotten your password?' });
    return page(request, reply, 'reset-password', { title: 'Choose a new password', token });
  });

  app.post(
    '/reset-password',
    {
      onRequest: perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ token: FormText, password: FormText, confirmation: FormText }) },
    },
    async (request, reply) => {
      const { token, password, confirmation } = request.body;
      const again = (problem: string) => page(request, reply, 'reset-password', { title: 'Choose a new password', token, problem }, 400);
      const weak = passwordProblem(password);
      if (weak) return again(weak);
      if (password !== confirmation) return again('The two passwords are not the same.');
      const reset = await attempt(() => confirmPasswordReset(ctx, token, password, originOf(request, clock)));
      if (!reset.ok) return linkFailed(request, reply, reset.refusal.message, reset.refusal.statusCode);
      return page(request, reply, 'message', { title: 'Your password has been changed', message: 'Sign in with your new password.', link: { href: '/sign-in', label: 'Sign in' } });
    },
  );

  app.post(
    '/reset-password/request',
    {
      onRequest: perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ email: Type.String({ format: 'email', maxLength: 254 }) }) },
    },
    async (request, reply) => {
      const requested = await attempt(() => requestPasswordReset(ctx, request.body.email, originOf(request, clock)));
      if (!requested.ok) return page(request, reply, 'message', { title: 'Please wait a little', message: requested.refusal.message, problem: true }, requested.refusal.statusCode);
      return page(request, reply, 'message', { title: 'Check your mail', message: RESET_ANSWER }, 202);
    },
  );
};
