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
