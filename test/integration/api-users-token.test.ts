import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../src/db/schema";
import { digestApiKey } from "../../src/services/api-tokens";
import { api, testDb } from "../helpers/api";
import { drfRegistration, expectDetail, expectFieldErrors, registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { sessionOfSecret, updateSession } from "../helpers/sessions";

const me = (token: string) => api("GET", "/api/users/me/", { headers: tokenAuth(token) });
const KEY = /^[0-9a-f]{40}$/;

const tokenRow = sessionOfSecret;

describe("POST /api/users/login/", () => {
  it("answers 200 with exactly {user, token}, the token 40 hex characters", async () => {
    const body = drfRegistration();
    const registered = await api("POST", "/api/users/register/", { body });
    const response = await api("POST", "/api/users/login/", { body: { email: body.email, password: body.password } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ user: registered.body, token: expect.stringMatching(KEY) });
  });

  it("issues one token per login, each stored only as its SHA-256 digest", async () => {
    const session = await registerAndLoginDrf();
    const second = await api("POST", "/api/users/login/", {
      body: { email: session.email, password: session.password },
    });
    expect(second.body.token).not.toBe(session.token);
    const row = await tokenRow(session.token);
    expect(row).toMatchObject({ userId: session.user.id, revokedAt: null });
    const db = testDb();
    const leaked = await db.select().from(sessions).where(eq(sessions.secretDigest, session.token));
    expect(leaked).toEqual([]);
    // 30 days by default (API_TOKEN_TTL).
    const lifetime = (row?.expiresAt?.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0);
    expect(lifetime).toBe(30 * 24 * 3600 * 1000);
  });

  it("answers wrong password, unknown email and an inactive account alike", async () => {
    const session = await registerAndLoginDrf();
    const wrong = await api("POST", "/api/users/login/", { body: { email: session.email, password: "nope-Nope-1" } });
    const unknown = await api("POST", "/api/users/login/", {
      body: { email: `x${session.email}`, password: session.password },
    });
    await testDb().update(users).set({ isActive: false }).where(sql`${users.id} = ${session.user.id}`);
    const inactive = await api("POST", "/api/users/login/", {
      body: { email: session.email, password: session.password },
    });
    for (const response of [wrong, unknown, inactive]) {
      expect(expectFieldErrors(response)).toEqual({
        non_field_errors: ["Unable to log in with provided credentials."],
      });
    }
  });

  it("names missing fields", async () => {
    const errors = expectFieldErrors(await api("POST", "/api/users/login/", { body: {} }));
    expect(errors).toEqual({ email: ["This field is required."], password: ["This field is required."] });
  });
});

describe("Authorization: Token", () => {
  it("GET /api/users/me/ shows the caller", async () => {
    const session = await registerAndLoginDrf();
    const response = await me(session.token);
    expect(response.status).toBe(200);
    // The login's user, and (issue 15: on `me` only) whether the address is verified.
    expect(response.body).toEqual({ ...session.user, email_verified: false });
  });

  it("takes DRF's keyword in any case", async () => {
    const session = await registerAndLoginDrf();
    const response = await api("GET", "/api/users/me/", { headers: { Authorization: `token ${session.token}` } });
    expect(response.status).toBe(200);
  });

  it.each([
    ["no header", undefined, "Authentication credentials were not provided."],
    ["a Bearer JWT", "Bearer a.b.c", "Authentication credentials were not provided."],
    ["the keyword alone", "Token", "Invalid token header. No credentials provided."],
    ["spaces in the key", "Token abc def", "Invalid token header. Token string should not contain spaces."],
    ["an unknown key", `Token ${"a".repeat(40)}`, "Invalid token."],
    ["a malformed key", "Token ' OR 1=1 --", "Invalid token header. Token string should not contain spaces."],
    ["a short key", "Token abc", "Invalid token."],
  ])("refuses %s with 401, DRF's detail and WWW-Authenticate: Token", async (_name, header, detail) => {
    const response = await api("GET", "/api/users/me/", { headers: header ? { Authorization: header } : {} });
    expect(expectDetail(response, 401)).toBe(detail);
    expect(response.headers.get("WWW-Authenticate")).toBe("Token");
  });

  it("refuses an expired token", async () => {
    const session = await registerAndLoginDrf();
    await testDb()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.secretDigest, await digestApiKey(session.token)));
    expect(expectDetail(await me(session.token), 401)).toBe("Invalid token.");
  });

  it("refuses the token of a user made inactive", async () => {
    const session = await registerAndLoginDrf();
    await testDb().update(users).set({ isActive: false }).where(sql`${users.id} = ${session.user.id}`);
    expect(expectDetail(await me(session.token), 401)).toBe("Invalid token.");
  });

  it("records when a token was last used, at most once a minute", async () => {
    const session = await registerAndLoginDrf();
    const row = await tokenRow(session.token);
    expect(row?.lastSeenAt?.getTime()).toBe(row?.createdAt.getTime());
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await updateSession(row?.id ?? "", { lastSeenAt: twoMinutesAgo });
    expect((await me(session.token)).status).toBe(200);
    // Recorded after the response (waitUntil): poll briefly.
    let lastSeenAt: Date | null | undefined = twoMinutesAgo;
    for (let attempt = 0; attempt < 50 && lastSeenAt?.getTime() === twoMinutesAgo.getTime(); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lastSeenAt = (await tokenRow(session.token))?.lastSeenAt;
    }
    expect(lastSeenAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("is not accepted by the /auth/ endpoints, which keep Bearer JWTs", async () => {
    const session = await registerAndLoginDrf();
    const response = await api("GET", "/auth/profile/", { headers: tokenAuth(session.token) });
    expect(response.status).toBe(401);
    expect(response.body.success).toBe(false);
  });
});

describe("POST /api/users/logout/", () => {
  it("revokes the token it is called with, and only that one", async () => {
    const session = await registerAndLoginDrf();
    const other = await api("POST", "/api/users/login/", {
      body: { email: session.email, password: session.password },
    });
    const logout = await api("POST", "/api/users/logout/", { headers: tokenAuth(session.token) });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ detail: "Successfully logged out." });
    expect(expectDetail(await me(session.token), 401)).toBe("Invalid token.");
    expect((await me(other.body.token)).status).toBe(200);
    expect((await tokenRow(session.token))?.revokedAt).toBeInstanceOf(Date);
  });

  it("needs a token", async () => {
    expect(expectDetail(await api("POST", "/api/users/logout/"), 401)).toBe(
      "Authentication credentials were not provided.",
    );
  });
});

describe("POST /api/users/change-password/", () => {
  it("revokes every token of the user; the new password logs in", async () => {
    const session = await registerAndLoginDrf();
    const newPassword = "another-Strong-pass-77";
    const change = await api("POST", "/api/users/change-password/", {
      headers: tokenAuth(session.token),
      body: { old_password: session.password, new_password: newPassword, new_password_confirm: newPassword },
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(expectDetail(await me(session.token), 401)).toBe("Invalid token.");
    const login = await api("POST", "/api/users/login/", { body: { email: session.email, password: newPassword } });
    expect(login.status).toBe(200);
  });

  it("answers a wrong old password with a field error", async () => {
    const session = await registerAndLoginDrf();
    const change = await api("POST", "/api/users/change-password/", {
      headers: tokenAuth(session.token),
      body: { old_password: "wrong-Password-1", new_password: "x", new_password_confirm: "y" },
    });
    const errors = expectFieldErrors(change);
    expect(errors.old_password).toBeDefined();
    expect(errors.new_password).toBeDefined();
    expect(errors.new_password_confirm).toEqual(["Passwords do not match."]);
    expect((await me(session.token)).status).toBe(200);
  });
});
