import { env } from "cloudflare:workers";
import { base64url, decodeProtectedHeader, exportSPKI, importJWK, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { decryptPrivateJwk, importKeyEncryptionKey } from "../../src/crypto/key-encryption";
import { createDb } from "../../src/db/client";
import { signingKeys } from "../../src/db/schema";
import { listSigningKeys } from "../../src/db/signing-keys";
import { TokenRejected } from "../../src/services/domain-errors";
import { keyStatus } from "../../src/services/key-lifecycle";
import { SigningKeys } from "../../src/services/signing-keys";
import {
  issueToken,
  newTokenIdentity,
  type TokenSettings,
  type TokenType,
  verifyToken,
} from "../../src/services/tokens";

// The keys as isolates hold them, against a table this file owns (the isolated database's; no other
// file touches its signing_keys), on a fixed clock. The Worker's own path is test/integration/jwks.test.ts.
const DATABASE_URL = inject("isolatedDatabaseUrl");
const db = createDb(DATABASE_URL);
const KEK = crypto.getRandomValues(new Uint8Array(32));
const LIFETIME = 7 * 86_400;
const PUBLISH = 600;
const T0 = new Date("2030-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const subject = { userId: 1, sessionId: crypto.randomUUID() };

/** One isolate's keys; `clock` drives its cache, each call's `now` the keys' statuses. */
function isolate(options: { algorithm?: "HS256" | "ES256" | "EdDSA"; clock?: () => number } = {}) {
  return new SigningKeys({
    algorithm: options.algorithm ?? "ES256",
    hmacSecret: env.JWT_SECRET,
    db,
    keyEncryptionKey: KEK,
    policy: { tokenLifetimeSeconds: LIFETIME, publishSeconds: PUBLISH },
    clock: options.clock,
  });
}
const settings = (keys: SigningKeys): TokenSettings => ({
  keys,
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
  accessTtlSeconds: 3600,
  refreshTtlSeconds: LIFETIME,
});
const issue = (keys: SigningKeys, type: TokenType, now: Date) =>
  issueToken(settings(keys), type, subject, newTokenIdentity(settings(keys), type, now));
const sign = async (keys: SigningKeys, now: Date) => (await issue(keys, "access", now)).token;
const verify = (keys: SigningKeys, token: string, now: Date) => verifyToken(settings(keys), token, "access", now);
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const statuses = async (now: Date) => (await listSigningKeys(db)).map((row) => keyStatus(row, now));
const published = async (keys: SigningKeys, now: Date) => (await keys.jwks(now)).keys.map((jwk) => jwk.kid);

beforeEach(async () => {
  await db.delete(signingKeys);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("the first key", () => {
  it("is made on first use, and of five isolates racing to make it exactly one row results", async () => {
    const isolates = Array.from({ length: 5 }, () => isolate());
    const tokens = await Promise.all(isolates.map((keys) => sign(keys, T0)));
    expect(new Set(tokens.map(kidOf)).size).toBe(1);
    expect(await statuses(T0)).toEqual(["current"]);
    for (const keys of isolates)
      for (const token of tokens) await expect(verify(keys, token, T0)).resolves.toBeTruthy();
  });
});

describe("rotation, on a fixed clock", () => {
  it("moves each key through next, current, retired and out of the JWKS at its times", async () => {
    const keys = isolate();
    const first = kidOf(await sign(keys, T0));
    const second = (await keys.rotate(at(100))).kid;
    expect(await statuses(at(100))).toEqual(["current", "next"]);
    expect(await published(keys, at(100))).toEqual([first, second]);
    // The publish delay: the old key signs until JWT_KEY_PUBLISH_SECONDS after the rotation.
    expect(kidOf(await sign(keys, at(100 + PUBLISH - 1)))).toBe(first);
    expect(kidOf(await sign(keys, at(100 + PUBLISH)))).toBe(second);
    expect(await statuses(at(100 + PUBLISH))).toEqual(["retired", "current"]);
    // Retired: published and accepted until the longest token it signed (the last refresh token,
    // issued the second before its successor took over) has expired.
    const last = await issue(keys, "refresh", at(100 + PUBLISH - 1));
    expect(kidOf(last.token)).toBe(first);
    const end = 100 + PUBLISH + LIFETIME;
    expect(await published(keys, at(end - 1))).toEqual([first, second]);
    await expect(verifyToken(settings(keys), last.token, "refresh", at(end - 2))).resolves.toBeTruthy();
    expect(await published(keys, at(end))).toEqual([second]);
  });

  it("refuses a second rotation while a key is waiting to sign", async () => {
    const keys = isolate();
    await sign(keys, T0);
    await keys.rotate(at(1));
    await expect(keys.rotate(at(2))).rejects.toThrow(/already waiting to sign/);
    expect(await statuses(at(2))).toEqual(["current", "next"]);
  });
});

describe("revocation", () => {
  it("refuses the revoked key's tokens at once and signs with a new key from now on", async () => {
    const keys = isolate();
    const token = await sign(keys, T0);
    await keys.revoke(kidOf(token) as string, at(10));
    await expect(verify(keys, token, at(10))).rejects.toThrow(TokenRejected);
    const next = await sign(keys, at(10));
    expect(kidOf(next)).not.toBe(kidOf(token));
    expect(await statuses(at(10))).toEqual(["revoked", "current"]);
    expect(await published(keys, at(10))).toEqual([kidOf(next)]);
  });

  it("lets the waiting key take over when the current one is revoked, and the current one sign on when the waiting one is", async () => {
    const keys = isolate();
    await sign(keys, T0);
    const waiting = (await keys.rotate(at(1))).kid;
    const [current] = await listSigningKeys(db);
    await keys.revoke(current?.kid as string, at(2));
    expect(kidOf(await sign(keys, at(2)))).toBe(waiting);
    const third = (await keys.rotate(at(3))).kid;
    await keys.revoke(third, at(4));
    expect(kidOf(await sign(keys, at(4 + PUBLISH)))).toBe(waiting);
    expect(await statuses(at(4 + PUBLISH))).toEqual(["revoked", "current", "revoked"]);
  });
});

describe("verification picks the key by kid and pins its algorithm", () => {
  const unsigned = (header: object, token: string) =>
    `${base64url.encode(JSON.stringify(header))}.${token.split(".")[1]}.`;

  it("refuses key confusion, alg none, an unknown kid and a tampered kid", async () => {
    const keys = isolate();
    const token = await sign(keys, T0);
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1] as string)));
    const kid = kidOf(token) as string;
    const [jwk] = (await keys.jwks(T0)).keys;
    const spki = await exportSPKI((await importJWK(jwk as object, "ES256", { extractable: true })) as CryptoKey);
    const hs256With = (secret: string, header: object) =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256", ...header }).sign(new TextEncoder().encode(secret));
    const refused = [
      // The public key (as a PEM, or as its JWK) used as an HMAC secret, under its own kid or none.
      await hs256With(spki, { kid }),
      await hs256With(JSON.stringify(jwk), { kid }),
      await hs256With(spki, {}),
      unsigned({ alg: "none", kid }, token),
      unsigned({ alg: "none" }, token),
      `${base64url.encode(JSON.stringify({ alg: "ES256", kid: "no-such-key" }))}.${token.split(".").slice(1).join(".")}`,
    ];
    const other = (await keys.rotate(at(1))).kid;
    refused.push(
      `${base64url.encode(JSON.stringify({ alg: "ES256", kid: other }))}.${token.split(".").slice(1).join(".")}`,
    );
    refused.push(
      `${base64url.encode(JSON.stringify({ alg: "ES256", kid: 7 }))}.${token.split(".").slice(1).join(".")}`,
    );
    for (const forged of refused) await expect(verify(keys, forged, at(1)), forged).rejects.toThrow(TokenRejected);
    await expect(verify(keys, token, at(1))).resolves.toMatchObject({ sub: "1" });
  });

  it("reloads on unknown kids at most once per 30 seconds, and not at all for known ones", async () => {
    let clock = 0;
    const keys = isolate({ clock: () => clock });
    const token = await sign(keys, T0);
    const calls = vi.spyOn(globalThis, "fetch");
    const forged = (kid: string) => `${base64url.encode(JSON.stringify({ alg: "ES256", kid }))}.e30.sig`;
    for (let i = 0; i < 50; i++) await expect(verify(keys, forged(`random-${i}`), T0)).rejects.toThrow(TokenRejected);
    expect(calls).not.toHaveBeenCalled();
    clock += 30_000;
    for (let i = 0; i < 50; i++) await expect(verify(keys, forged(`again-${i}`), T0)).rejects.toThrow(TokenRejected);
    expect(calls).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) await verify(keys, token, T0);
    expect(calls).toHaveBeenCalledTimes(1);
  });
});

