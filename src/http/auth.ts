import { createHash, timingSafeEqual } from 'node:crypto';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/tables.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import { whileUnchanged } from '../caches.ts';
import { isId } from '../domain/ids.ts';
import { ApiError, sendApiError } from './errors.ts';

// Who is asking, and whether their role may call the route. A route says who may call it with
// `config: { access: [...roles] }`; a route without `access` is public. The API takes a bearer
// token; pages take the browser session (the same signed token, in an HttpOnly cookie), so a
// cookie never authorises an API call and a page is never reached with a bare token.

/** The browser session's cookie. */
export const SESSION_COOKIE = 'rr_session';

/** How a refused page visit is answered (a redirect to sign in, a page saying no). */
export type PageRefusal = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403) => FastifyReply;

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
    /** `page`: the browser session only; `either`: session or bearer token (the queue dashboard). */
    session?: 'page' | 'either';
  }
  interface FastifyRequest {
    /** The signed-in person, on routes with `access`. */
    account?: UserRow;
  }
  interface FastifyInstance {
    /**
     * The person a token stands for now: signed here, not expired, of an account neither disabled
     * nor changed since (password, role, sign-out). For the access check and the pages alike.
     */
    personOf(token: string | undefined, method: string): Promise<UserRow | undefined>;
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

/** Compares two secrets in a time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

interface AccessCheckOptions {
  db: Database;
  secret: string;
  metricsToken: string | undefined;
  pageRefusal: PageRefusal;
}

async function accessCheck(app: FastifyInstance, { db, secret, metricsToken, pageRefusal }: AccessCheckOptions) {
  await app.register(jwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME_SECONDS },
    verify: { algorithms: ['HS256'] },
  });
  const verifiedTokens = new Map<string, Claims>();
  app.decorate('personOf', async (token: string | undefined, method: string) => {
    const claims = token === undefined ? undefined : verified(app, verifiedTokens, token);
    if (!claims) return undefined;
    // The person as they are now: a disabled account, or a token older than the last password
    // change, reset, role change or sign-out, no longer counts. For reads, a copy is kept while
    // the database is unchanged (src/caches.ts; shared, hence frozen); a write is about to
    // change the database anyway, and reading the person costs it less than asking whether a copy is current.
    const readPerson = async () => Object.freeze(await findUser(db, Number(claims.sub)));
    const person = await (method === 'GET' ? whileUnchanged(db, `person:${claims.sub}`, readPerson) : readPerson());
    return person && person.disabledAt === null && person.tokenVersion === claims.ver ? person : undefined;
  });

  app.decorateRequest('account', undefined);
  // Refusals are sent from the hook itself: plugins with error handlers of their own (the queue
  // dashboard) would otherwise reshape them.
  app.addHook('onRequest', async (request, reply) => {
    const { access, metricsToken: scraperAllowed, session } = request.routeOptions.config;
    if (!access) return;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (scraperAllowed && metricsToken && bearer && sameSecret(bearer, metricsToken)) return;
    const cookie = session ? request.cookies[SESSION_COOKIE] : undefined;
    const token = session === 'page' ? cookie : (bearer ?? cookie);
    // A browser (its session cookie, or asking for HTML) is answered as a page; a client as the API.
    const fromBrowser = cookie !== undefined || (request.headers.accept ?? '').includes('text/html');
    const asPage = session === 'page' || (session === 'either' && !bearer && fromBrowser);
    const refuse = (status: 401 | 403, error: ApiError) => (asPage ? pageRefusal(request, reply, status) : sendApiError(reply, error));

    const account = await app.personOf(token, request.method);
    if (!account) return refuse(401, unauthenticated());
    if (!roleMayCall(account.role, access)) return refuse(403, new ApiError(403, 'FORBIDDEN', `This is not open to the ${account.role} role.`));
    request.account = account;
  });
}

type Claims = { sub: string; role: Role; ver: number; iat: number; exp: number };

const MAX_VERIFIED_TOKENS = 10_000;
/** How far another process's clock may run ahead of this one's. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Whether the claims are of the kind this server signs: a person's id in decimal, an integer
 * token version, issued already, for no longer than a token lives. A token signed with the real
 * secret but otherwise (an `iat` in the future would outlive every "tokens issued before" rule)
 * was not made here, and counts for nothing.
 */
function madeHere(claims: Claims, nowSeconds: number): boolean {
  return (
    typeof claims.sub === 'string' &&
    /^[1-9][0-9]{0,15}$/.test(claims.sub) &&
    isId(Number(claims.sub)) &&
    Number.isInteger(claims.ver) &&
    typeof claims.iat === 'number' &&
    claims.iat <= nowSeconds + CLOCK_SKEW_SECONDS &&
    claims.exp - claims.iat <= TOKEN_LIFETIME_SECONDS
  );
}

/**
 * The claims of a token this server signed (HS256 only, not expired), or undefined. Tokens
 * verified once are remembered by their whole text until they expire: checking the signature of
 * the same token on each of a client's calls cost more than the rest of the access check. Whether
 * the person may still use it is read in the access check each time.
 */
function verified(app: FastifyInstance, known: Map<string, Claims>, token: string): Claims | undefined {
  const remembered = known.get(token);
  if (remembered && remembered.exp * 1000 > Date.now()) return remembered;
  try {
    const claims = app.jwt.verify<Claims>(token);
    if (!madeHere(claims, Date.now() / 1000)) return undefined;
    if (known.size >= MAX_VERIFIED_TOKENS) known.clear();
    known.set(token, claims);
    return claims;
  } catch {
    return undefined;
  }
}

export const accessCheckPlugin = fp(accessCheck, { name: 'access-check', dependencies: ['@fastify/cookie'] });

/** A token signed for a person: the API's bearer token and the browser session's cookie alike. */
export const signedToken = (app: FastifyInstance, user: UserRow) => app.jwt.sign({ sub: String(user.id), role: user.role, ver: user.tokenVersion });

/** A signed token for a person, as login and password changes answer it. */
export function issueToken(app: FastifyInstance, user: UserRow) {
  return {
    accessToken: signedToken(app, user),
    tokenType: 'Bearer' as const,
    expiresIn: TOKEN_LIFETIME_SECONDS,
  };
}
