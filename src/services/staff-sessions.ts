// Admin-site (staff) sessions: `sessions` rows of kind `admin`. The cookie holds a random 256-bit
// id; the row holds only its SHA-256, so a leaked table holds no usable session.

import type { User } from "../db/schema";
import { revokeSessionBySecret } from "../db/sessions";
import { type AdminSessionRecord, kvKey } from "../kv";
import { randomHex, sha256Hex } from "./hex";
import {
  openSecretSession,
  openSession,
  type ResumedSession,
  resumeSession,
  type SessionStore,
  secondsAfter,
} from "./sessions";

const SESSION_ID = /^[0-9a-f]{64}$/;

export interface StaffSessionStore extends SessionStore {
  /** Where sessions from before the upgrade are, until each is moved into a row. */
  kv: KVNamespace;
  /** The absolute lifetime from login: a session kept busy ends too, so a stolen cookie is not good forever. */
  maxSeconds: number;
}

/**
 * Starts a session for a user who just logged in; returns the id for the cookie, or undefined if
 * they were signed out everywhere since `user` was read.
 */
export function createAdminSession(store: StaffSessionStore, user: User): Promise<string | undefined> {
  return openSecretSession(store, user, "admin", randomHex(32), store.maxSeconds);
}

/**
 * The live session behind a cookie value and its user, or undefined once it has been idle too long
 * (ADMIN_SESSION_IDLE_SECONDS, against `last_seen_at`), reached its lifetime or been revoked.
 */
export async function resumeAdminSession(store: StaffSessionStore, id: string): Promise<ResumedSession | undefined> {
  if (!SESSION_ID.test(id)) return undefined;
  const digest = await sha256Hex(id);
  return (await resumeSession(store, { secretDigest: digest }, "admin")) ?? adoptKvSession(store, digest);
}

/**
 * Moves a session from before the upgrade, when they were KV records, into a row on its first
 * request: its user must still have the token version it was made under. Once the longest of them
 * (ADMIN_SESSION_MAX_SECONDS) has passed, none is left and this finds nothing.
 */
async function adoptKvSession(store: StaffSessionStore, digest: string): Promise<ResumedSession | undefined> {
  const key = kvKey("adminSession", digest);
  const record = await store.kv.get<AdminSessionRecord>(key, "json");
  if (!record) return undefined;
  await store.kv.delete(key);
  const createdAt = new Date(record.createdAt * 1000);
  const opened = {
    kind: "admin" as const,
    createdAt,
    lastSeenAt: new Date(record.seenAt * 1000),
    expiresAt: secondsAfter(createdAt, store.maxSeconds),
    secretDigest: digest,
  };
  // The insert selects from the user's row: a user gone, or signed out since, gets nothing.
  const user = { id: record.userId, tokenVersion: record.tokenVersion };
  if (!(await openSession(store, user, opened))) return undefined;
  return resumeSession(store, { secretDigest: digest }, "admin");
}

/** Ends a session server-side: its cookie is worthless from now on. */
export async function endAdminSession(store: StaffSessionStore, id: string): Promise<void> {
  if (SESSION_ID.test(id)) await revokeSessionBySecret(store.db, "admin", await sha256Hex(id), "logout", store.now());
}
