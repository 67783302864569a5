// Sessions as rows (src/db/sessions.ts), shared by the three kinds of sign-in: a JWT pair
// (jwt-sessions.ts), an `/api/users/` key (api-tokens.ts) and an admin-site cookie
// (staff-sessions.ts). Each kind finds its row its own way; opening, resuming, listing and ending
// work alike for all.

import type { Database } from "../db/client";
import type { Session, User } from "../db/schema";
import {
  findLiveSession,
  insertSession,
  listLiveSessions,
  type RevocationReason,
  revokeSessions,
  type SessionKey,
  type SessionKind,
  touchSession,
} from "../db/sessions";
import { signOutEverywhere } from "../db/users";
import { NotFound } from "./domain-errors";
import { sha256Hex } from "./hex";

/** Where a sign-in came from, as the request tells it. */
export interface ClientFacts {
  userAgent: string;
  ip: string | null;
}

/** What every kind of session works with. */
export interface SessionStore {
  db: Database;
  client: ClientFacts;
  now: () => Date;
  /** ADMIN_SESSION_IDLE_SECONDS: an admin-site session unseen this long has ended. */
  adminIdleSeconds: number;
}

// The column's bound; a longer header is cut, not refused.
const USER_AGENT_LENGTH = 255;

export function clientFacts(userAgent: string | undefined, ip: string | undefined): ClientFacts {
  return { userAgent: (userAgent ?? "").slice(0, USER_AGENT_LENGTH), ip: ip ?? null };
}

// `last_seen_at` is kept to the minute: a busy client then costs one write a minute, not one a request.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * A new session: its kind, when it started (the time its end was reckoned from) and its end; last
 * seen when it started, unless it was moved here from elsewhere.
 */
export type OpenedSession = Pick<Session, "kind" | "createdAt" | "expiresAt"> &
  Partial<Pick<Session, "refreshJti" | "secretDigest" | "lastSeenAt">>;

/**
 * Writes a new session for a user who just proved who they are, and returns its id; undefined if
 * they have been signed out everywhere since `user` (their id and token version) was read (see
 * insertSession).
 */
export async function openSession(
  store: SessionStore,
  user: Pick<User, "id" | "tokenVersion">,
  opened: OpenedSession,
  id = crypto.randomUUID(),
) {
  const row = { lastSeenAt: opened.createdAt, ...opened, id, userId: user.id, ...store.client };
  return (await insertSession(store.db, row, user.tokenVersion)) ? id : undefined;
}

/** `seconds` after `from`. */
export const secondsAfter = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

/**
 * Opens a session whose bearer holds `secret` (an API key, an admin cookie) for `lifetimeSeconds`
 * and returns the secret; only its SHA-256 is kept. Undefined as openSession.
 */
export async function openSecretSession(
  store: SessionStore,
  user: User,
  kind: "token" | "admin",
  secret: string,
  lifetimeSeconds: number,
): Promise<string | undefined> {
  const createdAt = store.now();
  const opened = {
    kind,
    createdAt,
    expiresAt: secondsAfter(createdAt, lifetimeSeconds),
    secretDigest: await sha256Hex(secret),
  };
  return (await openSession(store, user, opened)) ? secret : undefined;
}

/** An admin-site session also ends when left idle; the other kinds only at `expires_at`. */
function isIdle(store: SessionStore, session: Session, now: Date): boolean {
  if (session.kind !== "admin") return false;
  const seen = (session.lastSeenAt ?? session.createdAt).getTime();
  return now.getTime() - seen >= store.adminIdleSeconds * 1000;
}

export interface ResumedSession {
  session: Session;
  user: User;
  /** Records this use when the last record is a minute old; the caller runs it after responding. */
  touch?: () => Promise<void>;
}

/** The live session behind `key` and its active user, in one statement; undefined for anything else. */
export async function resumeSession(
  store: SessionStore,
  key: SessionKey,
  kind: SessionKind,
): Promise<ResumedSession | undefined> {
  const now = store.now();
  const found = await findLiveSession(store.db, key, kind, now);
  if (!found?.user.isActive || isIdle(store, found.session, now)) return undefined;
  const seen = found.session.lastSeenAt?.getTime() ?? 0;
  const stale = now.getTime() - seen >= TOUCH_INTERVAL_MS;
  return { ...found, touch: stale ? () => touchSession(store.db, found.session.id, now) : undefined };
}

/** A session as its owner sees it. */
export interface SessionView {
  id: string;
  kind: SessionKind;
  created_at: string;
  last_seen_at: string | null;
  expires_at: string | null;
  user_agent: string;
  ip: string | null;
  current: boolean;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toSessionView(session: Session, currentId: string | undefined): SessionView {
  return {
    id: session.id,
    kind: session.kind,
    created_at: session.createdAt.toISOString(),
    last_seen_at: iso(session.lastSeenAt),
    expires_at: iso(session.expiresAt),
    user_agent: session.userAgent,
    ip: session.ip,
    current: session.id === currentId,
  };
}

/** A user's live sessions of every kind, newest first, the one asking marked `current`. */
export async function sessionsOf(store: SessionStore, userId: number, currentId?: string): Promise<SessionView[]> {
  const now = store.now();
  const rows = await listLiveSessions(store.db, userId, now);
  return rows.filter((row) => !isIdle(store, row, now)).map((row) => toSessionView(row, currentId));
}

/** Ends one live session of a user; another user's, or one already ended, is not found. */
export async function endSessionOf(
  store: SessionStore,
  userId: number,
  sessionId: string,
  reason: RevocationReason,
): Promise<void> {
  const ended = await revokeSessions(store.db, { userId, ids: [sessionId] }, reason, store.now());
  if (ended === 0) throw new NotFound("No such session.");
}

/**
 * Ends every session of a user, or all but `keepId`; a login still checking its password then writes
 * none either (the token version moves on).
 */
export function endAllSessionsOf(store: SessionStore, userId: number, keepId?: string): Promise<void> {
  const now = store.now();
  return store.db.transaction((tx) =>
    signOutEverywhere(tx, userId, "logout_everywhere", { now, exceptSessionId: keepId }),
  );
}
