import { and, eq, gt, isNull, TransactionRollbackError } from "drizzle-orm";
import type { Executor } from "./client";
import { refreshTokens } from "./schema";
import { insertIfTokenVersion } from "./token-version";

export interface RefreshTokenRecord {
  jti: string;
  userId: number;
  /** The token's `ver`: the row is written only while the user still has it. */
  tokenVersion: number;
  expiresAt: Date;
}

/**
 * Records a new refresh token; false, with nothing written, if the user has been signed out since
 * `tokenVersion` was read.
 */
export function insertRefreshToken(db: Executor, record: RefreshTokenRecord, now = new Date()): Promise<boolean> {
  const { tokenVersion, ...row } = record;
  return insertIfTokenVersion(db, refreshTokens, { ...row, createdAt: now }, tokenVersion);
}

/**
 * Spends a refresh token if, and only if, it is still live and belongs to the user. The conditional
 * UPDATE is the atomic check: of concurrent callers with one token exactly one sees a changed row.
 */
export async function spendRefreshToken(db: Executor, jti: string, userId: number, now = new Date()): Promise<boolean> {
  const result = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(
      and(
        eq(refreshTokens.jti, jti),
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, now),
      ),
    );
  return result.rowsAffected === 1;
}

/**
 * Spends one token and records its successor in one transaction: false, with nothing written, if the
 * token was spent already or the user was signed out since the successor's version was read.
 */
export async function rotateRefreshToken(
  db: Executor,
  spent: { jti: string; userId: number },
  successor: RefreshTokenRecord,
  now = new Date(),
): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      // The successor first: its insert locks the user's row before the spend locks the token's,
      // the order a sign-out takes them in, so the two cannot deadlock.
      if (!(await insertRefreshToken(tx, successor, now))) return false;
      if (!(await spendRefreshToken(tx, spent.jti, spent.userId, now))) tx.rollback();
      return true;
    });
  } catch (error) {
    if (error instanceof TransactionRollbackError) return false;
    throw error;
  }
}

/** Revokes every live refresh token of a user. */
export async function revokeUserRefreshTokens(db: Executor, userId: number, now = new Date()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
