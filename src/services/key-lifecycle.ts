// The life of an asymmetric signing key: made with WebCrypto, published as `next`, signing as
// `current`, still verifying as `retired` until the longest token it signed has expired, and
// refused at once when `revoked`. A status is computed from the row's times and the clock, so it
// moves on by itself at the moment its time comes and every isolate computes the same one.
import { calculateJwkThumbprint, type JWK } from "jose";
import * as z from "zod";
import { decodeKeyEncryptionKey, encryptPrivateJwk } from "../crypto/key-encryption";
import type { Database, Executor } from "../db/client";
import type { SigningKeyRow } from "../db/schema";
import { insertSigningKey, listSigningKeys, rescheduleSigningKey, revokeSigningKey } from "../db/signing-keys";
import { Conflict, NotFound } from "./domain-errors";

export const ASYMMETRIC_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type SigningAlgorithm = "HS256" | AsymmetricAlgorithm;

/**
 * The vars that choose how tokens are signed, part of the Worker's Config (src/env.ts) and read
 * alike by `npm run keys:*`. The publish delay is at least the JWKS's cache age (300 s), so that
 * every verifier holds a key before it meets a token signed with it.
 */
export const SigningKeyVars = z.object({
  JWT_ALGORITHM: z.enum(["HS256", ...ASYMMETRIC_ALGORITHMS]).default("HS256"),
  JWT_KEY_ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === "") return undefined;
      const bytes = decodeKeyEncryptionKey(text);
      if (!bytes) ctx.addIssue({ code: "custom", message: "JWT_KEY_ENCRYPTION_KEY must be 32 bytes, base64" });
      return bytes;
    }),
  JWT_KEY_PUBLISH_SECONDS: z.coerce.number().int().min(300).default(600),
});
export type SigningKeyVars = z.infer<typeof SigningKeyVars>;

/** The one rule across those vars: an asymmetric algorithm needs the key that seals its private keys. */
export function checkSigningKeyVars(vars: SigningKeyVars, ctx: z.core.$RefinementCtx): void {
  if (vars.JWT_ALGORITHM !== "HS256" && !vars.JWT_KEY_ENCRYPTION_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["JWT_KEY_ENCRYPTION_KEY"],
      message: `JWT_KEY_ENCRYPTION_KEY is required with JWT_ALGORITHM ${vars.JWT_ALGORITHM}`,
    });
  }
}

export type KeyStatus = "next" | "current" | "retired" | "revoked";

/** What decides a key's status and how long it is published, beside its row. */
export interface KeyPolicy {
  /** The longest lifetime of a token (the refresh token's): how long a retired key still verifies. */
  tokenLifetimeSeconds: number;
  publishSeconds: number;
}

/** A key's status at `now`. */
export function keyStatus(row: SigningKeyRow, now: Date): KeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.retiredAt && row.retiredAt <= now) return "retired";
  return row.activatesAt <= now ? "current" : "next";
}

/** Until when a key verifies tokens and is published: null for none (revoked), or no end yet. */
export function acceptedUntil(row: SigningKeyRow, policy: KeyPolicy): Date | null | "open" {
  if (row.revokedAt) return null;
  if (!row.retiredAt) return "open";
  return new Date(row.retiredAt.getTime() + policy.tokenLifetimeSeconds * 1000);
}

/** Published in the JWKS and accepted for verification: next, current, and retired within its window. */
export function isAccepted(row: SigningKeyRow, policy: KeyPolicy, now: Date): boolean {
  const until = acceptedUntil(row, policy);
  return until === "open" || (until !== null && now < until);
}

/** The key that signs at `now`: the newest current one. */
export function currentKey(rows: readonly SigningKeyRow[], now: Date): SigningKeyRow | undefined {
  return rows.filter((row) => keyStatus(row, now) === "current").at(-1);
}

const pendingKey = (rows: readonly SigningKeyRow[], now: Date) => rows.find((row) => keyStatus(row, now) === "next");

const GENERATE = {
  ES256: { name: "ECDSA", namedCurve: "P-256" },
  EdDSA: { name: "Ed25519" },
} as const satisfies Record<AsymmetricAlgorithm, { name: string; namedCurve?: string }>;

// WebCrypto's bookkeeping members, which a published JWK does without.
const withoutBookkeeping = ({ key_ops: _ops, ext: _ext, ...jwk }: JWK): JWK => jwk;

/** A new key pair from WebCrypto as a row: the public JWK in clear, the private one sealed. */
async function makeSigningKey(
  kek: CryptoKey,
  alg: AsymmetricAlgorithm,
  times: { generation: number; createdAt: Date; activatesAt: Date },
): Promise<SigningKeyRow> {
  const pair = (await crypto.subtle.generateKey(GENERATE[alg], true, ["sign", "verify"])) as CryptoKeyPair;
  const [publicJwk, privateJwk] = (await Promise.all([
    crypto.subtle.exportKey("jwk", pair.publicKey),
    crypto.subtle.exportKey("jwk", pair.privateKey),
  ])) as [JWK, JWK];
  const kid = await calculateJwkThumbprint(publicJwk);
  const published = { ...withoutBookkeeping(publicJwk), kid, alg, use: "sig" };
  return {
    kid,
    alg,
    ...times,
    publicJwk: JSON.stringify(published),
    privateJwkEncrypted: await encryptPrivateJwk(kek, kid, { ...withoutBookkeeping(privateJwk), kid, alg }),
    retiredAt: null,
    revokedAt: null,
  };
}

