import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { originOf } from '../accounts/auth-routes.ts';
import { register, REGISTRATION_ANSWER } from '../accounts/registration.ts';
import { signIn, signOut } from '../accounts/sign-in.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import { findCollections } from '../collections/store.ts';
import { attempt, homeOf, pageRenderer, pathOnThisSite, seeOther, type PageOptions } from './kit.ts';
import { cookiesSecure, endSession, startSession } from './session.ts';
import { emailProblem, FormBody, FormText, hidden, passwordProblem } from './form.ts';


/** Signing in and out, registering, and the front page. */
export const sessionPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { db, config, clock, perIpLimit }) => {
  const secure = cookiesSecure(config.publicUrl);
  const ctx = { db, publicUrl: config.publicUrl };
  const page = pageRenderer(config, clock);

  /** The person of a still-valid session cookie, on a public page (for the front page's links). */
  const sessionPerson = (request: FastifyRequest) => app.personOf(request.cookies[SESSION_COOKIE], request.method);

  app.get('/', { schema: hidden }, async (request, reply) => {
    const person = await sessionPerson(request);
    if (person) return seeOther(reply, config, homeOf[person.role]);
    return page(request, reply, 'home', { title: config.libraryName, collections: await findCollections(db) });
  });

  app.get('/sign-in', { schema: { ...hidden, querystring: Type.Object({ next: Type.Optional(FormText) }) } }, async (request, reply) =>
    page(request, reply, 'sign-in', { title: 'Sign in', next: pathOnThisSite(request.query.next, config) ?? '', email: '' }),
  );

  app.post(
    '/sign-in',
    {
      onRequest: perIpLimit,
      preHandler: app.csrfProtection,
      schema: { ...hidden, body: FormBody({ email: FormText, password: FormText, next: Type.Optional(FormText) }) },
    },
    async (request, reply) => {
      const { email, password, next } = request.body;
      const signedIn = await attempt(() => signIn(ctx, email, password, originOf(request, clock)));
      if (!signedIn.ok) {
        const { message, statusCode } = signedIn.refusal;
        return page(request, reply, 'sign-in', { title: 'Sign in', next: pathOnThisSite(next, config) ?? '', email, problem: message }, statusCode);
      }
      startSession(app, reply, signedIn.value, secure);
      return seeOther(reply, config, next, homeOf[signedIn.value.role]);
    },
  );

  // Ends the person's tokens, not only this browser's cookie: a copy of it must not outlive the session.
  app.post('/sign-out', { preHandler: app.csrfProtection, schema: { ...hidden, body: FormBody({}) } }, async (request, reply) => {
    const person = await sessionPerson(request);
    if (person) await signOut(ctx, person, originOf(request, clock));
    return seeOther(endSession(reply, secure), config, '/sign-in');
  });

  app.get('/register', { schema: hidden }, async (request, reply) => page(request, reply, 'register', { title: 'Register as a researcher', form: {} }));

  app.post(
    '/register',
    {
      onRequest: perIpLimit,
      preHandler: app.csrfProtection,
      schema: {
        ...hidden,
        body: FormBody({
          email: FormText,
          password: FormText,
          name: FormText,
          affiliation: Type.Optional(FormText),
          researchTopic: Type.Optional(FormText),
        }),
      },
    },
    async (request, reply) => {
      const { _csrf: _token, ...form } = request.body;
      const problem = registrationProblem(form);
      if (problem) return page(request, reply, 'register', { title: 'Register as a researcher', form, problem }, 400);
      const registered = await attempt(() =>
        register(ctx, { ...form, affiliation: form.affiliation || undefined, researchTopic: form.researchTopic || undefined }, originOf(request, clock)),
      );
      if (!registered.ok) {
        return page(request, reply, 'register', { title: 'Register as a researcher', form, problem: registered.refusal.message }, registered.refusal.statusCode);
      }
      return page(request, reply, 'message', { title: 'Check your mail', message: REGISTRATION_ANSWER }, 202);
    },
  );
};

/** What the registration API's schema would refuse, said to a person. */
function registrationProblem(form: { email: string; password: string; name: string }): string | undefined {
  return emailProblem(form.email) ?? passwordProblem(form.password) ?? (form.name.trim() ? undefined : 'Please give your name.');
}
