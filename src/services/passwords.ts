// Password hashes in Django's self-describing `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` format:
// Django can verify the hashes made here, and this Worker Django's own up to MAX_ITERATIONS.

const ALGORITHM = "pbkdf2_sha256";
export const PBKDF2_ITERATIONS = 100_000;
// Deployed Workers reject PBKDF2 above 100,000 iterations (NotSupportedError) while local workerd
// allows it, so a stronger hash from Django (whose default has exceeded 100,000 since 2.1) would
// verify in tests and throw in production. Refusing it here keeps both the same: such users must reset their password.
const MAX_ITERATIONS = 100_000;
// Django's RANDOM_STRING_CHARS; 22 of them carry 131 bits, Django's 128-bit salt entropy target.
const SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SALT_LENGTH = 22;
// The largest multiple of the alphabet's size below 256: bytes from it up are dropped so that every
// character stays equally likely.
const SALT_BYTE_LIMIT = 256 - (256 % SALT_ALPHABET.length);
const KEY_BITS = 256;
const ITERATIONS_PATTERN = /^[1-9][0-9]{0,5}$/;

const encoder = new TextEncoder();

type ParsedHash = { iterations: number; salt: string; hash: string };

// The work done for unknown emails and for hashes that cannot be verified (unusable, malformed, too
// many iterations), so that timing tells none of them from a wrong password. Tracks
// PBKDF2_ITERATIONS; its empty hash matches no derived key.
const DUMMY_HASH: ParsedHash = { iterations: PBKDF2_ITERATIONS, salt: "x".repeat(SALT_LENGTH), hash: "" };

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

async function derive(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(salt), iterations },
    key,
    KEY_BITS,
  );
  return btoa(String.fromCharCode(...new Uint8Array(bits)));
}

// Only the canonical iteration text passes: Django compares whole re-encoded strings, so it rejects
// "0100000" as well.
function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 4) return null;
  const [algorithm, iterationsText, salt, hash] = parts as [string, string, string, string];
  if (algorithm !== ALGORITHM || !ITERATIONS_PATTERN.test(iterationsText) || salt === "" || hash === "") return null;
  const iterations = Number(iterationsText);
  if (iterations > MAX_ITERATIONS) return null;
  return { iterations, salt, hash };
}

// Compares the base64 texts, as Django's constant_time_compare does; only the stored length, which is
// no secret, can end it early.
function equalInConstantTime(stored: string, computed: string): boolean {
  const a = encoder.encode(stored);
  const b = encoder.encode(computed);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

async function matches(password: string, { iterations, salt, hash }: ParsedHash): Promise<boolean> {
  return equalInConstantTime(hash, await derive(password, salt, iterations));
}

/**
 * Hashes a password with PBKDF2-HMAC-SHA256, a fresh 22-character salt and PBKDF2_ITERATIONS rounds,
 * in Django's `pbkdf2_sha256$...` format.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = generateSalt();
  return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${salt}$${await derive(password, salt, PBKDF2_ITERATIONS)}`;
}

/**
 * Checks a password against a Django-format hash. Malformed hashes, other algorithms and iteration
 * counts a deployed Worker cannot run are `valid: false` after the same PBKDF2 work as a real
 * check; it never throws. `needsRehash` is set on a match whose parameters are weaker or other than
 * the current ones.
 */
export async function verifyPassword(
  password: string,
  encoded: string,
): Promise<{ valid: boolean; needsRehash: boolean }> {
  const parsed = parseHash(encoded) ?? DUMMY_HASH;
  const valid = await matches(password, parsed);
  const needsRehash = valid && (parsed.iterations !== PBKDF2_ITERATIONS || parsed.salt.length < SALT_LENGTH);
  return { valid, needsRehash };
}

/**
 * Spends the same PBKDF2 work as verifying a real hash, for a login whose email matches no user, so
 * response times don't reveal which emails are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  await matches(password, DUMMY_HASH);
}
