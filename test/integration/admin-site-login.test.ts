import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { kvKey } from "../../src/kv";
import { sha256Hex } from "../../src/services/hex";
import { AdminBrowser, createUser, csrfTokenIn, STAFF, SUPERUSER, signedIn, userRow } from "../helpers/admin-site";
import { sessionById, sessionOfSecret, updateSession } from "../helpers/sessions";

const GENERIC = "Please enter the correct email address and password for a staff account.";
const IDLE_SECONDS = Number(env.ADMIN_SESSION_IDLE_SECONDS);
const MAX_SECONDS = Number(env.ADMIN_SESSION_MAX_SECONDS);

const sessionCookie = (setCookies: string[]) => setCookies.find((line) => line.startsWith("admin_session="));

describe("the admin site's login", () => {
  it("sends a visitor without a session from /admin/ to the login page", async () => {
    const browser = new AdminBrowser();
    const home = await browser.get("/admin/");
    expect(home.status).toBe(302);
    const users = await browser.get("/admin/users?role=doctor");
    expect(users.location).toBe(`/admin/login?next=${encodeURIComponent("/admin/users?role=doctor")}`);
    const login = await browser.get(users.location ?? "");
    expect(login.status).toBe(200);
    expect(login.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(login.html).toMatch(/^<!doctype html><html lang="en"><head><meta charset="utf-8"\/>/);
    expect(login.html).toContain("<title>Log in · edge-auth admin</title>");
    expect(login.html).toContain('<label for="email">Email address</label>');
    expect(login.html).toContain('name="next" value="/admin/users?role=doctor"');
    expect(csrfTokenIn(login.html)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lets active staff in with a session cookie that is HttpOnly, SameSite=Strict, Path=/admin and idles out", async () => {
    const staff = await createUser({}, STAFF);
    const browser = new AdminBrowser();
    const login = await browser.logIn(staff.email, staff.password);
    expect(login.status).toBe(303);
    expect(login.location).toBe("/admin/users");
    const cookie = sessionCookie(login.setCookies) ?? "";
    expect(cookie).toMatch(/^admin_session=[0-9a-f]{64};/);
    expect(cookie).toContain(`Max-Age=${IDLE_SECONDS}`);
    expect(cookie).toContain("Path=/admin");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    // Plain http to localhost: a browser would drop a Secure cookie there.
    expect(cookie).not.toContain("Secure");
    const users = await browser.get("/admin/users");
    expect(users.status).toBe(200);
    expect(users.html).toContain(staff.email);
    expect((await userRow(staff.id))?.lastLogin).toBeInstanceOf(Date);
  });

  it("marks the session cookie Secure everywhere but plain-http localhost", async () => {
    const staff = await createUser({}, STAFF);
    const browser = new AdminBrowser(undefined, "https://admin.example.com");
    const login = await browser.logIn(staff.email, staff.password);
    expect(login.status).toBe(303);
    expect(sessionCookie(login.setCookies)).toContain("Secure");
  });

  it("goes on to the page asked for, but never off the admin site", async () => {
    const staff = await createUser({}, STAFF);
    const landing = async (next: string) => {
      const browser = new AdminBrowser();
      const token = csrfTokenIn((await browser.get("/admin/login")).html) ?? "";
      const form = { email: staff.email, password: staff.password, csrf_token: token, next };
      return (await browser.post("/admin/login", form)).location;
    };
    expect(await landing("/admin/users?role=patient")).toBe("/admin/users?role=patient");
    for (const next of ["https://evil.example/admin/", "//evil.example/admin/", "/api/users/me/"]) {
      expect(await landing(next)).toBe("/admin/users");
    }
  });

  it("falls back to the users page for a next that is not a URL at all", async () => {
    const staff = await createUser({}, STAFF);
    const browser = new AdminBrowser();
    const page = await browser.get("/admin/login?next=http://%5B");
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="next" value="/admin/users"');
    const form = { email: staff.email, password: staff.password, csrf_token: csrfTokenIn(page.html) ?? "" };
    const login = await browser.post("/admin/login", { ...form, next: "http://[" });
    expect(login.status).toBe(303);
    expect(login.location).toBe("/admin/users");
  });

  it("answers a wrong password, an unknown email, a non-staff and an inactive account alike", async () => {
    const patient = await createUser();
    const inactive = await createUser({}, { ...STAFF, isActive: false });
    const superuserWithoutStaff = await createUser({}, { isSuperuser: true });
    const staff = await createUser({}, STAFF);
    const attempts = [
      { email: staff.email, password: "wrong-Password-1" },
      { email: "nobody.at.all@example.com", password: staff.password },
      patient,
      inactive,
      superuserWithoutStaff,
    ];
    for (const { email, password } of attempts) {
      const browser = new AdminBrowser();
      const page = await browser.logIn(email, password);
      expect(page.status, email).toBe(400);
      expect(page.html).toContain(GENERIC);
      expect(page.html).toContain(`value="${email}"`);
      expect(sessionCookie(page.setCookies)).toBeUndefined();
    }
    // Django's rule: a refused account's login is not recorded.
    expect((await userRow(patient.id))?.lastLogin).toBeNull();
  });

  it("shows field errors for an empty form", async () => {
    const page = await new AdminBrowser().logIn("", "");
    expect(page.status).toBe(400);
    expect(page.html).toContain('aria-describedby="email-errors"');
    expect(page.html).toContain("This field may not be blank.");
  });

  it("ends the session server-side at logout: the old cookie no longer works", async () => {
    const { browser } = await signedIn();
    const id = browser.cookies.get("admin_session") ?? "";
    expect(await sessionOfSecret(id)).toMatchObject({ kind: "admin", revokedAt: null });
    const logout = await browser.submit("/admin/users", "/admin/logout", {});
    expect(logout.status).toBe(303);
    expect(logout.location).toBe("/admin/login");
    expect(sessionCookie(logout.setCookies)).toMatch(/Max-Age=0/);
    expect(await sessionOfSecret(id)).toMatchObject({ revokedReason: "logout" });
    const loginPage = await browser.get("/admin/login");
    expect(loginPage.html).toContain("You have been logged out.");
    const replayed = new AdminBrowser();
    replayed.cookies.set("admin_session", id);
    expect((await replayed.get("/admin/users")).status).toBe(302);
  });

  it("gives a new session id at login and ends the one the browser had (no fixation)", async () => {
    const { user, browser } = await signedIn();
    const before = browser.cookies.get("admin_session") ?? "";
    await browser.logIn(user.email, user.password);
    const after = browser.cookies.get("admin_session") ?? "";
    expect(after).not.toBe(before);
    expect((await sessionOfSecret(before))?.revokedAt).toBeInstanceOf(Date);
  });

  it("keeps only the SHA-256 of the cookie, and ends a session idle longer than the idle time", async () => {
    const { browser } = await signedIn();
    const id = browser.cookies.get("admin_session") ?? "";
    const row = await sessionOfSecret(id);
    expect(row?.secretDigest).toBe(await sha256Hex(id));
    await updateSession(row?.id ?? "", { lastSeenAt: new Date(Date.now() - (IDLE_SECONDS + 1) * 1000) });
    const page = await browser.get("/admin/users");
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/admin\/login/);
  });

  it("ends a session ADMIN_SESSION_MAX_SECONDS after login, however busy it has been", async () => {
    const { browser } = await signedIn();
    const row = await sessionOfSecret(browser.cookies.get("admin_session") ?? "");
    expect(row?.expiresAt?.getTime()).toBe((row?.createdAt.getTime() ?? 0) + MAX_SECONDS * 1000);
    await updateSession(row?.id ?? "", { expiresAt: new Date(Date.now() - 1000) });
    const page = await browser.get("/admin/users");
    expect(page.status).toBe(302);
  });

  it("moves the idle deadline on when a minute has passed since the last request", async () => {
    const { browser } = await signedIn();
    const row = await sessionOfSecret(browser.cookies.get("admin_session") ?? "");
    const seenAt = new Date(Date.now() - 120_000);
    await updateSession(row?.id ?? "", { lastSeenAt: seenAt });
    const page = await browser.get("/admin/users");
    expect(page.status).toBe(200);
    expect(sessionCookie(page.setCookies)).toContain(`Max-Age=${IDLE_SECONDS}`);
    await expect
      .poll(async () => (await sessionById(row?.id ?? ""))?.lastSeenAt?.getTime())
      .toBeGreaterThan(seenAt.getTime());
  });

  it("adopts a session from before the upgrade, kept in KV, into a row on its first request", async () => {
    const { user } = await signedIn();
    const cookie = "ab".repeat(32);
    const now = Math.floor(Date.now() / 1000);
    const record = {
      userId: user.id,
      tokenVersion: (await userRow(user.id))?.tokenVersion,
      createdAt: now - 60,
      seenAt: now - 30,
    };
    const key = kvKey("adminSession", await sha256Hex(cookie));
    await env.AUTH_KV.put(key, JSON.stringify(record));
    const browser = new AdminBrowser();
    browser.cookies.set("admin_session", cookie);
    expect((await browser.get("/admin/users")).status).toBe(200);
    expect(await env.AUTH_KV.get(key)).toBeNull();
    expect(await sessionOfSecret(cookie)).toMatchObject({ kind: "admin", userId: user.id, revokedAt: null });
    expect((await browser.get("/admin/users")).status).toBe(200);
  });

  it("logs a staff member out at once when they are deactivated, demoted or signed out everywhere", async () => {
    const { browser: admin } = await signedIn(SUPERUSER);
    for (const change of [{ is_active: "off" }, { is_staff: "off" }, "revoke"] as const) {
      const { user, browser } = await signedIn(STAFF);
      expect((await browser.get("/admin/users")).status).toBe(200);
      const path = `/admin/users/${user.id}`;
      const row = await userRow(user.id);
      const form = {
        first_name: row?.firstName ?? "",
        last_name: row?.lastName ?? "",
        email: user.email,
        role: row?.role ?? "",
        bio: "",
        is_active: "on",
        is_staff: "on",
        is_superuser: "off",
      };
      const done =
        change === "revoke"
          ? await admin.submit(path, `${path}/revoke-sessions`, {})
          : await admin.submit(path, path, { ...form, ...change });
      expect(done.status, done.html).toBe(303);
      expect((await browser.get("/admin/users")).status).toBe(302);
    }
  });
});
