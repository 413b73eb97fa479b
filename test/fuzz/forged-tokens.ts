import { createHmac } from 'node:crypto';

// Authorization headers an attacker forges: `alg: none`, another secret, an expired or
// not-yet-valid token, a subject that does not exist or is not a number, a stale token version,
// a disallowed algorithm, a tampered payload under the old signature, and plain garbage.
// Signed with the app's real secret where that is the point (expired, unknown subject, stale
// version), so the only thing wrong is the thing tested. Then tokens with the real signature and
// odd claims or headers, which no attacker can make without the secret: the fuzzer sends them
// too (whatever they get, it must be no 5xx), and a role claim must never outrank the database.

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function signJwt(header: Record<string, unknown>, payload: unknown, secret: string, algorithm: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac(algorithm, secret).update(unsigned).digest('base64url')}`;
}

export interface Subject {
  id: number;
  role: string;
}

interface TokenSetting {
  secret: string;
  subjects: Subject[];
  now: Date;
}

/** What both lists start from: the instant in seconds, an admin and a researcher to name, admin claims. */
function material({ subjects, now }: TokenSetting) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + 3600;
  const admin = subjects.find((s) => s.role === 'admin') ?? subjects[0] ?? { id: 1, role: 'admin' };
  const researcher = subjects.find((s) => s.role === 'researcher') ?? admin;
  const claims = (extra: Record<string, unknown>) => ({ sub: String(admin.id), role: 'admin', ver: 0, iat, exp, ...extra });
  return { iat, exp, admin, researcher, claims };
}

const hs256 = { alg: 'HS256', typ: 'JWT' };

/** Full `Authorization` header values, none of which may let anyone in (401). */
export function forgedAuthorizations(setting: TokenSetting): string[] {
  const { secret } = setting;
  const { iat, exp, admin, researcher, claims } = material(setting);
  const real = signJwt(hs256, claims({}), secret);
  const [realHeader, , realSignature] = real.split('.');
  const tokens = [
    // alg none, unsigned, and with an empty or bogus signature
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({}))}.`,
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({}))}`,
    `${b64({ alg: 'None' })}.${b64(claims({}))}.${realSignature}`,
    `${b64({ alg: 'nOnE' })}.${b64(claims({}))}.`,
    // another secret, an empty one, and the secret's own name
    signJwt(hs256, claims({}), 'not the secret'),
    signJwt(hs256, claims({}), ''),
    signJwt(hs256, claims({}), 'secret'),
    // the real secret, but expired, not yet valid, issued in the future, without exp
    signJwt(hs256, claims({ iat: iat - 9 * 3600, exp: iat - 3600 }), secret),
    signJwt(hs256, claims({ exp: iat - 1 }), secret),
    signJwt(hs256, claims({ nbf: iat + 3600 }), secret),
    // the real secret, with subjects that are no one, or not numbers
    signJwt(hs256, claims({ sub: '999999' }), secret),
    signJwt(hs256, claims({ sub: '0' }), secret),
    signJwt(hs256, claims({ sub: '-1' }), secret),
    signJwt(hs256, claims({ sub: 'abc' }), secret),
    signJwt(hs256, claims({ sub: "1' OR '1'='1" }), secret),
    signJwt(hs256, claims({ sub: '1e3' }), secret),
    signJwt(hs256, claims({ sub: '9007199254740993' }), secret),
    signJwt(hs256, claims({ sub: { id: admin.id } }), secret),
    signJwt(hs256, claims({ sub: null }), secret),
    signJwt(hs256, { role: 'admin', ver: 0, iat, exp }, secret),
    // the real secret, a stale or odd token version
    signJwt(hs256, claims({ ver: 99 }), secret),
    signJwt(hs256, claims({ ver: -1 }), secret),
    signJwt(hs256, claims({ ver: '0' }), secret),
    signJwt(hs256, claims({ ver: null }), secret),
    // odd claim types
    signJwt(hs256, claims({ exp: 'never' }), secret),
    signJwt(hs256, '"just a string"', secret),
    signJwt(hs256, [], secret),
    // algorithms that are not allowed, with the real secret
    signJwt({ alg: 'HS512', typ: 'JWT' }, claims({}), secret, 'sha512'),
    signJwt({ alg: 'HS384', typ: 'JWT' }, claims({}), secret, 'sha384'),
    `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims({}))}.${realSignature}`,
    // a payload tampered with under the real signature
    `${realHeader}.${b64(claims({ sub: String(researcher.id) }))}.${realSignature}`,
    `${realHeader}.${b64(claims({ exp: exp + 10 ** 6 }))}.${realSignature}`,
  ].map((token) => `Bearer ${token}`);
  return [
    ...tokens,
    'Bearer',
    'Bearer ',
    'Bearer a.b.c',
    'Bearer ..',
    'Bearer null',
    `Bearer ${real.slice(0, -2)}`,
    `Bearer ${real} ${real}`,
    `bearer ${real.replace(/./, 'x')}`,
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Token ${real.split('.').reverse().join('.')}`,
    `Bearer ${'A'.repeat(8000)}`,
    `Bearer ${b64('{')}.${b64('{')}.x`,
    `Bearer \u0000`,
  ];
}

/** A token with the real signature, and the answer `GET /api/v1/me` owes it. */
export interface SignedOddity {
  authorization: string;
  /** 401: claims this server never signs; 200: the person of `sub`, with the role in the database. */
  answer: 200 | 401;
  /** Whose answer a 200 is. */
  subject?: number;
  why: string;
}

/**
 * Tokens signed with the real secret for a real subject, with odd claims or headers, which only
 * the server can make. Claims it never signs (an `iat` in the future, an array `sub`, an `exp`
 * beyond a token's lifetime, a `crit` header it does not understand) are refused; headers it does
 * not use (`kid`, `jku`) change nothing; and a role claim never outranks the database.
 */
export function signedOddities(setting: TokenSetting): SignedOddity[] {
  const { secret } = setting;
  const { iat, exp, admin, researcher, claims } = material(setting);
  const oddity = (token: string, answer: 200 | 401, why: string, subject?: number): SignedOddity => ({ authorization: `Bearer ${token}`, answer, why, ...(subject ? { subject } : {}) });
  return [
    oddity(signJwt(hs256, claims({ iat: iat + 3600, exp: iat + 7200 }), secret), 401, 'issued an hour from now'),
    oddity(signJwt(hs256, claims({ sub: [admin.id] }), secret), 401, 'an array sub'),
    oddity(signJwt(hs256, claims({ exp: 1e300 }), secret), 401, 'an exp far beyond a token’s lifetime'),
    oddity(signJwt(hs256, { sub: String(researcher.id), role: 'admin', ver: 0, iat, exp }, secret), 200, 'a researcher claiming the admin role', researcher.id),
    oddity(signJwt({ alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null' }, claims({}), secret), 200, 'a kid header, not used', admin.id),
    oddity(signJwt({ alg: 'HS256', typ: 'JWT', jku: 'http://evil.example/jwks.json' }, claims({}), secret), 200, 'a jku header, never fetched', admin.id),
    oddity(signJwt({ alg: 'HS256', crit: ['exp'] }, claims({}), secret), 401, 'a crit header naming what is not an extension'),
  ];
}
