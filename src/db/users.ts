import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { Database, Executor } from "./client";
import { deleteUserTokens, revokeUserTokens } from "./one-time-tokens";
import { type NewUser, sessions, type User, users } from "./schema";
import { type RevocationReason, revokeSessions } from "./sessions";

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

// A confirmation vouches for the role it was given to: a new role written without saying who
// confirmed it is unconfirmed, whoever writes it.
function withRoleConfirmation(values: Partial<NewUser>): Partial<NewUser> {
  if (values.role === undefined || values.roleConfirmedAt !== undefined) return values;
  return { ...values, roleConfirmedAt: null, roleConfirmedBy: null };
}

export async function updateUser(db: Executor, id: number, values: Partial<NewUser>): Promise<void> {
  await db
    .update(users)
    .set({ updatedAt: new Date(), ...withRoleConfirmation(values) })
    .where(eq(users.id, id));
}

/**
 * Records an administrator's confirmation of `role` if the user still has it, unconfirmed: a role
 * changed or confirmed meanwhile is left alone, so what was confirmed is what the caller saw.
 */
export async function confirmRole(
  tx: Executor,
  id: number,
  role: string,
  confirmation: { roleConfirmedAt: Date; roleConfirmedBy: number },
): Promise<boolean> {
  const result = await tx
    .update(users)
    .set({ ...confirmation, updatedAt: confirmation.roleConfirmedAt })
    .where(and(eq(users.id, id), eq(users.role, role), isNull(users.roleConfirmedAt)));
  return result.rowsAffected === 1;
}

/**
 * Replaces a password hash with a stronger one of the same password if the row still holds the hash
 * that was checked: a password change that committed in between is kept, not undone.
 */
export async function upgradePasswordHash(db: Executor, id: number, checked: string, upgraded: string): Promise<void> {
  await db
    .update(users)
    .set({ password: upgraded, updatedAt: new Date() })
    .where(and(eq(users.id, id), eq(users.password, checked)));
}

export interface SignOut {
  now?: Date;
  /** Changes to the user's row, written with the sign-out. */
  changes?: Partial<NewUser>;
  /** A session to keep: the caller's own, when they end all the others. */
  exceptSessionId?: string;
}

/**
 * Signs a user out everywhere: every live session is revoked with `reason`, and the token version
 * moves on, so a login still checking the password writes no session either. Run it in a
 * transaction; the user's row is locked first, the order every session insert takes.
 */
export async function signOutEverywhere(
  tx: Executor,
  id: number,
  reason: RevocationReason,
  { now = new Date(), changes = {}, exceptSessionId }: SignOut = {},
): Promise<void> {
  await tx
    .update(users)
    .set({ ...withRoleConfirmation(changes), updatedAt: now, tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, id));
  await revokeSessions(tx, { userId: id, exceptId: exceptSessionId }, reason, now);
}

/** Sets a new password hash; every session ends, and every reset link mailed before is spent. */
export function replacePassword(
  db: Database,
  id: number,
  passwordHash: string,
  reason: RevocationReason,
  now = new Date(),
): Promise<void> {
  const changes = { password: passwordHash, passwordChangedAt: now };
  return db.transaction(async (tx) => {
    await signOutEverywhere(tx, id, reason, { now, changes });
    await revokeUserTokens(tx, id, "password_reset", now);
  });
}

/**
 * Points a user at a new picture key (or none) if the row still holds `previous`: of two
 * concurrent uploads one wins, and the loser knows to delete the object it stored.
 */
export async function swapProfilePicture(
  db: Executor,
  id: number,
  previous: string | null,
  next: string | null,
): Promise<boolean> {
  const result = await db
    .update(users)
    .set({ profilePicture: next, updatedAt: new Date() })
    .where(
      and(eq(users.id, id), previous === null ? isNull(users.profilePicture) : eq(users.profilePicture, previous)),
    );
  return result.rowsAffected === 1;
}

/**
 * How many active users other than `excludedId` hold a seat (`superuser`, or `admin`: the admin
 * role, staff or superuser flag), locking those rows so two demotions cannot both count the other.
 */
export async function countOtherActive(tx: Executor, seat: "superuser" | "admin", excludedId: number) {
  const holds =
    seat === "superuser"
      ? eq(users.isSuperuser, true)
      : or(eq(users.role, "admin"), eq(users.isStaff, true), eq(users.isSuperuser, true));
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(holds, eq(users.isActive, true), ne(users.id, excludedId)))
    .for("update");
  return rows.length;
}

/** Deletes a user and every session of theirs (and links sent by mail); run it in a transaction. */
export async function deleteUserRows(tx: Executor, id: number): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.userId, id));
  await deleteUserTokens(tx, id);
  await tx.delete(users).where(eq(users.id, id));
}
