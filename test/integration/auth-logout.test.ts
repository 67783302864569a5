import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { api, expectErrorEnvelope, registerAndLogin } from "../helpers/api";
import { sessionById, sidOf } from "../helpers/sessions";

const logout = (access: string | undefined, body: unknown, path = "/auth/logout/") =>
  api("POST", path, { token: access, body });
const profile = (access: string) => api("GET", "/auth/profile/", { token: access });
const refreshWith = (refresh: string) => api("POST", "/auth/refresh/", { body: { refresh } });

describe("POST /auth/logout/ (happy)", () => {
  it("answers 200 with exactly the documented body", async () => {
    const session = await registerAndLogin();
    const response = await logout(session.access, { refresh: session.refresh });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Logout successful" });
  });

  it("serves the path without the trailing slash", async () => {
    const session = await registerAndLogin();
    expect((await logout(session.access, { refresh: session.refresh }, "/auth/logout")).status).toBe(200);
  });

  it("refuses the access token and the refresh token afterwards", async () => {
    const session = await registerAndLogin();
    expect((await logout(session.access, { refresh: session.refresh })).status).toBe(200);
    const afterProfile = await profile(session.access);
    expectErrorEnvelope(afterProfile, 401);
    expect(afterProfile.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
  });

  it("ends the session's row, and blacklists the refresh token in KV until about when it expires", async () => {
    const session = await registerAndLogin();
    const refresh = decodeJwt(session.refresh);
    expect((await logout(session.access, { refresh: session.refresh })).status).toBe(200);
    expect(await sessionById(sidOf(session.access))).toMatchObject({ revokedReason: "logout" });
    expect(await env.AUTH_KV.get(`blacklist:refresh:${refresh.jti}`)).toBe("ended");
    const { keys } = await env.AUTH_KV.list({ prefix: `blacklist:refresh:${refresh.jti}` });
    expect(Math.abs((keys[0]?.expiration ?? 0) - (refresh.exp ?? 0))).toBeLessThanOrEqual(5);
  });

  it("ends one session only: another login of the same user keeps working", async () => {
    const session = await registerAndLogin();
    const second = await api("POST", "/auth/login/", { body: { email: session.email, password: session.password } });
    expect((await logout(session.access, { refresh: session.refresh })).status).toBe(200);
    expect((await profile(second.body.data.access)).status).toBe(200);
    expect((await refreshWith(second.body.data.refresh)).status).toBe(200);
  });
});

describe("POST /auth/logout/ (refusals)", () => {
  it("refuses a logout without a Bearer token with 401", async () => {
    const session = await registerAndLogin();
    const response = await logout(undefined, { refresh: session.refresh });
    expectErrorEnvelope(response, 401);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
    expect((await refreshWith(session.refresh)).status).toBe(200);
  });

  it("refuses another user's refresh token with 400 errors.refresh, and leaves that token working", async () => {
    const mine = await registerAndLogin();
    const theirs = await registerAndLogin();
    const response = await logout(mine.access, { refresh: theirs.refresh });
    expect(expectErrorEnvelope(response, 400).refresh).toEqual([expect.any(String)]);
    expect((await refreshWith(theirs.refresh)).status).toBe(200);
    expect((await profile(mine.access)).status).toBe(200);
  });

  it("answers a second logout with a clean 401", async () => {
    const session = await registerAndLogin();
    expect((await logout(session.access, { refresh: session.refresh })).status).toBe(200);
    expectErrorEnvelope(await logout(session.access, { refresh: session.refresh }), 401);
  });

  it("refuses a refresh token that was already rotated, with a fresh access token, cleanly", async () => {
    const session = await registerAndLogin();
    const rotated = await refreshWith(session.refresh);
    expect(rotated.status).toBe(200);
    expectErrorEnvelope(await logout(rotated.body.data.access, { refresh: session.refresh }), 401);
  });

  it("lets only one of a concurrent logout and refresh with one refresh token succeed", async () => {
    const session = await registerAndLogin();
    const [loggedOut, refreshed] = await Promise.all([
      logout(session.access, { refresh: session.refresh }),
      refreshWith(session.refresh),
    ]);
    expect([loggedOut.status, refreshed.status].sort()).toEqual([200, 401]);
  });

  it("refuses a missing refresh token with 400 errors.refresh", async () => {
    const session = await registerAndLogin();
    expect(expectErrorEnvelope(await logout(session.access, {}), 400).refresh).toEqual(["This field is required."]);
    expect((await profile(session.access)).status).toBe(200);
  });

  it("refuses an access token in place of the refresh token", async () => {
    const session = await registerAndLogin();
    expectErrorEnvelope(await logout(session.access, { refresh: session.access }), 401);
    expect((await profile(session.access)).status).toBe(200);
  });
});
