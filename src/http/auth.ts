import { createHash, timingSafeEqual } from 'node:crypto';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import { ApiError, sendApiError } from './errors.ts';

// Who is asking, and whether their role may call the route. A route says who may call it with
// `config: { access: [...roles] }`; a route without `access` is public.

export const TOKEN_LIFETIME_SECONDS = 8 * 3600;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: Role; ver: number };
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may call the route (`any`: every signed-in person). */
    access?: readonly (Role | 'any')[];
    /** The route also answers `Authorization: Bearer <METRICS_TOKEN>` (a scraper, not a person). */
    metricsToken?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in person, on routes with `access`. */
    account?: UserRow;
  }
}

/** Admins hold every right of staff and curators; researchers' own routes are theirs alone. */
export function roleMayCall(role: Role, access: readonly (Role | 'any')[]): boolean {
  if (access.includes('any') || access.includes(role)) return true;
  return role === 'admin' && (access.includes('staff') || access.includes('curator'));
}

const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED', 'Sign in first: send a valid token as `Authorization: Bearer <token>`.');

/** The signed-in person of a request on a protected route (set by the access check). */
export function accountOf(request: FastifyRequest): UserRow {
  if (!request.account) throw unauthenticated();
  return request.account;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

async function accessCheck(app: FastifyInstance, { db, secret, metricsToken }: { db: Database; secret: string; metricsToken: string | undefined }) {
  await app.register(jwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME_SECONDS },
    verify: { algorithms: ['HS256'] },
  });

  app.decorateRequest('account', undefined);
  // Refusals are sent from the hook itself: plugins with error handlers of their own (the queue
  // dashboard) would otherwise reshape them.
  app.addHook('onRequest', async (request, reply) => {
    const { access, metricsToken: scraperAllowed } = request.routeOptions.config;
    if (!access) return;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (scraperAllowed && metricsToken && bearer && sameSecret(bearer, metricsToken)) return;
    let claims: { sub: string; role: Role; ver: number };
    try {
      claims = await request.jwtVerify();
    } catch {
      return sendApiError(reply, unauthenticated());
    }
    // The person as they are now: a disabled account, or a token older than the last password
    // change, reset or role change, no longer counts.
    const account = findUser(db, Number(claims.sub));
    if (!account || account.disabledAt !== null || account.tokenVersion !== claims.ver) return sendApiError(reply, unauthenticated());
    if (!roleMayCall(account.role, access)) {
      return sendApiError(reply, new ApiError(403, 'FORBIDDEN', `This is not open to the ${account.role} role.`));
    }
    request.account = account;
  });
}

export const accessCheckPlugin = fp(accessCheck, { name: 'access-check' });

/** A signed token for a person, as login and password changes answer it. */
export function issueToken(app: FastifyInstance, user: UserRow) {
  return {
    accessToken: app.jwt.sign({ sub: String(user.id), role: user.role, ver: user.tokenVersion }),
    tokenType: 'Bearer' as const,
    expiresIn: TOKEN_LIFETIME_SECONDS,
  };
}
