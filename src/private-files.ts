import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

// What the reading room keeps on disk (the database, its WAL, the signing secret, mail with live
// reset and verification links, backups) is for the account that runs it: files 0600, folders 0700.

const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_FOLDER = 0o700;
/** Any access for the group or for others. */
const OTHERS = 0o077;

/** Creates `folder` and its missing parents owner-only; a folder that exists is left as it is. */
export function privateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: OWNER_ONLY_FOLDER });
}

/**
 * Creates `file` empty and owner-only if it is missing, so that whatever writes it next (SQLite,
 * which gives its -wal and -shm files the database's mode) starts from 0600; one left by an older
 * version with a wider mode is narrowed.
 */
export function privateFile(file: string): void {
  closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
  narrow(file);
}

/** Takes the group's and others' access away from `file`, if it exists. */
export function narrow(file: string): void {
  if (existsSync(file) && openToOthers(file)) chmodSync(file, OWNER_ONLY_FILE);
}

export function openToOthers(file: string): boolean {
  return (statSync(file).mode & OTHERS) !== 0;
}
