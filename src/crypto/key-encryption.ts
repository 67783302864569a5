// Private signing keys at rest: AES-256-GCM under JWT_KEY_ENCRYPTION_KEY, a Worker secret that
// never reaches MySQL. A database dump alone therefore holds no key that can sign a token.
import { base64url, type JWK } from "jose";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// The format's version and the only parameters it has: a 96-bit random IV (NIST SP 800-38D's
// recommended length) and GCM's full 128-bit tag.
const FORMAT = "v1";
const IV_BYTES = 12;

/** 32 random bytes, base64 (standard or url-safe), as JWT_KEY_ENCRYPTION_KEY holds them; undefined if not. */
export function decodeKeyEncryptionKey(text: string): Uint8Array | undefined {
  try {
    const bytes = base64url.decode(text.trim().replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
    return bytes.byteLength === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** The AES-256-GCM key, usable only to encrypt and decrypt (never exported). */
export function importKeyEncryptionKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * `v1.<iv>.<ciphertext and tag>`, base64url. The kid is the additional authenticated data, so a
 * ciphertext copied onto another key's row fails to decrypt rather than signing under that kid.
 */
export async function encryptPrivateJwk(key: CryptoKey, kid: string, jwk: JWK): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(kid) },
    key,
    encoder.encode(JSON.stringify(jwk)),
  );
  return [FORMAT, base64url.encode(iv), base64url.encode(new Uint8Array(sealed))].join(".");
}

/** The private JWK back; throws if the text was altered, belongs to another kid, or another key sealed it. */
export async function decryptPrivateJwk(key: CryptoKey, kid: string, sealed: string): Promise<JWK> {
  const [format, iv, ciphertext] = sealed.split(".");
  if (format !== FORMAT || !iv || !ciphertext) throw new Error(`signing key ${kid}: unknown encryption format`);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64url.decode(iv) as BufferSource, additionalData: encoder.encode(kid) },
    key,
    base64url.decode(ciphertext) as BufferSource,
  );
  return JSON.parse(decoder.decode(plain)) as JWK;
}
