import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { PRE_SESSIONS } from "../fixtures/pre-sessions";
import { type ApiResponse, testTokenSettings } from "../helpers/api";
import { appRequest } from "../helpers/fetch-worker";

// The database the global setup migrated through 0005 after writing rows in the old tables' shape.
const upgraded = { ...env, DATABASE_URL: inject("upgradedDatabaseUrl") };

async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers = { ...(init.body ? { "Content-Type": "application/json" } : {}), ...init.headers };
  const body = init.body ? JSON.stringify(init.body) : undefined;
  const response = await appRequest(`http://localhost${path}`, { method, headers, body }, upgraded);
  return { status: response.status, body: (await response.json()) as ApiResponse["body"] };
}

/** A token as the Worker signed them before the upgrade: the user's token version, no `sid`. */
function oldToken(type: "access" | "refresh", jti: string) {
  const settings = testTokenSettings();
  const ttl = type === "access" ? settings.accessTtlSeconds : settings.refreshTtlSeconds;
  return new SignJWT({ token_type: type, ver: PRE_SESSIONS.tokenVersion })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setJti(jti)
    .setSubject(String(PRE_SESSIONS.userId))
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(new TextEncoder().encode(env.JWT_SECRET));
}

describe("tokens issued before sessions were rows, after the upgrade", () => {
  it("keeps a live refresh token working: it rotates, and its successor carries the session", async () => {
    const refreshed = await call("POST", "/auth/refresh/", {
      body: { refresh: await oldToken("refresh", PRE_SESSIONS.liveRefreshJti) },
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const profile = await call("GET", "/auth/profile/", {
      headers: { Authorization: `Bearer ${refreshed.body.data.access}` },
    });
    expect(profile.body.data.email).toBe(PRE_SESSIONS.email);
    const sessions = await call("GET", "/auth/sessions/", {
      headers: { Authorization: `Bearer ${refreshed.body.data.access}` },
    });
    expect(sessions.body.data).toContainEqual(
      expect.objectContaining({ id: PRE_SESSIONS.liveRefreshJti, kind: "jwt", current: true }),
    );
    const again = await call("POST", "/auth/refresh/", { body: { refresh: refreshed.body.data.refresh } });
    expect(again.status).toBe(200);
  });

  it("does not bring a spent refresh token back", async () => {
    const refused = await call("POST", "/auth/refresh/", {
      body: { refresh: await oldToken("refresh", PRE_SESSIONS.spentRefreshJti) },
    });
    expect(refused.status).toBe(401);
  });

  it("keeps an access token working until it expires", async () => {
    const access = await oldToken("access", crypto.randomUUID());
    const profile = await call("GET", "/auth/profile/", { headers: { Authorization: `Bearer ${access}` } });
    expect(profile.status).toBe(200);
  });

  it("keeps an /api/users/ key working, as a token session", async () => {
    const me = await call("GET", "/api/users/me/", { headers: { Authorization: `Token ${PRE_SESSIONS.apiKey}` } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(PRE_SESSIONS.email);
    const sessions = await call("GET", "/api/users/sessions/", {
      headers: { Authorization: `Token ${PRE_SESSIONS.apiKey}` },
    });
    expect(sessions.body).toContainEqual(expect.objectContaining({ kind: "token", current: true }));
  });
});
