// Password hashes in Django's self-describing `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` format:
// Django can verify the hashes made here, and this Worker Django's own (src/services/django-hashes.ts).

import { type CheckableHash, DEFAULT_HASH_LIMITS, deriveFor, type HashLimits, readDjangoHash } from "./django-hashes";
import { pbkdf2Base64, WEBCRYPTO_MAX_ITERATIONS } from "./pbkdf2";

const ALGORITHM = "pbkdf2_sha256";
// Deployed Workers reject WebCrypto PBKDF2 above 100,000 iterations while local workerd allows it:
// our own hashes stay at that cap (a test pins it), and Django's stronger ones are checked in pure JS
// once, then rehashed to this.
export const PBKDF2_ITERATIONS = WEBCRYPTO_MAX_ITERATIONS;
// Django's RANDOM_STRING_CHARS; 22 of them carry 131 bits, Django's 128-bit salt entropy target.
const SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SALT_LENGTH = 22;
// The largest multiple of the alphabet's size below 256: bytes from it up are dropped so that every
// character stays equally likely.
const SALT_BYTE_LIMIT = 256 - (256 % SALT_ALPHABET.length);
const encoder = new TextEncoder();

// The work done for unknown emails and for hashes that cannot be verified (unusable, malformed, too
// costly), so that timing tells none of them from a wrong password. Tracks PBKDF2_ITERATIONS; its
// empty hash matches no derived key.
const DUMMY_HASH: CheckableHash = {
  kind: "pbkdf2",
  digest: "SHA-256",
  iterations: PBKDF2_ITERATIONS,
  salt: "x".repeat(SALT_LENGTH),
  hash: "",
};

function generateSalt(): string {
  let salt = "";
  while (salt.length < SALT_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(SALT_LENGTH * 2))) {
      if (byte < SALT_BYTE_LIMIT && salt.length < SALT_LENGTH) {
        salt += SALT_ALPHABET.charAt(byte % SALT_ALPHABET.length);
      }
    }
  }
  return salt;
}

// Compares the base64 texts, as Django's constant_time_compare does; only the stored length, which is
// no secret, can end it early.
function equalInConstantTime(stored: string, computed: string): boolean {
  const a = encoder.encode(stored);
  const b = encoder.encode(computed);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

async function matches(password: string, hash: CheckableHash): Promise<boolean> {
  return equalInConstantTime(hash.hash, await deriveFor(password, hash));
}

const isCurrent = (hash: CheckableHash) =>
  hash.kind === "pbkdf2" &&
  hash.digest === "SHA-256" &&
  hash.iterations === PBKDF2_ITERATIONS &&
  hash.salt.length >= SALT_LENGTH;

/**
 * Hashes a password with PBKDF2-HMAC-SHA256, a fresh 22-character salt and PBKDF2_ITERATIONS rounds,
 * in Django's `pbkdf2_sha256$...` format.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = generateSalt();
  return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${salt}$${await pbkdf2Base64("SHA-256", password, salt, PBKDF2_ITERATIONS)}`;
}

/**
 * Checks a password against a Django-format hash: ours, or one imported from Django (PBKDF2 at any
 * count up to `limits`, in pure JS above 100,000; scrypt). Malformed hashes, unusable ones and those
 * over the limits are `valid: false` after the same PBKDF2 work as a real check; it never throws.
 * `needsRehash` is set on a match whose parameters are other than the current ones.
 */
export async function verifyPassword(
  password: string,
  encoded: string,
  limits: HashLimits = DEFAULT_HASH_LIMITS,
): Promise<{ valid: boolean; needsRehash: boolean }> {
  const reading = readDjangoHash(encoded, limits);
  const hash = "checkable" in reading ? reading.checkable : DUMMY_HASH;
  const valid = await matches(password, hash);
  return { valid, needsRehash: valid && !isCurrent(hash) };
}

/**
 * Spends the same PBKDF2 work as verifying a real hash, for a login whose email matches no user, so
 * response times don't reveal which emails are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  await matches(password, DUMMY_HASH);
}
