// `/auth/` sessions: a JWT pair whose session is a `sessions` row. The access token carries the
// row's id (`sid`) and every request reads the row, so an ended session ends at once. Refresh
// tokens rotate as one family per session (RFC 9700 §4.14): the row holds the live `jti` and the
// one it replaced, so a spent token coming back is told apart from a second tab's race.

import { insertAuditEntry } from "../db/audit";
import type { Session, User } from "../db/schema";
import { findSession, revokeSessions, rotateRefreshJti } from "../db/sessions";
import { findUserById } from "../db/users";
import { kvKey, kvTtl } from "../kv";
import { TokenRejected, ValidationFailed } from "./domain-errors";
import { openSession, type ResumedSession, resumeSession, type SessionStore } from "./sessions";
import {
  issueToken,
  newTokenIdentity,
  type TokenClaims,
  type TokenIdentity,
  type TokenSettings,
  type TokenSubject,
  type VerifiedClaims,
  verifyToken,
} from "./tokens";

export interface JwtSessionStore extends SessionStore {
  kv: KVNamespace;
  settings: TokenSettings;
  /** REFRESH_REUSE_GRACE_SECONDS, in ms: how long the token a rotation replaced still gets its successor. */
  reuseGraceMs: number;
  /** For the audit entry of a reuse. */
  requestId: string;
}

export interface TokenPair {
  access: string;
  refresh: string;
}

// What a blacklisted refresh `jti` maps to: a rotated one may still be a second tab within the grace
// window, so it goes on to MySQL; one logged out is refused on KV's word alone.
const ROTATED = "rotated";
const ENDED = "ended";

const invalid = () => new TokenRejected("invalid");

/** A fresh access token and the refresh token `refresh` names, for one session. */
async function issuePair(store: JwtSessionStore, subject: TokenSubject, refresh: TokenIdentity): Promise<TokenPair> {
  const access = newTokenIdentity(store.settings, "access", store.now());
  const [accessToken, refreshToken] = await Promise.all([
    issueToken(store.settings, "access", subject, access),
    issueToken(store.settings, "refresh", subject, refresh),
  ]);
  return { access: accessToken.token, refresh: refreshToken.token };
}

/**
 * Opens a session for a user who just proved who they are and issues its pair; undefined if they
 * have been signed out everywhere since `user` was read (their sessions revoked, their password
 * changed). The session ends when its first refresh token would: rotation never extends it.
 */
export async function startSession(store: JwtSessionStore, user: User): Promise<TokenPair | undefined> {
  const refresh = newTokenIdentity(store.settings, "refresh", store.now());
  const subject = { userId: user.id, sessionId: crypto.randomUUID() };
  const { issuedAt: createdAt, expiresAt, jti: refreshJti } = refresh;
  const opened = { kind: "jwt" as const, createdAt, expiresAt, refreshJti };
  if (!(await openSession(store, user, opened, subject.sessionId))) return undefined;
  return issuePair(store, subject, refresh);
}

export type AccessUse = Omit<ResumedSession, "session"> & { claims: TokenClaims; sessionId?: string };

/**
 * Verifies an access token and returns its user: signature, type and expiry, then the session row
 * and the user in one statement. Tokens from before sessions were rows (no `sid`) are checked as
 * they were then, until they expire.
 */
export async function authenticateAccessToken(store: JwtSessionStore, token: string): Promise<AccessUse> {
  const claims = await verifyToken(store.settings, token, "access", store.now());
  if (claims.sid === undefined) return { user: await legacyAccessUser(store, claims), claims };
  const found = await sessionOfToken(store, claims.sid, claims);
  return { user: found.user, touch: found.touch, claims, sessionId: claims.sid };
}

/** The live session a token names and its active user, who must be the token's subject; else refused. */
async function sessionOfToken(store: JwtSessionStore, sessionId: string, claims: VerifiedClaims) {
  const found = await resumeSession(store, { id: sessionId, signedBy: claims.kid }, "jwt");
  if (!found || String(found.user.id) !== claims.sub) throw invalid();
  return found;
}

/** A pre-upgrade access token: its user's token version, and the KV entry a logout left. */
async function legacyAccessUser(store: JwtSessionStore, claims: TokenClaims): Promise<User> {
  const [revoked, user] = await Promise.all([
    store.kv.get(kvKey("revokedAccess", claims.jti)),
    findUserById(store.db, Number(claims.sub)),
  ]);
  if (revoked !== null || !user?.isActive || user.tokenVersion !== claims.ver) throw invalid();
  return user;
}

/** Verifies a refresh token and returns its claims and the id of its session. */
async function verifyRefreshToken(store: JwtSessionStore, token: string) {
  const claims = await verifyToken(store.settings, token, "refresh", store.now());
  // Refresh tokens from before the upgrade have no `sid`: the migration gave their session their jti.
  return { claims, sessionId: claims.sid ?? claims.jti };
}