/**
 * Where the lifecycle writes and what it makes keys with; without `keys` (JWT_ALGORITHM HS256) it
 * can still revoke, since HS256 signs on without a successor.
 */
export interface KeyMaker {
  db: Database;
  policy: KeyPolicy;
  keys?: { kek: CryptoKey; alg: AsymmetricAlgorithm };
}

function makerKeys(maker: KeyMaker) {
  if (!maker.keys) throw new Conflict("JWT_ALGORITHM is HS256: tokens are signed with JWT_SECRET, not with keys.");
  return maker.keys;
}

/** A key's change of status, for the audit trail: `{kid: {before, after}}`. */
export type KeyChanges = Record<string, { before: KeyStatus | null; after: { status: KeyStatus; at: string } }>;

/** Runs inside a lifecycle change's transaction: the API writes its audit entry here. */
export type RecordChanges = (tx: Executor, changes: KeyChanges) => Promise<void>;

const change = (before: KeyStatus | null, status: KeyStatus, at: Date) => ({
  before,
  after: { status, at: at.toISOString() },
});

/**
 * Makes and inserts the key after `rows` (every key, oldest first); undefined when another writer
 * took its generation first.
 */
async function insertNextKey(maker: KeyMaker, db: Executor, rows: SigningKeyRow[], createdAt: Date, activatesAt: Date) {
  const { kek, alg } = makerKeys(maker);
  const generation = (rows.at(-1)?.generation ?? 0) + 1;
  const row = await makeSigningKey(kek, alg, { generation, createdAt, activatesAt });
  return (await insertSigningKey(db, row)) ? row : undefined;
}

async function addKey(maker: KeyMaker, tx: Executor, rows: SigningKeyRow[], createdAt: Date, activatesAt: Date) {
  const row = await insertNextKey(maker, tx, rows, createdAt, activatesAt);
  if (!row) throw new Conflict("Another key was added at the same time; look again.");
  return row;
}

/**
 * The keys, with a current one made first when none signs (the first use of ES256, or every key
 * revoked). Two isolates racing here both try the same generation; the UNIQUE index lets one
 * insert through and the other reads the winner's key.
 */
export async function keysWithCurrent(maker: KeyMaker, now: Date): Promise<SigningKeyRow[]> {
  const rows = await listSigningKeys(maker.db);
  if (currentKey(rows, now)) return rows;
  const row = await insertNextKey(maker, maker.db, rows, now, now);
  return row ? [...rows, row] : listSigningKeys(maker.db);
}

/**
 * Adds a `next` key, published at once, that starts signing after the publish delay; the current
 * key retires at that moment. One rotation at a time: a second one while a key is pending is a
 * Conflict, as is a rotation that races another.
 */
export async function rotateKeys(maker: KeyMaker, now: Date, record?: RecordChanges): Promise<SigningKeyRow> {
  makerKeys(maker);
  return maker.db.transaction(async (tx) => {
    const rows = await listSigningKeys(tx);
    const pending = pendingKey(rows, now);
    if (pending) {
      throw new Conflict(`Key ${pending.kid} is already waiting to sign (from ${pending.activatesAt.toISOString()}).`);
    }
    const current = currentKey(rows, now);
    // With nothing signing yet there is no verifier to warn: the first key signs at once.
    const activatesAt = current ? new Date(now.getTime() + maker.policy.publishSeconds * 1000) : now;
    const created = await addKey(maker, tx, rows, now, activatesAt);
    const changes: KeyChanges = { [created.kid]: change(null, current ? "next" : "current", now) };
    if (current) {
      if (!(await rescheduleSigningKey(tx, current.kid, { retiredAt: activatesAt }))) {
        throw new Conflict("The current key changed meanwhile; look again.");
      }
      changes[current.kid] = change("current", "retired", activatesAt);
    }
    await record?.(tx, changes);
    return created;
  });
}

/**
 * Revokes a key at once: tokens it signed are refused from now on. When it was signing, the pending
 * key (already published) takes over now, or a new key does (none under HS256, which signs on).
 */
export async function revokeKey(maker: KeyMaker, kid: string, now: Date, record?: RecordChanges): Promise<void> {
  await maker.db.transaction(async (tx) => {
    const rows = await listSigningKeys(tx);
    const target = rows.find((row) => row.kid === kid);
    if (!target) throw new NotFound(`No signing key with kid ${kid}.`);
    const before = keyStatus(target, now);
    if (before === "revoked") throw new Conflict(`Key ${kid} is already revoked.`);
    if (!(await revokeSigningKey(tx, kid, now))) throw new Conflict(`Key ${kid} changed meanwhile; look again.`);
    const changes: KeyChanges = { [kid]: change(before, "revoked", now) };
    const pending = pendingKey(rows, now);
    if (before === "current" && (pending || maker.keys)) {
      const successor = pending ?? (await addKey(maker, tx, rows, now, now));
      if (pending) await rescheduleSigningKey(tx, pending.kid, { activatesAt: now });
      changes[successor.kid] = change(pending ? "next" : null, "current", now);
    } else if (before === "next") {
      // The key it was to replace signs on, as if the rotation had not happened.
      const current = currentKey(rows, now);
      if (current) await rescheduleSigningKey(tx, current.kid, { retiredAt: null });
    }
    await record?.(tx, changes);
  });
}

/** The JWK a verifier sees for a row. */
export const publicJwkOf = (row: SigningKeyRow): JWK => JSON.parse(row.publicJwk) as JWK;