describe("HS256 and EdDSA", () => {
  it("accepts HS256 tokens (with the HS256 kid, or issued before tokens had one) after the switch to ES256", async () => {
    const before = isolate({ algorithm: "HS256" });
    const withKid = await sign(before, T0);
    expect(decodeProtectedHeader(withKid)).toMatchObject({ alg: "HS256", kid: expect.stringMatching(/^hs256-/) });
    const legacy = await new SignJWT({ token_type: "access", ver: 0 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setJti(crypto.randomUUID())
      .setSubject("1")
      .setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setIssuedAt(T0)
      .setExpirationTime(at(3600))
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    const after = isolate();
    for (const token of [withKid, legacy]) await expect(verify(after, token, at(60))).resolves.toBeTruthy();
    expect(decodeProtectedHeader(await sign(after, at(60))).alg).toBe("ES256");
    // Nothing under HS256 reads the table, and its JWKS is empty.
    expect(await isolate({ algorithm: "HS256" }).jwks(T0)).toEqual({ keys: [] });
  });

  it("signs and verifies EdDSA (Ed25519) keys in workerd", async () => {
    const keys = isolate({ algorithm: "EdDSA" });
    const token = await sign(keys, T0);
    expect(decodeProtectedHeader(token).alg).toBe("EdDSA");
    expect((await keys.jwks(T0)).keys).toEqual([expect.objectContaining({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" })]);
    await expect(verify(isolate(), token, T0)).resolves.toBeTruthy();
  });
});

describe("private keys at rest", () => {
  it("are sealed under the key encryption key and bound to their kid", async () => {
    await sign(isolate(), T0);
    const [row] = await listSigningKeys(db);
    if (!row) throw new Error("no key");
    const kek = await importKeyEncryptionKey(KEK);
    const { d } = await decryptPrivateJwk(kek, row.kid, row.privateJwkEncrypted);
    expect(d).toMatch(/^[\w-]{43}$/);
    expect(JSON.stringify(row)).not.toContain(d);
    expect(JSON.parse(row.publicJwk)).not.toHaveProperty("d");
    await expect(decryptPrivateJwk(kek, "another-kid", row.privateJwkEncrypted)).rejects.toThrow();
    const wrong = await importKeyEncryptionKey(crypto.getRandomValues(new Uint8Array(32)));
    await expect(decryptPrivateJwk(wrong, row.kid, row.privateJwkEncrypted)).rejects.toThrow();
  });
});
