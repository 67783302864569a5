import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema";
import { createUser, SUPERUSER, signedIn } from "../helpers/admin-site";
import { api, expectErrorEnvelope, testDb } from "../helpers/api";
import { expectDetail, tokenAuth } from "../helpers/drf";
import { sessionById, sessionOfSecret, sidOf } from "../helpers/sessions";

const BROWSER = { "User-Agent": "Mozilla/5.0 (sessions test)", "CF-Connecting-IP": "203.0.113.9" };

/** One user signed in three ways: a JWT pair, an /api/users/ key and an admin-site cookie. */
async function signedInEverywhere() {
  const { user, browser } = await signedIn(SUPERUSER);
  const credentials = { email: user.email, password: user.password };
  const jwt = await api("POST", "/auth/login/", { body: credentials, headers: BROWSER });
  const drf = await api("POST", "/api/users/login/", { body: credentials, headers: { "User-Agent": "curl/8" } });
  return { user, browser, access: jwt.body.data.access as string, key: drf.body.token as string };
}

const bearer = (access: string) => ({ token: access });

describe("GET /auth/sessions/ and /api/users/sessions/", () => {
  it("list the caller's live sessions of every kind, newest first, the current one marked", async () => {
    const { access, key } = await signedInEverywhere();
    const listed = await api("GET", "/auth/sessions/", bearer(access));
    expect(listed.status).toBe(200);
    const sessions = listed.body.data;
    expect(sessions.map((session: { kind: string }) => session.kind)).toEqual(["token", "jwt", "admin"]);
    const jwt = sessions[1];
    expect(jwt).toEqual({
      id: sidOf(access),
      kind: "jwt",
      created_at: expect.any(String),
      last_seen_at: expect.any(String),
      expires_at: expect.any(String),
      user_agent: BROWSER["User-Agent"],
      ip: BROWSER["CF-Connecting-IP"],
      current: true,
    });
    expect(sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
    const drf = await api("GET", "/api/users/sessions/", { headers: tokenAuth(key) });
    expect(drf.status).toBe(200);
    expect(drf.body.map((session: { kind: string; current: boolean }) => [session.kind, session.current])).toEqual([
      ["token", true],
      ["jwt", false],
      ["admin", false],
    ]);
  });

  it("bound a long User-Agent", async () => {
    const { user } = await signedIn(SUPERUSER);
    const login = await api("POST", "/auth/login/", {
      body: { email: user.email, password: user.password },
      headers: { "User-Agent": "x".repeat(1000) },
    });
    expect((await sessionById(sidOf(login.body.data.access)))?.userAgent).toHaveLength(255);
  });
});

describe("DELETE /auth/sessions/{id}/ and /api/users/sessions/{id}/", () => {
  it("end one session at once: its key, token or cookie is refused on the very next request", async () => {
    const { access, key, browser } = await signedInEverywhere();
    const tokenSession = await sessionOfSecret(key);
    expect((await api("DELETE", `/auth/sessions/${tokenSession?.id}/`, bearer(access))).status).toBe(200);
    expect(expectDetail(await api("GET", "/api/users/me/", { headers: tokenAuth(key) }), 401)).toBe("Invalid token.");
    const adminSession = await sessionOfSecret(browser.cookies.get("admin_session") ?? "");
    expect((await browser.get("/admin/users")).status).toBe(200);
    expect((await api("DELETE", `/auth/sessions/${adminSession?.id}/`, bearer(access))).status).toBe(200);
    expect((await browser.get("/admin/users")).status).toBe(302);
    expect((await api("GET", "/auth/profile/", bearer(access))).status).toBe(200);
  });

  it("answer 204 in DRF's shape, and 404 for another user's session, as if it did not exist", async () => {
    const one = await signedInEverywhere();
    const other = await signedInEverywhere();
    const theirs = sidOf(other.access);
    expectErrorEnvelope(await api("DELETE", `/auth/sessions/${theirs}/`, bearer(one.access)), 404);
    expect(expectDetail(await api("DELETE", `/api/users/sessions/${theirs}/`, { headers: tokenAuth(one.key) }), 404));
    expect((await api("GET", "/auth/profile/", bearer(other.access))).status).toBe(200);
    const own = await api("DELETE", `/api/users/sessions/${sidOf(one.access)}/`, { headers: tokenAuth(one.key) });
    expect(own.status).toBe(204);
    expect((await api("GET", "/auth/profile/", bearer(one.access))).status).toBe(401);
    expectErrorEnvelope(await api("DELETE", "/auth/sessions/not-a-uuid/", bearer(other.access)), 400);
  });
});

describe("POST /auth/logout-all/ and /api/users/logout-all/", () => {
  it("end every session of the caller, the current one included", async () => {
    const { access, key, browser } = await signedInEverywhere();
    const done = await api("POST", "/auth/logout-all/", bearer(access));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({ success: true, message: "Logged out of every session" });
    expect((await api("GET", "/auth/profile/", bearer(access))).status).toBe(401);
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(key) })).status).toBe(401);
    expect((await browser.get("/admin/users")).status).toBe(302);
    expect(await sessionById(sidOf(access))).toMatchObject({ revokedReason: "logout_everywhere" });
  });

  it("keep the current one with keep_current", async () => {
    const { access, key } = await signedInEverywhere();
    const done = await api("POST", "/api/users/logout-all/", { headers: tokenAuth(key), body: { keep_current: true } });
    expect(done.body).toEqual({ detail: "Successfully logged out of every session." });
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(key) })).status).toBe(200);
    expect((await api("GET", "/auth/profile/", bearer(access))).status).toBe(401);
  });
});

