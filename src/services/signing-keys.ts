// The keys tokens are signed and verified with, as one isolate holds them. Built once per isolate
// (src/middleware/services.ts): the HMAC key from JWT_SECRET is imported once, the asymmetric keys
// are read from MySQL at most once a minute (and on an unknown kid at most once per 30 seconds),
// so verifying a token and serving the JWKS cost no DB statement on a warm isolate.
import { base64url, importJWK, type JWK } from "jose";
import { decryptPrivateJwk, importKeyEncryptionKey } from "../crypto/key-encryption";
import type { Database } from "../db/client";
import type { SigningKeyRow } from "../db/schema";
import { listSigningKeys } from "../db/signing-keys";
import {
  currentKey,
  isAccepted,
  type KeyMaker,
  type KeyPolicy,
  keysWithCurrent,
  publicJwkOf,
  type RecordChanges,
  revokeKey,
  rotateKeys,
  type SigningAlgorithm,
} from "./key-lifecycle";

/** A key a token is signed with: its header carries `kid` and `alg`. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey;
}

/** A key a token may be verified with, and the one algorithm it verifies. */
export type VerificationKey = Omit<SigningKey, "kid">;

/** What issuing and verifying tokens needs (src/services/tokens.ts). */
export interface KeySource {
  signingKey(now: Date): Promise<SigningKey>;
  /** The key `kid` names, pinned to its own algorithm; undefined when unknown, revoked or expired. */
  verificationKey(kid: string | undefined, now: Date): Promise<VerificationKey | undefined>;
}

export interface SigningKeysOptions {
  algorithm: SigningAlgorithm;
  /** JWT_SECRET: HS256's key, and the verifier of HS256 tokens issued before a switch. */
  hmacSecret: string;
  db: Database;
  /** JWT_KEY_ENCRYPTION_KEY's 32 bytes; needed to sign with an asymmetric key, not to verify. */
  keyEncryptionKey?: Uint8Array;
  policy: KeyPolicy;
  /** Milliseconds, for the cache's age only; key statuses use the `now` each call passes. */
  clock?: () => number;
}

/** How old the isolate's copy of the keys may grow: a revocation elsewhere reaches it within this. */
const KEY_SET_MAX_AGE_MS = 60_000;
/** An unknown kid reloads the keys at most this often, so random kids cannot hammer MySQL. */
const UNKNOWN_KID_RELOAD_MS = 30_000;

const encoder = new TextEncoder();

interface KeySet {
  rows: SigningKeyRow[];
  loadedAt: number;
}

export class SigningKeys implements KeySource {
  readonly algorithm: SigningAlgorithm;
  private readonly clock: () => number;
  private keySet?: KeySet;
  private loading?: Promise<KeySet>;
  private readonly imported = new Map<string, Promise<CryptoKey>>();
  private hmac?: Promise<SigningKey>;
  private kek?: Promise<CryptoKey>;

  constructor(private readonly options: SigningKeysOptions) {
    this.algorithm = options.algorithm;
    this.clock = options.clock ?? Date.now;
  }

  get policy(): KeyPolicy {
    return this.options.policy;
  }

