import {
  and,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  lt,
  ne,
  or,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import type { MySqlColumn } from "drizzle-orm/mysql-core";
import type { Executor } from "./client";
import { type NewSession, type Session, sessions, signingKeys, type User, users } from "./schema";

export type SessionKind = Session["kind"];

/** Why a session ended; kept on the row. */
export type RevocationReason =
  | "logout"
  | "logout_everywhere"
  | "password_change"
  | "password_reset"
  | "admin"
  | "reuse_detected"
  | "deactivated";

/** Not revoked and not past its absolute end (`now`, or a prepared statement's placeholder for it). */
const live = (now: Date | Placeholder) =>
  and(isNull(sessions.revokedAt), or(isNull(sessions.expiresAt), gt(sessions.expiresAt, now)));

/**
 * Inserts a session only while its user still has the token version the login read:
 * `INSERT … SELECT <the row> FROM users WHERE id = ? AND token_version = ? FOR UPDATE`. A login
 * reads the user and checks the password (~20 ms) before it writes its session, and a sign-out
 * (which bumps the version, then revokes every row) may commit in between: then there is nothing to
 * insert. One still in flight holds the user's row, so the locking read waits for it and then finds
 * nothing, at any isolation level; one that starts later revokes the row written. True if written.
 */
export async function insertSession(db: Executor, row: NewSession, tokenVersion: number): Promise<boolean> {
  // Every column in the table's order, as Drizzle's INSERT … SELECT requires, each value encoded as
  // its column would encode it in a plain INSERT; one left out is NULL.
  const values = Object.entries(getTableColumns(sessions)).map(([key, column]) => [
    key,
    sql`${sql.param(row[key as keyof NewSession] ?? null, column)}`,
  ]);
  const result = await db.insert(sessions).select((qb) =>
    qb
      .select(Object.fromEntries(values))
      .from(users)
      .where(and(eq(users.id, row.userId), eq(users.tokenVersion, tokenVersion)))
      .for("update"),
  );
  return result.rowsAffected === 1;
}

/** A session by its id (a JWT's `sid`, with the `kid` that signed the JWT), or by its secret's digest. */
export type SessionKey = { id: string; signedBy?: string } | { secretDigest: string };

// The read every authenticated request makes, built once per database handle (one per isolate)
// and per key column, then only executed: Drizzle need not build the same SQL each request. It
// also reads the signing key a JWT names, so that a revoked key's tokens are refused at once on
// every isolate, not when each reloads its key cache; a kid that is no row (HS256's, or none)
// joins nothing and passes.
type LiveSessionQuery = ReturnType<typeof prepareLiveSession>;
const liveSessionQueries = new WeakMap<Executor, Partial<Record<"id" | "secretDigest", LiveSessionQuery>>>();

function prepareLiveSession(db: Executor, column: "id" | "secretDigest") {
  return db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(signingKeys, eq(signingKeys.kid, sql.placeholder("kid")))
    .where(
      and(
        eq(sessions[column], sql.placeholder("key")),
        eq(sessions.kind, sql.placeholder("kind")),
        live(sql.placeholder("now")),
        isNull(signingKeys.revokedAt),
      ),
    )
    .limit(1)
    .prepare();
}

/**
 * A live session of `kind` and its user, by the session's id or the digest of its secret: the one
 * statement an authenticated request costs (a primary key or unique index, joined by primary key).
 */
export async function findLiveSession(
  db: Executor,
  key: SessionKey,
  kind: SessionKind,
  now: Date,
): Promise<{ session: Session; user: User } | undefined> {
  const column = "id" in key ? "id" : "secretDigest";
  const queries = liveSessionQueries.get(db) ?? {};
  liveSessionQueries.set(db, queries);
  queries[column] ??= prepareLiveSession(db, column);
  const value = "id" in key ? key.id : key.secretDigest;
  const kid = ("signedBy" in key && key.signedBy) || "";
  // A placeholder's value goes to the driver as it is: encoded here as the column encodes a Date.
  const at = sessions.expiresAt.mapToDriverValue(now);
  const [row] = await queries[column].execute({ key: value, kind, kid, now: at });
  return row;
}

/** A session by id, whatever its state: what a refresh reads again after losing a rotation race. */
export async function findSession(db: Executor, id: string): Promise<Session | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

export async function touchSession(db: Executor, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

/**
 * Moves a JWT session on from the refresh token `presented` to `successor`, if, and only if,
 * `presented` is still its live one: of concurrent refreshes with one token exactly one changes the
 * row. True for that one.
 */
export async function rotateRefreshJti(
  db: Executor,
  id: string,
  presented: string,
  successor: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .update(sessions)
    .set({ refreshJti: successor, previousJti: presented, rotatedAt: now, lastSeenAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.refreshJti, presented), live(now)));
  return result.rowsAffected === 1;
}

export interface SessionFilter {
  userId: number;
  /** Only these sessions; all of the user's when left out. */
  ids?: string[];
  /** All but this one. */
  exceptId?: string;
  /** Only a JWT session whose refresh token is still this one. */
  refreshJti?: string;
}

/** Revokes a user's live sessions that match; how many it revoked. */
export async function revokeSessions(
  db: Executor,
  filter: SessionFilter,
  reason: RevocationReason,
  now: Date,
): Promise<number> {
  const conditions: (SQL | undefined)[] = [eq(sessions.userId, filter.userId), isNull(sessions.revokedAt)];
  if (filter.ids) conditions.push(inArray(sessions.id, filter.ids));
  if (filter.exceptId) conditions.push(ne(sessions.id, filter.exceptId));
  if (filter.refreshJti) conditions.push(eq(sessions.refreshJti, filter.refreshJti));
  const result = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(...conditions));
  return result.rowsAffected;
}

/** A user's live sessions, newest first. */
export function listLiveSessions(db: Executor, userId: number, now: Date): Promise<Session[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), live(now)))
    .orderBy(desc(sessions.createdAt), desc(sessions.id));
}

/**
 * Deletes up to `limit` sessions whose `column` (their end, or their revocation) is before
 * `before`; how many. One condition a statement, so each runs on its own index.
 */
export async function deleteSessionsEndedBefore(
  db: Executor,
  column: "expiresAt" | "revokedAt",
  before: Date,
  limit: number,
): Promise<number> {
  const ended: MySqlColumn = sessions[column];
  const result = await db.delete(sessions).where(lt(ended, before)).limit(limit);
  return result.rowsAffected;
}

/** Revokes the live session of `kind` whose secret has this digest (a cookie presented, not a user's). */
export async function revokeSessionBySecret(
  db: Executor,
  kind: SessionKind,
  secretDigest: string,
  reason: RevocationReason,
  now: Date,
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.secretDigest, secretDigest), eq(sessions.kind, kind), isNull(sessions.revokedAt)));
}