describe("the administration API's sessions of a user", () => {
  it("lists and ends them under the policy, audited", async () => {
    const admin = await signedInEverywhere();
    const target = await createUser();
    const login = await api("POST", "/auth/login/", { body: { email: target.email, password: target.password } });
    const listed = await api("GET", `/auth/users/${target.id}/sessions/`, bearer(admin.access));
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: sidOf(login.body.data.access), current: false })]);
    const sessionId = sidOf(login.body.data.access);
    // A session of someone else, through this user's path, is not found.
    expectErrorEnvelope(
      await api("DELETE", `/auth/users/${target.id}/sessions/${sidOf(admin.access)}/`, bearer(admin.access)),
      404,
    );
    const ended = await api("DELETE", `/auth/users/${target.id}/sessions/${sessionId}/`, bearer(admin.access));
    expect(ended.status).toBe(200);
    expect((await api("GET", "/auth/profile/", bearer(login.body.data.access))).status).toBe(401);
    expect(await sessionById(sessionId)).toMatchObject({ revokedReason: "admin" });
    const [entry] = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, target.id), eq(auditLog.action, "revoke_session")))
      .orderBy(desc(auditLog.id));
    expect(entry?.actorId).toBe(admin.user.id);
    // Users who are not administrators may see neither their own nor anyone's through this API.
    const student = await api("POST", "/auth/login/", { body: { email: target.email, password: target.password } });
    expectErrorEnvelope(
      await api("GET", `/auth/users/${admin.user.id}/sessions/`, bearer(student.body.data.access)),
      403,
    );
  });

  it("are on the admin site's user page, each with its own revoke button", async () => {
    const { browser } = await signedIn(SUPERUSER);
    const target = await createUser();
    const login = await api("POST", "/api/users/login/", {
      body: { email: target.email, password: target.password },
      headers: { "User-Agent": "Target-Client/1.0" },
    });
    const page = await browser.get(`/admin/users/${target.id}`);
    expect(page.html).toContain("Target-Client/1.0");
    const session = await sessionOfSecret(login.body.token);
    const action = `/admin/users/${target.id}/sessions/${session?.id}/revoke`;
    expect(page.html).toContain(`action="${action}"`);
    const revoked = await browser.submit(`/admin/users/${target.id}`, action, {});
    expect(revoked.status).toBe(303);
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(login.body.token) })).status).toBe(401);
    expect((await browser.get(`/admin/users/${target.id}`)).html).toContain("Not signed in anywhere.");
  });
});
