import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users, type Role } from '../../db/tables.ts';
import type { Recipient } from '../mail/catalogue.ts';
import type { Writer } from '../../db/transactions.ts';
import { containing, prepared } from '../../db/statements.ts';

export type UserRow = typeof users.$inferSelect;

/** A person as the API shows them: never a password hash or a token version. */
export function userView(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    affiliation: row.affiliation,
    researchTopic: row.researchTopic,
    emailVerified: row.emailVerifiedAt !== null,
    identityVerified: row.identityVerifiedAt !== null,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

export type UserView = ReturnType<typeof userView>;

/**
 * Whom a mail to this person is addressed to. The name greets them only once the address is
 * verified: before, anyone could have typed any name with anyone's address.
 */
export const mailRecipient = (user: UserRow): Recipient => ({ email: user.email, name: user.emailVerifiedAt === null ? null : user.name });

/** Addresses are compared and stored in lower case, without surrounding spaces. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(db: Writer, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
  return user;
}

/** The user with this id; none for null (a class session's request has no researcher). */
export async function findUser(db: Writer, id: number | null): Promise<UserRow | undefined> {
  if (id === null) return undefined;
  return prepared(db, 'findUser', () => db.select().from(users).where(eq(users.id, sql.placeholder('id')))).first({ id });
}

/** Everyone with one of these roles who can be written to (not disabled, address verified). */
export async function activeUsersWithRole(db: Writer, role: Role): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.role, role), sql`${users.disabledAt} is null`, sql`${users.emailVerifiedAt} is not null`))
    .orderBy(asc(users.id));
}

/** A page of people, oldest accounts first, filtered by role and by a piece of name or address. */
export async function listUsers(db: Database, filter: { role?: Role; q?: string; afterId?: number; limit: number }): Promise<UserRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.role === undefined ? undefined : eq(users.role, filter.role),
    filter.afterId === undefined ? undefined : gt(users.id, filter.afterId),
  ];
  if (filter.q !== undefined) {
    conditions.push(or(containing(users.name, filter.q), containing(users.email, filter.q)));
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(filter.limit);
}
