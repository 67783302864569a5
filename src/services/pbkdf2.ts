// PBKDF2 for Django's hashes: WebCrypto where a deployed Worker allows it, pure JS above that.

import { sha1 } from "@noble/hashes/legacy.js";
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** Deployed Workers refuse PBKDF2 above this many iterations (NotSupportedError); local workerd does not. */
export const WEBCRYPTO_MAX_ITERATIONS = 100_000;

export type Pbkdf2Digest = "SHA-256" | "SHA-1";

const encoder = new TextEncoder();
const NOBLE_DIGESTS = { "SHA-256": sha256, "SHA-1": sha1 } as const;
// Django's key lengths: the digest's own size.
const KEY_BYTES: Record<Pbkdf2Digest, number> = { "SHA-256": 32, "SHA-1": 20 };

/**
 * The pure-JS derivation (@noble/hashes), in an object so tests can count its runs as they count
 * `crypto.subtle.deriveBits`. The async form yields every 10 ms, so a slow check does not hold up
 * the isolate's other requests for its whole second.
 */
export const pureJsPbkdf2 = {
  derive: (digest: Pbkdf2Digest, password: string, salt: string, iterations: number): Promise<Uint8Array> =>
    pbkdf2Async(NOBLE_DIGESTS[digest], encoder.encode(password), encoder.encode(salt), {
      c: iterations,
      dkLen: KEY_BYTES[digest],
    }),
};

async function deriveWithWebCrypto(
  digest: Pbkdf2Digest,
  password: string,
  salt: string,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: digest, salt: encoder.encode(salt), iterations },
    key,
    KEY_BYTES[digest] * 8,
  );
  return new Uint8Array(bits);
}

/** Bytes in standard base64, padded: how Django writes hashes. */
export const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** PBKDF2-HMAC of `password`, base64 as Django writes it; pure JS above WEBCRYPTO_MAX_ITERATIONS. */
export async function pbkdf2Base64(
  digest: Pbkdf2Digest,
  password: string,
  salt: string,
  iterations: number,
): Promise<string> {
  const bytes =
    iterations <= WEBCRYPTO_MAX_ITERATIONS
      ? await deriveWithWebCrypto(digest, password, salt, iterations)
      : await pureJsPbkdf2.derive(digest, password, salt, iterations);
  return base64(bytes);
}
