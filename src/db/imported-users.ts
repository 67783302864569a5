// The importer's queries (`npm run import:django`): users found in bulk by their Django id or email,
// and written in batches. Every batch runs in one transaction, so an interrupted import leaves no
// half-written user.
import { inArray } from "drizzle-orm";
import type { Executor } from "./client";
import { type NewUser, type User, users } from "./schema";

/** The users already imported with any of these Django ids. */
export function findUsersByLegacyIds(db: Executor, legacyIds: number[]): Promise<User[]> {
  if (legacyIds.length === 0) return Promise.resolve([]);
  return db.select().from(users).where(inArray(users.legacyId, legacyIds));
}

/** The users holding any of these normalized emails. */
export function findUsersByNormalizedEmails(db: Executor, emails: string[]): Promise<User[]> {
  if (emails.length === 0) return Promise.resolve([]);
  return db.select().from(users).where(inArray(users.emailNormalized, emails));
}

/** Which of these usernames are taken, and by whom. */
export function findUsernameHolders(
  db: Executor,
  usernames: string[],
): Promise<{ username: string; legacyId: number | null }[]> {
  if (usernames.length === 0) return Promise.resolve([]);
  return db
    .select({ username: users.username, legacyId: users.legacyId })
    .from(users)
    .where(inArray(users.username, usernames));
}

/** Inserts imported users in one statement. */
export async function insertImportedUsers(tx: Executor, rows: NewUser[]): Promise<void> {
  if (rows.length > 0) await tx.insert(users).values(rows);
}
