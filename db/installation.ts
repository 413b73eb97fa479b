import { randomBytes } from 'node:crypto';
import type { Database } from './client.ts';
import { commit } from './transactions.ts';
import { installation } from './tables.ts';

/** This database's installation id (made by migration 0003 with the database itself). */
export async function installationId(db: Database): Promise<string> {
  const [row] = await db.select({ id: installation.id }).from(installation).limit(1);
  if (!row) throw new Error('this database has no installation id: its migrations did not run');
  return row.id;
}

/**
 * Gives the database a new installation id: for a copy that is to run beside its original (a
 * staging copy on the same Redis), never for a restored backup, which must stay the same
 * installation so that no mail is sent twice.
 */
export async function renewInstallationId(db: Database): Promise<string> {
  const id = randomBytes(6).toString('hex');
  await commit(db, async (tx) => {
    await tx.update(installation).set({ id });
  });
  return id;
}
