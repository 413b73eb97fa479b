import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

// Passwords and single-use tokens. Neither is ever logged, returned, or stored in the clear.

/** OWASP's argon2id parameters: 19 MiB of memory, 2 iterations, 1 degree of parallelism. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
/** The longest e-mail address an SMTP path allows (RFC 5321). */
export const EMAIL_MAX = 254;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/**
 * Stored instead of a hash when an account has no password yet (its address registered more than
 * once: see verifyEmail). No password matches it; a reset sets one.
 */
export const NO_PASSWORD = 'none: to be chosen through a password reset';

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (an unknown address, or an account
 * without a password) it checks against a dummy one, so that answer takes the same time as a
 * wrong password.
 */
export async function passwordMatches(hash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not the password of anyone at all');
  const usable = hash !== undefined && hash !== NO_PASSWORD;
  const matches = await argon2.verify(usable ? hash : await dummyHash, password).catch(() => false);
  return usable && matches;
}

/** A random token for a link in a mail (256 bits), and the hash under which it is stored. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
