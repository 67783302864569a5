// DRF tokens brought over by `npm run import:django`, as `/api/users/` token sessions.
import { inArray } from "drizzle-orm";
import type { Executor } from "./client";
import { type NewSession, sessions } from "./schema";

/**
 * Which of these secret digests some session already has, live or not: a token imported before (and
 * perhaps revoked here since) is never written again.
 */
export async function findExistingSecretDigests(db: Executor, digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await db
    .select({ digest: sessions.secretDigest })
    .from(sessions)
    .where(inArray(sessions.secretDigest, digests));
  return new Set(rows.map((row) => row.digest ?? ""));
}

/** Inserts imported token sessions in one statement. */
export async function insertImportedSessions(tx: Executor, rows: NewSession[]): Promise<void> {
  if (rows.length > 0) await tx.insert(sessions).values(rows);
}
