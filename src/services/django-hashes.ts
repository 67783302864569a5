// Django's hash formats beyond our own `pbkdf2_sha256$100000$...`: the ones a user imported from
// Django (`npm run import:django`) may still hold until their first login here rehashes it.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { base64, type Pbkdf2Digest, pbkdf2Base64 } from "./pbkdf2";

/** How much work an imported hash may ask of one login (MAX_IMPORTED_PBKDF2_ITERATIONS). */
export interface HashLimits {
  maxImportedPbkdf2Iterations: number;
}

/** Django 6.0's PBKDF2 count, the largest any Django release makes. */
export const DEFAULT_HASH_LIMITS: HashLimits = { maxImportedPbkdf2Iterations: 1_200_000 };

// Django's ScryptPasswordHasher defaults (N=2^14, r=8, p=1): 16 MiB and about 0.1 s of pure JS.
// Larger parameters are refused so a crafted hash cannot exhaust a Worker's 128 MB or its CPU.
const MAX_SCRYPT_MEMORY_BYTES = 32 * 1024 * 1024;
const MAX_SCRYPT_PARALLELISM = 2;
const SCRYPT_KEY_BYTES = 64;
const PBKDF2_DIGESTS: Record<string, Pbkdf2Digest> = { pbkdf2_sha256: "SHA-256", pbkdf2_sha1: "SHA-1" };
// Django writes counts without sign or padding and compares whole re-encoded strings.
const CANONICAL_COUNT = /^[1-9][0-9]{0,9}$/;

type Pbkdf2Hash = { kind: "pbkdf2"; digest: Pbkdf2Digest; iterations: number; salt: string; hash: string };
type ScryptHash = { kind: "scrypt"; n: number; r: number; p: number; salt: string; hash: string };
/** A hash this Worker can check, with its parameters. */
export type CheckableHash = Pbkdf2Hash | ScryptHash;
/** Either a checkable hash or why the user must reset their password instead. */
export type HashReading = { checkable: CheckableHash } | { mustReset: string };

const count = (text: string | undefined) => (text && CANONICAL_COUNT.test(text) ? Number(text) : undefined);

function readPbkdf2(digest: Pbkdf2Digest, parts: string[], limits: HashLimits): HashReading {
  const [, iterationsText, salt, hash] = parts;
  const iterations = count(iterationsText);
  if (parts.length !== 4 || iterations === undefined || !salt || !hash) return { mustReset: "malformed hash" };
  if (iterations > limits.maxImportedPbkdf2Iterations) {
    return { mustReset: `${iterations} PBKDF2 iterations, over MAX_IMPORTED_PBKDF2_ITERATIONS` };
  }
  return { checkable: { kind: "pbkdf2", digest, iterations, salt, hash } };
}

// Django: "scrypt$<N>$<salt>$<r>$<p>$<base64 of 64 bytes>".
function readScrypt(parts: string[]): HashReading {
  const [, nText, salt, rText, pText, hash] = parts;
  const [n, r, p] = [count(nText), count(rText), count(pText)];
  if (parts.length !== 6 || !n || !r || !p || !salt || !hash || (n & (n - 1)) !== 0) {
    return { mustReset: "malformed hash" };
  }
  if (128 * n * r > MAX_SCRYPT_MEMORY_BYTES || p > MAX_SCRYPT_PARALLELISM) {
    return { mustReset: `scrypt N=${n} r=${r} p=${p} needs more memory or CPU than one login may use` };
  }
  return { checkable: { kind: "scrypt", n, r, p, salt, hash } };
}

/**
 * What a stored Django hash is: one this Worker can check (and at what cost), or the reason its
 * user must reset. The importer reports the same reasons the login acts on.
 */
export function readDjangoHash(encoded: string, limits: HashLimits): HashReading {
  // Django's set_unusable_password(): "!" and 40 random characters, which no password matches.
  if (encoded.startsWith("!") || encoded === "") return { mustReset: "unusable password (Django's `!`)" };
  const parts = encoded.split("$");
  const algorithm = parts[0] ?? "";
  const digest = PBKDF2_DIGESTS[algorithm];
  if (digest) return readPbkdf2(digest, parts, limits);
  if (algorithm === "scrypt") return readScrypt(parts);
  // Django's default argon2 (memory_cost 102400) takes 100 MiB per check, most of a Worker's 128 MB,
  // and pure-JS argon2 needs seconds of CPU for it; bcrypt needs a library that imports Node's crypto.
  if (algorithm === "argon2") return { mustReset: "argon2 hash (100 MiB per check: too much for a Worker)" };
  if (algorithm === "bcrypt_sha256" || algorithm === "bcrypt")
    return { mustReset: `${algorithm} hash (not verified here)` };
  return { mustReset: `unknown hasher "${algorithm}"` };
}

const encoder = new TextEncoder();

/** The base64 key `hash` derives from `password`, to compare with the stored one. */
export async function deriveFor(password: string, hash: CheckableHash): Promise<string> {
  if (hash.kind === "pbkdf2") return pbkdf2Base64(hash.digest, password, hash.salt, hash.iterations);
  const key = await scryptAsync(encoder.encode(password), encoder.encode(hash.salt), {
    N: hash.n,
    r: hash.r,
    p: hash.p,
    dkLen: SCRYPT_KEY_BYTES,
    maxmem: MAX_SCRYPT_MEMORY_BYTES + 1024,
  });
  return base64(key);
}
