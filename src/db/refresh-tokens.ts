import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "./client";
import { refreshTokens } from "./schema";

export interface RefreshTokenRecord {
  jti: string;
  userId: number;
  expiresAt: Date;
}

export async function insertRefreshToken(db: Executor, record: RefreshTokenRecord, now = new Date()): Promise<void> {
  await db.insert(refreshTokens).values({ ...record, createdAt: now });
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

/** Spends one token and records its successor in one transaction: a failure leaves the old one live. */
export async function rotateRefreshToken(
  db: Executor,
  spent: { jti: string; userId: number },
  successor: RefreshTokenRecord,
  now = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await spendRefreshToken(tx, spent.jti, spent.userId, now))) return false;
    await insertRefreshToken(tx, successor, now);
    return true;
  });
}

/** Revokes every live refresh token of a user. */
export async function revokeUserRefreshTokens(db: Executor, userId: number, now = new Date()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
