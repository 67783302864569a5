import type { User } from "../db/schema";
import { TokenRejected } from "./domain-errors";
import { randomHex, sha256Hex } from "./hex";
import { openSecretSession, type ResumedSession, resumeSession, type SessionStore } from "./sessions";

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

export interface ApiTokenStore extends SessionStore {
  ttlSeconds: number;
}

/**
 * Opens a token session for a user who just proved who they are and returns its key; only the key's
 * digest is kept. Undefined if they have been signed out everywhere since `user` was read (their
 * sessions revoked, their password changed).
 */
export function issueApiToken(store: ApiTokenStore, user: User): Promise<string | undefined> {
  return openSecretSession(store, user, "token", generateApiKey(), store.ttlSeconds);
}

/** The active user of a live key and its session, in one statement; anything else is refused alike. */
export async function authenticateApiKey(store: SessionStore, key: string): Promise<ResumedSession> {
  if (!API_KEY_PATTERN.test(key)) throw new TokenRejected("malformed");
  const found = await resumeSession(store, { secretDigest: await digestApiKey(key) }, "token");
  if (!found) throw new TokenRejected("invalid");
  return found;
}
