import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { updateUser } from "../../src/db/users";
import { api, expectErrorEnvelope, registerAndLogin, testDb, testTokenSettings } from "../helpers/api";
import { insertJwtSession, mintToken } from "../helpers/sessions";

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const refreshWith = (refresh: string, path = "/auth/refresh/") => api("POST", path, { body: { refresh } });

describe("POST /auth/refresh/ (happy)", () => {
  it("rotates: a new access and a new refresh token, both unlike the old ones", async () => {
    const session = await registerAndLogin();
    const response = await refreshWith(session.refresh);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: { access: expect.stringMatching(JWT), refresh: expect.stringMatching(JWT) },
      message: "Token refreshed successfully",
    });
    const { access, refresh } = response.body.data;
    expect(access).not.toBe(session.access);
    expect(refresh).not.toBe(session.refresh);
    expect(decodeJwt(refresh).jti).not.toBe(decodeJwt(session.refresh).jti);
    const profile = await api("GET", "/auth/profile/", { token: access });
    expect(profile.status).toBe(200);
    expect(profile.body.data.id).toBe(session.user.id);
  });

  it("serves the path without the trailing slash", async () => {
    const session = await registerAndLogin();
    expect((await refreshWith(session.refresh, "/auth/refresh")).status).toBe(200);
  });

  it("lets the new refresh token be used once, like the first", async () => {
    const session = await registerAndLogin();
    const first = await refreshWith(session.refresh);
    const second = await refreshWith(first.body.data.refresh);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    afterGrace();
    expectErrorEnvelope(await refreshWith(first.body.data.refresh), 401);
  });
});

// Past REFRESH_REUSE_GRACE_SECONDS, a rotated token coming back is a reuse, not a second tab.
const afterGrace = () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + (Number(env.REFRESH_REUSE_GRACE_SECONDS) + 1) * 1000);
};
afterEach(() => {
  vi.useRealTimers();
});

describe("POST /auth/refresh/ (the blacklist)", () => {
  it("refuses the presented refresh token once it has been rotated", async () => {
    const session = await registerAndLogin();
    expect((await refreshWith(session.refresh)).status).toBe(200);
    afterGrace();
    const again = await refreshWith(session.refresh);
    expect(expectErrorEnvelope(again, 401).refresh).toEqual([expect.any(String)]);
  });

  it("blacklists the presented token in KV until about when it would have expired", async () => {
    const session = await registerAndLogin();
    const { jti, exp } = decodeJwt(session.refresh);
    expect((await refreshWith(session.refresh)).status).toBe(200);
    const key = `blacklist:refresh:${jti}`;
    expect(await env.AUTH_KV.get(key)).not.toBeNull();
    const { keys } = await env.AUTH_KV.list({ prefix: key });
    expect(keys).toHaveLength(1);
    const expiration = keys[0]?.expiration ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 60);
    expect(Math.abs(expiration - (exp ?? 0))).toBeLessThanOrEqual(5);
  });

  it("rotates a token with under a minute left, keeping KV's 60-second floor", async () => {
    const { user } = await registerAndLogin();
    const settings = testTokenSettings();
    const issuedAt = new Date(Date.now() - (settings.refreshTtlSeconds - 30) * 1000);
    const sessionId = crypto.randomUUID();
    const issued = await mintToken("refresh", { userId: user.id, sessionId }, issuedAt);
    await insertJwtSession(user.id, issued.jti, issued.expiresAt, sessionId);
    const response = await refreshWith(issued.token);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const { keys } = await env.AUTH_KV.list({ prefix: `blacklist:refresh:${issued.jti}` });
    expect(keys[0]?.expiration).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 55);
  });

  it("refuses a token KV lists as logged out on KV's word, even while its MySQL row is live", async () => {
    const session = await registerAndLogin();
    await env.AUTH_KV.put(`blacklist:refresh:${decodeJwt(session.refresh).jti}`, "ended");
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
  });
});

describe("POST /auth/refresh/ (refusals)", () => {
  it("refuses a refresh token issued before a password change", async () => {
    const session = await registerAndLogin();
    const change = await api("POST", "/auth/change-password/", {
      token: session.access,
      body: {
        old_password: session.password,
        new_password: "fresh-Cobalt-42",
        new_password_confirm: "fresh-Cobalt-42",
      },
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
  });

  it("refuses the refresh token of a user made inactive", async () => {
    const session = await registerAndLogin();
    await updateUser(testDb(), session.user.id, { isActive: false });
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
  });

  it("refuses a string that is not a token with 401", async () => {
    expect(expectErrorEnvelope(await refreshWith("not-a-token"), 401).refresh).toBeDefined();
  });

  it("refuses a missing or blank refresh field with 400 and errors.refresh", async () => {
    expect(expectErrorEnvelope(await api("POST", "/auth/refresh/", { body: {} }), 400).refresh).toEqual([
      "This field is required.",
    ]);
    expect(expectErrorEnvelope(await refreshWith(""), 400).refresh).toEqual(["This field may not be blank."]);
  });
});
