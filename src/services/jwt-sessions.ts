import type { Database } from "../db/client";
import { insertRefreshToken, rotateRefreshToken, spendRefreshToken } from "../db/refresh-tokens";
import type { User } from "../db/schema";
import { findUserById } from "../db/users";
import { kvKey, kvTtl } from "../kv";
import { TokenRejected, ValidationFailed } from "./domain-errors";
import { type IssuedToken, issueToken, type TokenClaims, type TokenSettings, verifyToken } from "./tokens";

export interface SessionDeps {
  db: Database;
  kv: KVNamespace;
  settings: TokenSettings;
  now?: Date;
}

export interface TokenPair {
  access: string;
  refresh: string;
}

function remainingTtl(claims: TokenClaims, now: Date): number {
  return kvTtl(claims.exp - Math.floor(now.getTime() / 1000));
}

/** Usable only by an active user whose tokens have not been revoked wholesale since issue. */
function isCurrent(user: User | undefined, claims: TokenClaims): user is User {
  return user?.isActive === true && user.tokenVersion === claims.ver;
}

async function issuePair({ settings, now = new Date() }: SessionDeps, user: User) {
  const subject = { userId: user.id, tokenVersion: user.tokenVersion };
  const [access, refresh] = await Promise.all([
    issueToken(settings, "access", subject, now),
    issueToken(settings, "refresh", subject, now),
  ]);
  return { access, refresh };
}

const refreshRecord = (user: User, refresh: IssuedToken) => ({
  jti: refresh.jti,
  userId: user.id,
  tokenVersion: user.tokenVersion,
  expiresAt: refresh.expiresAt,
});

/**
 * Issues an access and a refresh token to a user who just proved who they are; undefined if they
 * have been signed out everywhere since `user` was read (their sessions revoked, their password
 * changed).
 */
export async function startSession(deps: SessionDeps, user: User): Promise<TokenPair | undefined> {
  const { access, refresh } = await issuePair(deps, user);
  if (!(await insertRefreshToken(deps.db, refreshRecord(user, refresh), deps.now))) return undefined;
  return { access: access.token, refresh: refresh.token };
}

/**
 * Verifies an access token and returns its user: signature, type, expiry, the per-token
 * revocation in KV and the user's state are all checked. The KV read and the user lookup run
 * together to save a round trip.
 */
export async function authenticateAccessToken(deps: SessionDeps, token: string) {
  const claims = await verifyToken(deps.settings, token, "access", deps.now);
  const [revoked, user] = await Promise.all([
    deps.kv.get(kvKey("revokedAccess", claims.jti)),
    findUserById(deps.db, Number(claims.sub)),
  ]);
  if (revoked !== null || !isCurrent(user, claims)) throw new TokenRejected("invalid");
  return { user, claims };
}

/** Verifies a refresh token and that it is not on the blacklist: the cheap checks, before MySQL. */
async function verifyRefreshToken(deps: SessionDeps, token: string): Promise<TokenClaims> {
  const claims = await verifyToken(deps.settings, token, "refresh", deps.now);
  if ((await deps.kv.get(kvKey("refreshBlacklist", claims.jti))) !== null) throw new TokenRejected("invalid");
  return claims;
}

function blacklistRefreshToken(deps: SessionDeps, claims: TokenClaims): Promise<void> {
  const now = deps.now ?? new Date();
  return deps.kv.put(kvKey("refreshBlacklist", claims.jti), claims.sub, { expirationTtl: remainingTtl(claims, now) });
}

/**
 * Trades a refresh token for a new pair (ROTATE_REFRESH_TOKENS) and blacklists it
 * (BLACKLIST_AFTER_ROTATION). MySQL decides which of concurrent uses wins, and writes no successor
 * for a user signed out since the read; every other use is refused.
 */
export async function rotateSession(deps: SessionDeps, refreshToken: string): Promise<TokenPair> {
  const claims = await verifyRefreshToken(deps, refreshToken);
  const user = await findUserById(deps.db, Number(claims.sub));
  if (!isCurrent(user, claims)) throw new TokenRejected("invalid");
  const { access, refresh } = await issuePair(deps, user);
  const spent = { jti: claims.jti, userId: user.id };
  const rotated = await rotateRefreshToken(deps.db, spent, refreshRecord(user, refresh), deps.now);
  if (!rotated) throw new TokenRejected("invalid");
  await blacklistRefreshToken(deps, claims);
  return { access: access.token, refresh: refresh.token };
}

export const NOT_OWN_REFRESH = "Token does not belong to the authenticated user.";

/**
 * Ends a session: the refresh token is spent and blacklisted, and the access token used to ask is
 * refused from now until it expires.
 */
export async function endSession(deps: SessionDeps, access: TokenClaims, refreshToken: string): Promise<void> {
  const refresh = await verifyRefreshToken(deps, refreshToken);
  if (refresh.sub !== access.sub) {
    throw new ValidationFailed({ refresh: [NOT_OWN_REFRESH] });
  }
  if (!(await spendRefreshToken(deps.db, refresh.jti, Number(refresh.sub), deps.now))) {
    throw new TokenRejected("invalid");
  }
  const now = deps.now ?? new Date();
  await Promise.all([
    blacklistRefreshToken(deps, refresh),
    deps.kv.put(kvKey("revokedAccess", access.jti), access.sub, { expirationTtl: remainingTtl(access, now) }),
  ]);
}
