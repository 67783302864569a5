import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { base64url, createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { decryptPrivateJwk, importKeyEncryptionKey } from "../../src/crypto/key-encryption";
import { createDb } from "../../src/db/client";
import { signingKeys, users } from "../../src/db/schema";
import { listSigningKeys } from "../../src/db/signing-keys";
import { type ApiResponse, api, randomIp, registrationBody, STRONG_PASSWORD } from "../helpers/api";
import { appRequest } from "../helpers/fetch-worker";
import { mintToken, sidOf } from "../helpers/sessions";

// The Worker switched to ES256, on a database whose signing_keys table this file owns, and another
// service that verifies its tokens from the JWKS alone, as a resource server would. The Worker's
// clock is faked (Date only) to pass the publish delay; app.request runs the app in this isolate.
const DATABASE_URL = inject("keysDatabaseUrl");
const db = createDb(DATABASE_URL);
const KEK = crypto.getRandomValues(new Uint8Array(32));
const es256 = {
  ...env,
  DATABASE_URL,
  JWT_ALGORITHM: "ES256",
  JWT_KEY_ENCRYPTION_KEY: base64url.encode(KEK),
  JWT_KEY_PUBLISH_SECONDS: "300",
};
const JWKS_URL = "http://localhost/.well-known/jwks.json";

// Every answer and log line of the file, searched at the end for private key material.
const seen: string[] = [];
async function call(method: string, path: string, { body, token }: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = { "CF-Connecting-IP": randomIp() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  const response = await appRequest(`http://localhost${path}`, init, es256);
  const text = await response.text();
  seen.push(text);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null } as ApiResponse;
}

// The resource server: jose's remote key set, fetching our JWKS (its fetch goes to the Worker).
const resourceServer = createRemoteJWKSet(new URL(JWKS_URL), {
  [customFetch]: (url: string, init: RequestInit) => appRequest(url, init, es256),
});
const verifyElsewhere = (token: string) =>
  jwtVerify(token, resourceServer, { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });

let session: { id: number; email: string; access: string; refresh: string };
const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;
async function refreshed() {
  const answer = await call("POST", "/auth/refresh/", { body: { refresh: session.refresh } });
  expect(answer.status).toBe(200);
  session = { ...session, ...answer.body.data };
  return session.access;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  for (const method of ["log", "info", "warn", "error"] as const) {
    const original = console[method];
    vi.spyOn(console, method).mockImplementation((...args) => {
      seen.push(JSON.stringify(args));
      original(...args);
    });
  }
  const body = registrationBody();
  expect((await call("POST", "/auth/register/", { body })).status).toBe(201);
  const login = await call("POST", "/auth/login/", { body: { email: body.email, password: STRONG_PASSWORD } });
  const { access, refresh, user } = login.body.data;
  // The one user is a superuser too, so that it can rotate.
  await db.update(users).set({ role: "admin", isStaff: true, isSuperuser: true }).where(eq(users.id, user.id));
  session = { id: user.id, email: body.email, access, refresh };
});
afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes {keys: []} under HS256, public for five minutes and to every origin", async () => {
    const response = await api("GET", "/.well-known/jwks.json", { headers: { Origin: "https://app.example" } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ keys: [] });
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("publishes the ES256 key that signs our tokens, and costs no DB statement on a warm isolate", async () => {
    const answer = await call("GET", "/.well-known/jwks.json");
    expect(answer.body.keys).toContainEqual({
      kty: "EC",
      crv: "P-256",
      x: expect.any(String),
      y: expect.any(String),
      kid: kidOf(session.access),
      alg: "ES256",
      use: "sig",
    });
    expect(decodeProtectedHeader(session.access)).toMatchObject({ alg: "ES256", typ: "JWT" });
    const fetches = vi.spyOn(globalThis, "fetch");
    await call("GET", "/.well-known/jwks.json");
    expect(fetches).not.toHaveBeenCalled();
    // The authenticated read: the user's row, and no key lookup.
    expect((await call("GET", "/auth/profile/", { token: session.access })).status).toBe(200);
    expect(fetches).toHaveBeenCalledTimes(1);
    fetches.mockRestore();
  });
});