  /**
   * HS256's key and its kid. The kid is an HMAC of a fixed label under the secret: it names the
   * key without telling anything about it that an HS256 token's own signature does not.
   */
  private hmacKey(): Promise<SigningKey> {
    this.hmac ??= (async () => {
      const secret = encoder.encode(this.options.hmacSecret);
      const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]);
      const label = await crypto.subtle.sign("HMAC", key, encoder.encode("edge-auth HS256 kid"));
      return { kid: `hs256-${base64url.encode(new Uint8Array(label).slice(0, 12))}`, alg: "HS256" as const, key };
    })();
    return this.hmac;
  }

  private async maker(): Promise<KeyMaker> {
    const { keyEncryptionKey, db, policy } = this.options;
    if (!keyEncryptionKey || this.algorithm === "HS256") return { db, policy };
    this.kek ??= importKeyEncryptionKey(keyEncryptionKey);
    return { db, policy, keys: { kek: await this.kek, alg: this.algorithm } };
  }

  // Concurrent requests of the isolate share one read; each awaits it, so it finishes under one of them.
  private load(read: () => Promise<SigningKeyRow[]>): Promise<KeySet> {
    this.loading ??= read()
      .then((rows) => {
        this.keySet = { rows, loadedAt: this.clock() };
        return this.keySet;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private reload(): Promise<KeySet> {
    return this.load(() => listSigningKeys(this.options.db));
  }

  private async keys(): Promise<KeySet> {
    const set = this.keySet;
    if (set && this.clock() - set.loadedAt < KEY_SET_MAX_AGE_MS) return set;
    return this.reload();
  }

  /** The keys, with one signing: made on the first use of an asymmetric algorithm. */
  private async keysWithCurrent(now: Date): Promise<KeySet> {
    const set = await this.keys();
    if (currentKey(set.rows, now)) return set;
    const maker = await this.maker();
    const made = await this.load(() => keysWithCurrent(maker, now));
    if (currentKey(made.rows, now)) return made;
    // The shared read was a plain one another request had started: make the key ourselves.
    this.keySet = { rows: await keysWithCurrent(maker, now), loadedAt: this.clock() };
    return this.keySet;
  }

  private importOnce(id: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
    let key = this.imported.get(id);
    if (!key) {
      key = make();
      // A failed import (a wrong JWT_KEY_ENCRYPTION_KEY) is tried again by the next request.
      key.catch(() => this.imported.delete(id));
      this.imported.set(id, key);
    }
    return key;
  }

  async signingKey(now: Date): Promise<SigningKey> {
    if (this.algorithm === "HS256") return this.hmacKey();
    const row = currentKey((await this.keysWithCurrent(now)).rows, now);
    if (!row) throw new Error("no signing key is current");
    const key = await this.importOnce(`private:${row.kid}`, async () => {
      const kek = (await this.maker()).keys?.kek;
      if (!kek) throw new Error("signing with a key needs JWT_KEY_ENCRYPTION_KEY");
      const jwk = await decryptPrivateJwk(kek, row.kid, row.privateJwkEncrypted);
      return (await importJWK(jwk, row.alg)) as CryptoKey;
    });
    return { kid: row.kid, alg: row.alg as SigningAlgorithm, key };
  }

  async verificationKey(kid: string | undefined, now: Date): Promise<VerificationKey | undefined> {
    const hmac = await this.hmacKey();
    // No kid: an HS256 token issued before tokens carried one, verified as it always was.
    if (kid === undefined || kid === hmac.kid) return { alg: hmac.alg, key: hmac.key };
    let set = await this.keys();
    let row = set.rows.find((candidate) => candidate.kid === kid);
    if (!row && this.clock() - set.loadedAt >= UNKNOWN_KID_RELOAD_MS) {
      set = await this.reload();
      row = set.rows.find((candidate) => candidate.kid === kid);
    }
    if (!row || !isAccepted(row, this.policy, now)) return undefined;
    const accepted = row; // a const, for the closure
    const key = await this.importOnce(`public:${kid}`, async () => {
      return (await importJWK(publicJwkOf(accepted), accepted.alg)) as CryptoKey;
    });
    return { alg: accepted.alg as SigningAlgorithm, key };
  }

  /** The public keys (RFC 7517): next, current, and retired within their window; none under HS256. */
  async jwks(now: Date): Promise<{ keys: JWK[] }> {
    if (this.algorithm === "HS256") return { keys: [] };
    const { rows } = await this.keysWithCurrent(now);
    return { keys: rows.filter((row) => isAccepted(row, this.policy, now)).map(publicJwkOf) };
  }

  /** Every key as stored, read now, for `keys:list` and the API. */
  async list(): Promise<SigningKeyRow[]> {
    return (await this.reload()).rows;
  }

  /** Adds a `next` key (src/services/key-lifecycle.ts); this isolate sees the change at once. */
  async rotate(now: Date, record?: RecordChanges): Promise<SigningKeyRow> {
    try {
      return await rotateKeys(await this.maker(), now, record);
    } finally {
      this.keySet = undefined;
    }
  }

  /** Revokes a key; this isolate refuses its tokens from the next request on. */
  async revoke(kid: string, now: Date, record?: RecordChanges): Promise<void> {
    try {
      await revokeKey(await this.maker(), kid, now, record);
    } finally {
      this.keySet = undefined;
    }
  }
}
