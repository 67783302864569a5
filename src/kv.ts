// Every record kept in AUTH_KV: its key prefix, the shape of its value and how long it lives. The
// README's KV table lists exactly these prefixes (a test compares them). KV is eventually
// consistent and has no compare-and-set, so nothing here decides a race: MySQL does, and attempt
// counts live in Durable Objects (src/limiter-object.ts).

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
  /** The first 5 hex digits of a SHA-1 -> that Pwned Passwords range's `SUFFIX:COUNT` lines; a day. */
  pwnedRange: "pwned:range:",
} as const;

export type KvRecord = keyof typeof KV_PREFIXES;

/** The key of one record. */
export function kvKey(record: KvRecord, id: string): string {
  return KV_PREFIXES[record] + id;
}

/** How long a Pwned Passwords range is kept (`pwnedRange`): new breaches reach the list slowly. */
export const PWNED_RANGE_TTL_SECONDS = 86_400;

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
