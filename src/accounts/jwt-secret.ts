import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';
import { openToOthers, privateFolder } from '../private-files.ts';

/**
 * JWT_SECRET when set (required in production); otherwise a secret generated once into a file
 * beside the database, so tokens survive a restart on a workstation without any setup.
 */
export function resolveJwtSecret(config: Pick<Config, 'jwtSecret' | 'databasePath'>): string {
  if (config.jwtSecret) return config.jwtSecret;
  const file = secretFile(config);
  if (!existsSync(file)) {
    privateFolder(dirname(file));
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

const secretFile = (config: Pick<Config, 'databasePath'>) => join(dirname(config.databasePath), 'jwt-secret');

/**
 * The secret file beside the database, when other users can read it (anyone who reads it can sign
 * tokens as any admin): what to do about it, in one line. Checked at start, even when JWT_SECRET
 * is set, since tokens it signed before may still be around.
 */
export function exposedSecretFile(config: Pick<Config, 'jwtSecret' | 'databasePath'>): string | undefined {
  const file = secretFile(config);
  if (!existsSync(file) || !openToOthers(file)) return undefined;
  const remedy = config.jwtSecret ? `chmod 600 ${file}, or delete it (JWT_SECRET is set, so it is not used)` : `chmod 600 ${file}`;
  return `The JWT secret file ${file} can be read by other users: ${remedy}.`;
}
