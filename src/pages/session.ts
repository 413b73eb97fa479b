import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UserRow } from '../accounts/users.ts';
import { SESSION_COOKIE, TOKEN_LIFETIME_SECONDS } from '../http/auth.ts';

/**
 * Secure unless the service is reached over plain HTTP on another host than this machine (browsers
 * keep Secure cookies of http://localhost, but not of a LAN address without TLS).
 */
export function cookiesSecure(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * The browser session: the same signed token the API gives, in an HttpOnly cookie. SameSite=Lax, so
 * that the link in a mail arrives signed in; every form is CSRF-protected besides.
 */
export function startSession(app: FastifyInstance, reply: FastifyReply, user: UserRow, secure: boolean): FastifyReply {
  const token = app.jwt.sign({ sub: String(user.id), role: user.role, ver: user.tokenVersion });
  return reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: TOKEN_LIFETIME_SECONDS });
}

export function endSession(reply: FastifyReply, secure: boolean): FastifyReply {
  return reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure, sameSite: 'lax', path: '/' });
}
