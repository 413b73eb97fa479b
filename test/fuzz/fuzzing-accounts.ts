import assert from 'node:assert/strict';
import { statement } from '../../db/statements.ts';
import type { Role } from '../../db/tables.ts';
import { findUser } from '../../src/accounts/users.ts';
import { issueToken } from '../../src/http/auth.ts';
import { makeAccount, type Account } from '../helpers/people.ts';
import type { TestReadingRoom } from '../helpers/reading-room.ts';

/** Every role the fuzzers call as (and `none`, no one). */
export const ROLES: readonly Role[] = ['researcher', 'staff', 'curator', 'admin'];

/**
 * One account per role for a fuzzer, each with a token. A fuzz case may sign an account out,
 * change its role or password, or disable it (an admin's form or PATCH, a password change):
 * `restore()` puts back every account a case changed, with a fresh token.
 */
export class FuzzingAccounts {
  private readonly accounts = new Map<Role, Account>();
  private readonly snapshots = new Map<Role, string>();
  private readonly tokens = new Map<Role, string>();

  private constructor(private readonly room: TestReadingRoom) {}

  static async make(room: TestReadingRoom, label: string): Promise<FuzzingAccounts> {
    const made = new FuzzingAccounts(room);
    for (const role of ROLES) {
      const account = await makeAccount(room.db, role, { email: `${label}-${role}@example.org` });
      made.accounts.set(role, account);
      await made.keep(role, account.user.id);
    }
    return made;
  }

  account(role: Role): Account {
    const account = this.accounts.get(role);
    assert.ok(account, `no fuzzing ${role}`);
    return account;
  }

  token(role: Role): string | undefined {
    return this.tokens.get(role);
  }

  async restore(): Promise<void> {
    for (const role of ROLES) {
      const { user } = this.account(role);
      const snapshot = this.snapshots.get(role);
      if (snapshot === undefined || (await this.row(user.id)) === snapshot) continue;
      const was = JSON.parse(snapshot) as Record<string, unknown>;
      // An instant comes back as it was written: SQLite's milliseconds, or PostgreSQL's ISO text of it.
      await statement(this.room.db.$writer, 'update users set role = ?, email = ?, email_verified_at = ?, disabled_at = null, password_hash = ? where id = ?').write(
        was.role,
        was.email,
        was.email_verified_at,
        was.password_hash,
        user.id,
      );
      await this.keep(role, user.id);
    }
  }

  /** The account as it is now, remembered, with a token issued for it. */
  private async keep(role: Role, id: number): Promise<void> {
    const user = await findUser(this.room.db, id);
    assert.ok(user);
    this.tokens.set(role, issueToken(this.room.app, user).accessToken);
    this.snapshots.set(role, await this.row(id));
  }

  private async row(id: number): Promise<string> {
    return JSON.stringify(await statement(this.room.db, 'select role, email, email_verified_at, disabled_at, token_version, password_hash from users where id = ?').first(id));
  }
}