describe("another service verifying our tokens from the JWKS", () => {
  it("accepts tokens before and after a rotation, and none is refused on the way", async () => {
    const before = session.access;
    await expect(verifyElsewhere(before)).resolves.toMatchObject({ payload: { sub: String(session.id) } });
    const rotation = await call("POST", "/auth/keys/rotate/", { token: before });
    expect(rotation.status).toBe(201);
    expect(rotation.body.data).toMatchObject({ status: "next", alg: "ES256" });
    const next = rotation.body.data.kid;
    // Published at once, signing only after the publish delay.
    expect((await call("GET", "/.well-known/jwks.json")).body.keys.map((key: { kid: string }) => key.kid)).toContain(
      next,
    );
    expect(kidOf(await refreshed())).toBe(kidOf(before));
    later(301);
    const after = await refreshed();
    expect(kidOf(after)).toBe(next);
    for (const token of [before, after]) {
      await expect(verifyElsewhere(token)).resolves.toBeTruthy();
      expect((await call("GET", "/auth/profile/", { token })).status).toBe(200);
    }
    const audit = await call("GET", "/auth/audit/?limit=5", { token: after });
    expect(audit.body.data.results[0]).toMatchObject({
      action: "rotate_signing_keys",
      actor: { id: session.id },
      changes: { [next]: { before: null, after: { status: "next" } }, [kidOf(before)]: { before: "current" } },
    });
  });

  it("refuses the revoked key's tokens at once, and signs with its successor", async () => {
    const old = await refreshed();
    const revoked = await call("POST", `/auth/keys/${kidOf(old)}/revoke/`, { token: old });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.keys).toContainEqual(expect.objectContaining({ kid: kidOf(old), status: "revoked" }));
    expect((await call("GET", "/auth/profile/", { token: old })).status).toBe(401);
    expect((await call("POST", "/auth/refresh/", { body: { refresh: session.refresh } })).status).toBe(401);
    const jwks = (await call("GET", "/.well-known/jwks.json")).body.keys.map((key: { kid: string }) => key.kid);
    expect(jwks).not.toContain(kidOf(old));
    // Signed in again, with the successor's tokens. The other service fetches the set again for
    // the new kid once jose's cooldown (30 s since its last fetch) has passed.
    const login = await call("POST", "/auth/login/", { body: { email: session.email, password: STRONG_PASSWORD } });
    session = { ...session, ...login.body.data };
    expect(jwks).toContain(kidOf(session.access));
    later(31);
    await expect(verifyElsewhere(session.access)).resolves.toBeTruthy();
  });

  it("accepts an HS256 token issued before the switch, while JWT_SECRET stays set", async () => {
    const hs256 = await mintToken("access", { userId: session.id, sessionId: sidOf(session.access) });
    expect(decodeProtectedHeader(hs256.token).alg).toBe("HS256");
    expect((await call("GET", "/auth/profile/", { token: hs256.token })).status).toBe(200);
  });

  it("lets only superusers rotate and revoke", async () => {
    expect((await call("POST", "/auth/keys/rotate/")).status).toBe(401);
    const body = registrationBody();
    await call("POST", "/auth/register/", { body });
    const student = await call("POST", "/auth/login/", { body: { email: body.email, password: STRONG_PASSWORD } });
    const token = student.body.data.access;
    expect((await call("POST", "/auth/keys/rotate/", { token })).status).toBe(403);
    expect((await call("POST", `/auth/keys/${kidOf(token)}/revoke/`, { token })).status).toBe(403);
    expect((await call("GET", "/auth/keys/", { token })).status).toBe(403);
  });

  it("never shows a private key in any answer, log line or the JWKS", async () => {
    const kek = await importKeyEncryptionKey(KEK);
    const rows = await listSigningKeys(db);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const listed = await call("GET", "/auth/keys/", { token: session.access });
    expect(listed.status).toBe(200);
    const text = seen.join("\n");
    for (const row of rows) {
      const { d } = await decryptPrivateJwk(kek, row.kid, row.privateJwkEncrypted);
      expect(text).not.toContain(d);
      expect(text).not.toContain(row.privateJwkEncrypted);
    }
  });

  it("refuses a key's tokens at once on an isolate whose cache still trusts it (revoked by another)", async () => {
    const { access, refresh } = session;
    expect((await call("GET", "/auth/profile/", { token: access })).status).toBe(200);
    // What another isolate's revocation commits; this isolate's key cache has not reloaded since.
    await db
      .update(signingKeys)
      .set({ revokedAt: new Date() })
      .where(eq(signingKeys.kid, kidOf(access)));
    expect((await call("GET", "/auth/profile/", { token: access })).status).toBe(401);
    expect((await call("POST", "/auth/refresh/", { body: { refresh } })).status).toBe(401);
  });
});
