import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UserRow } from '../accounts/users.ts';
import { SESSION_COOKIE, signedToken, TOKEN_LIFETIME_SECONDS } from '../http/auth.ts';

/**
 * Secure when the reading room is reached over https (API.md v2): its cookies then never travel
 * in clear. Over plain HTTP a Secure cookie would be dropped by some browsers and kept by others.
 */
export function cookiesSecure(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === 'https:';
}

/**
 * The browser session: the same signed token the API gives, in an HttpOnly cookie. SameSite=Lax, so
 * that the link in a mail arrives signed in; every form is CSRF-protected besides.
 */
export function startSession(app: FastifyInstance, reply: FastifyReply, user: UserRow, secure: boolean): FastifyReply {
  return reply.setCookie(SESSION_COOKIE, signedToken(app, user), { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: TOKEN_LIFETIME_SECONDS });
}

export function endSession(reply: FastifyReply, secure: boolean): FastifyReply {
  return reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure, sameSite: 'lax', path: '/' });
}
