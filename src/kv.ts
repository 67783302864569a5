// Every record kept in AUTH_KV: its key prefix, the shape of its value and how long it lives. The
// README's KV table lists exactly these prefixes (a test compares them). KV is eventually
// consistent and has no compare-and-set, so nothing here decides a race: MySQL does.

/** KV refuses an `expirationTtl` under 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;

/** The key prefix of each record type. */
export const KV_PREFIXES = {
  /** A spent refresh token's `jti` -> its user id; until the token would have expired. */
  refreshBlacklist: "blacklist:refresh:",
  /** A logged-out access token's `jti` -> its user id; until the token would have expired. */
  revokedAccess: "revoked:access:",
  /** The SHA-256 of an admin-site session id -> AdminSessionRecord; the idle timeout. */
  adminSession: "admin:session:",
  /** The SHA-256 of a normalized email -> FailureCounter; until its window closes. */
  adminThrottleAccount: "admin:throttle:account:",
  /** A client address group (IPv4, or IPv6 /64) -> FailureCounter; until its window closes. */
  adminThrottleAddress: "admin:throttle:ip:",
} as const;

export type KvRecord = keyof typeof KV_PREFIXES;

/** The key of one record. */
export function kvKey(record: KvRecord, id: string): string {
  return KV_PREFIXES[record] + id;
}

/** A TTL KV accepts: `seconds`, or the floor when that is shorter. */
export function kvTtl(seconds: number): number {
  return Math.max(KV_MIN_TTL_SECONDS, Math.ceil(seconds));
}

/** An admin-site session (`adminSession`). */
export interface AdminSessionRecord {
  userId: number;
  /** The user's token version at login: revoking their sessions or a new password ends this one too. */
  tokenVersion: number;
  /** Unix seconds of the login. */
  createdAt: number;
  /** Unix seconds of the last request that refreshed the record. */
  seenAt: number;
}

/** Failed admin logins in one window (`adminThrottleAccount`, `adminThrottleAddress`). */
export interface FailureCounter {
  failures: number;
  /** Unix seconds when the window that the first failure opened closes. */
  resetAt: number;
}
