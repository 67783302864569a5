import { findApiTokenUser, insertApiToken, touchApiToken } from "../db/api-tokens";
import type { Database } from "../db/client";
import type { User } from "../db/schema";
import { TokenRejected } from "./domain-errors";
import { randomHex, sha256Hex } from "./hex";

// DRF authtoken-style keys: 40 hex characters from the CSPRNG, kept server-side only as a digest.
export const API_KEY_PATTERN = /^[0-9a-f]{40}$/;

/** A fresh key, as DRF's `binascii.hexlify(os.urandom(20))` makes them. */
export function generateApiKey(): string {
  return randomHex(20);
}

/**
 * The SHA-256 of a key, hex: what the database stores and looks up. A fast hash is enough because
 * keys carry 160 random bits, so there is nothing to brute-force.
 */
export async function digestApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

// `last_used_at` is kept to the minute: a busy client then costs one write a minute, not one a request.
const LAST_USED_PRECISION_MS = 60_000;

export interface ApiTokenDeps {
  db: Database;
  ttlSeconds: number;
  now?: Date;
}

/**
 * Issues a key for one client of a user who just proved who they are; only its digest is kept.
 * Undefined if they have been signed out everywhere since `user` was read (their sessions revoked,
 * their password changed).
 */
export async function issueApiToken(
  { db, ttlSeconds, now = new Date() }: ApiTokenDeps,
  user: User,
): Promise<string | undefined> {
  const key = generateApiKey();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const record = { digest: await digestApiKey(key), userId: user.id, tokenVersion: user.tokenVersion, expiresAt };
  return (await insertApiToken(db, record, now)) ? key : undefined;
}

export interface ApiTokenUse {
  user: User;
  digest: string;
  /** Records the use when the last record is stale; the caller runs it after responding. */
  touch?: () => Promise<void>;
}

/** The active user a live key belongs to; anything else is refused alike. */
export async function authenticateApiKey(db: Database, key: string, now = new Date()): Promise<ApiTokenUse> {
  if (!API_KEY_PATTERN.test(key)) throw new TokenRejected("malformed");
  const digest = await digestApiKey(key);
  const found = await findApiTokenUser(db, digest, now);
  if (!found?.user.isActive) throw new TokenRejected("invalid");
  const stale = !found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS;
  return { user: found.user, digest, touch: stale ? () => touchApiToken(db, digest, now) : undefined };
}
