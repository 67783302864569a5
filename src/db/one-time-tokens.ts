import { and, eq, gt, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { Executor } from "./client";
import { type OneTimeToken, oneTimeTokens, type User, users } from "./schema";

/** What a link sent by mail lets its holder do. */
export type TokenPurpose = "password_reset" | "email_verification";

/**
 * Records a new token. The user's spent and expired tokens of the same purpose go first: the
 * request limits bound how many live ones a user can have, and this bounds the dead ones.
 */
export async function insertOneTimeToken(
  db: Executor,
  token: Pick<OneTimeToken, "digest" | "purpose" | "userId" | "email" | "expiresAt">,
  now: Date,
): Promise<void> {
  await db
    .delete(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.userId, token.userId),
        eq(oneTimeTokens.purpose, token.purpose),
        or(isNotNull(oneTimeTokens.usedAt), lte(oneTimeTokens.expiresAt, now)),
      ),
    );
  await db.insert(oneTimeTokens).values({ ...token, createdAt: now });
}

const isLive = (now: Date) => and(isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, now));

/** A token that is unused and unexpired, with its user; undefined for anything else. */
export async function findLiveToken(
  db: Executor,
  digest: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ token: OneTimeToken; user: User } | undefined> {
  const [row] = await db
    .select({ token: oneTimeTokens, user: users })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(and(eq(oneTimeTokens.digest, digest), eq(oneTimeTokens.purpose, purpose), isLive(now)))
    .limit(1);
  return row;
}

/**
 * Spends a token if it is still live: one conditional UPDATE, so of two concurrent uses exactly one
 * gets true.
 */
export async function useToken(tx: Executor, digest: string, now: Date): Promise<boolean> {
  const result = await tx
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(and(eq(oneTimeTokens.digest, digest), isLive(now)));
  return result.rowsAffected === 1;
}

/** Spends every outstanding token of `purpose` the user holds (a password change ends its resets). */
export async function revokeUserTokens(tx: Executor, userId: number, purpose: TokenPurpose, now: Date): Promise<void> {
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)));
}

/** Deletes every token of a user (their account is being deleted). */
export async function deleteUserTokens(tx: Executor, userId: number): Promise<void> {
  await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
}
