import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "./client";
import { type NewUser, refreshTokens, type User, users } from "./schema";

/** Emails compare case-insensitively: this is the form kept in the UNIQUE column. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserById(db: Executor, id: number): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.emailNormalized, normalizeEmail(email)))
    .limit(1);
  return user;
}

/** Inserts a user and reads it back; a taken email or username surfaces as a duplicate-key error. */
export async function insertUser(db: Database, values: NewUser): Promise<User> {
  const [{ id }] = (await db.insert(users).values(values).$returningId()) as [{ id: number }];
  const user = await findUserById(db, id);
  if (!user) throw new Error(`user ${id} vanished after insert`);
  return user;
}

export async function updateUser(db: Executor, id: number, values: Partial<NewUser>): Promise<void> {
  await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id));
}

/**
 * Sets a new password hash and refuses every token issued before: the token version moves on and
 * every live refresh token is revoked, in one transaction so neither half can land alone.
 */
export async function replacePassword(db: Database, id: number, passwordHash: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        password: passwordHash,
        passwordChangedAt: now,
        updatedAt: now,
        tokenVersion: sql`${users.tokenVersion} + 1`,
      })
      .where(eq(users.id, id));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(sql`${refreshTokens.userId} = ${id} AND ${refreshTokens.revokedAt} IS NULL`);
  });
}
