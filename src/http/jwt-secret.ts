import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';

/**
 * JWT_SECRET when set (required in production); otherwise a secret generated once into a file
 * beside the database, so tokens survive a restart on a workstation without any setup.
 */
export function resolveJwtSecret(config: Pick<Config, 'jwtSecret' | 'databasePath'>): string {
  if (config.jwtSecret) return config.jwtSecret;
  const file = join(dirname(config.databasePath), 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