/** A KV entry about a token lives as long as the token would, and at least KV's minimum. */
const untilExpiry = (store: JwtSessionStore, claims: TokenClaims) => ({
  expirationTtl: kvTtl(claims.exp - Math.floor(store.now().getTime() / 1000)),
});

function blacklist(store: JwtSessionStore, claims: TokenClaims, why: typeof ROTATED | typeof ENDED) {
  return store.kv.put(kvKey("refreshBlacklist", claims.jti), why, untilExpiry(store, claims));
}

/** The token a rotation just replaced, back within the grace window: a second tab, not a thief. */
function isGraceReuse(store: JwtSessionStore, session: Session, jti: string): boolean {
  const rotatedAt = session.rotatedAt?.getTime();
  return (
    session.revokedAt === null &&
    session.previousJti === jti &&
    rotatedAt !== undefined &&
    store.now().getTime() - rotatedAt <= store.reuseGraceMs
  );
}

/** The successor a rotation recorded: signed again from the row, it is the same token. */
const successorOf = (session: Session): TokenIdentity => ({
  jti: session.refreshJti as string,
  issuedAt: session.rotatedAt as Date,
  expiresAt: session.expiresAt as Date,
});

/**
 * Trades a refresh token for a new pair. The live token rotates with one conditional UPDATE, so of
 * concurrent refreshes one writes the successor; the others, and the token just replaced coming
 * back within REFRESH_REUSE_GRACE_SECONDS, get that same successor. Any other spent token is a
 * reuse: the whole session ends, the successor with it, and the reuse is audited.
 */
export async function rotateSession(store: JwtSessionStore, refreshToken: string): Promise<TokenPair> {
  const { claims, sessionId } = await verifyRefreshToken(store, refreshToken);
  // KV and the row are read at once: each refresh token's jti is new to KV's cache, a slow read.
  const live = sessionOfToken(store, sessionId, claims);
  live.catch(() => {}); // awaited below, unless KV has refused the token already
  if ((await store.kv.get(kvKey("refreshBlacklist", claims.jti))) === ENDED) throw invalid();
  const found = await live;
  const now = store.now();
  const subject = { userId: found.user.id, sessionId };
  let session: Session | undefined = found.session;
  if (session.refreshJti === claims.jti) {
    const successor = { jti: crypto.randomUUID(), issuedAt: now, expiresAt: session.expiresAt as Date };
    if (await rotateRefreshJti(store.db, sessionId, claims.jti, successor.jti, now)) {
      await blacklist(store, claims, ROTATED);
      return issuePair(store, subject, successor);
    }
    // Another refresh with this token won the race: see what it wrote.
    session = await findSession(store.db, sessionId);
  }
  if (session && isGraceReuse(store, session, claims.jti)) return issuePair(store, subject, successorOf(session));
  await endReusedSession(store, found.user, sessionId, claims.jti);
  throw invalid();
}

async function endReusedSession(store: JwtSessionStore, user: User, sessionId: string, jti: string) {
  const now = store.now();
  await store.db.transaction(async (tx) => {
    if ((await revokeSessions(tx, { userId: user.id, ids: [sessionId] }, "reuse_detected", now)) === 0) return;
    const who = { actorId: user.id, actorEmail: user.email, targetId: user.id, targetEmail: user.email };
    const changes = { session: { before: sessionId, after: null }, reused_refresh_jti: { before: jti, after: null } };
    await insertAuditEntry(tx, { ...who, action: "refresh_reuse_detected", changes, requestId: store.requestId }, now);
  });
}

export const NOT_OWN_REFRESH = "Token does not belong to the authenticated user.";

/**
 * Logs out: the refresh token's session ends (and the access token's, if it is another), and the
 * refresh token is blacklisted. A refresh token already spent is refused, as before.
 */
export async function endSession(store: JwtSessionStore, access: TokenClaims, refreshToken: string): Promise<void> {
  const { claims: refresh, sessionId } = await verifyRefreshToken(store, refreshToken);
  if (refresh.sub !== access.sub) throw new ValidationFailed({ refresh: [NOT_OWN_REFRESH] });
  const userId = Number(refresh.sub);
  const now = store.now();
  const own = { userId, ids: [sessionId], refreshJti: refresh.jti };
  if ((await revokeSessions(store.db, own, "logout", now)) === 0) throw invalid();
  if (access.sid && access.sid !== sessionId)
    await revokeSessions(store.db, { userId, ids: [access.sid] }, "logout", now);
  await Promise.all([
    blacklist(store, refresh, ENDED),
    // A pre-upgrade access token has no row to end: KV refuses it until it expires.
    access.sid ? undefined : store.kv.put(kvKey("revokedAccess", access.jti), access.sub, untilExpiry(store, access)),
  ]);
}
