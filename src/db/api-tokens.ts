import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "./client";
import { apiTokens, type User, users } from "./schema";
import { insertIfTokenVersion } from "./token-version";

export interface ApiTokenRecord {
  digest: string;
  userId: number;
  /** The user's token version the login read: the row is written only while it is still theirs. */
  tokenVersion: number;
  expiresAt: Date;
}

/**
 * Records a new key; false, with nothing written, if the user has been signed out since
 * `tokenVersion` was read.
 */
export function insertApiToken(db: Executor, record: ApiTokenRecord, now = new Date()): Promise<boolean> {
  const { tokenVersion, ...row } = record;
  return insertIfTokenVersion(db, apiTokens, { ...row, createdAt: now }, tokenVersion);
}

/**
 * The user a live token belongs to, in one indexed query: a revoked or expired token matches no row.
 * The caller still checks `isActive`, so an inactive user's token reads as unknown.
 */
export async function findApiTokenUser(
  db: Executor,
  digest: string,
  now = new Date(),
): Promise<{ user: User; lastUsedAt: Date | null } | undefined> {
  const [row] = await db
    .select({ user: users, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.digest, digest), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)))
    .limit(1);
  return row;
}

export async function touchApiToken(db: Executor, digest: string, now = new Date()): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.digest, digest));
}

/** Revokes one token (a client's logout). */
export async function revokeApiToken(db: Executor, digest: string, now = new Date()): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.digest, digest), isNull(apiTokens.revokedAt)));
}

/** Revokes every live token of a user. */
export async function revokeUserApiTokens(db: Executor, userId: number, now = new Date()): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}
