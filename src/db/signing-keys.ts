import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "./client";
import { duplicateKeyName } from "./mysql-errors";
import { type SigningKeyRow, signingKeys } from "./schema";

/** Every signing key, oldest first: a handful of rows, read whole into each isolate's cache. */
export function listSigningKeys(db: Executor): Promise<SigningKeyRow[]> {
  return db.select().from(signingKeys).orderBy(asc(signingKeys.generation));
}

/**
 * Adds a key; false, with nothing written, when another writer took its generation first (the
 * UNIQUE index decides: two isolates making the first key end with one).
 */
export async function insertSigningKey(db: Executor, row: SigningKeyRow): Promise<boolean> {
  try {
    await db.insert(signingKeys).values(row);
    return true;
  } catch (error) {
    if (duplicateKeyName(error) === "signing_keys_generation_unique") return false;
    throw error;
  }
}

/**
 * Moves a key's times while it is not revoked: its retirement (its successor's start, or null when
 * that successor was revoked before it started), or its start (a revocation's successor signs now).
 */
export async function rescheduleSigningKey(
  db: Executor,
  kid: string,
  times: Partial<Pick<SigningKeyRow, "activatesAt" | "retiredAt">>,
): Promise<boolean> {
  const result = await db
    .update(signingKeys)
    .set(times)
    .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.revokedAt)));
  return result.rowsAffected === 1;
}

/** Revokes a key at `at`; false if it does not exist or already was. */
export async function revokeSigningKey(db: Executor, kid: string, at: Date): Promise<boolean> {
  const result = await db
    .update(signingKeys)
    .set({ revokedAt: at })
    .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.revokedAt)));
  return result.rowsAffected === 1;
}
