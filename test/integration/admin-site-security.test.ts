import { describe, expect, it } from "vitest";
import { AdminBrowser, createUser, csrfTokenIn, ORIGIN, STAFF, signedIn, userRow } from "../helpers/admin-site";
import { api } from "../helpers/api";

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const REFUSED = "CSRF verification failed";

/** A deactivation form for `id`, as the user page would send it. */
const deactivation = (email: string) => ({
  first_name: "John",
  last_name: "Doe",
  email,
  role: "patient",
  bio: "",
  is_active: "off",
});

describe("the admin site's CSRF protection", () => {
  it("refuses a change without the session's token, with a 403 page, and changes nothing", async () => {
    const { browser } = await signedIn();
    const target = await createUser();
    const path = `/admin/users/${target.id}`;
    const other = await signedIn();
    const otherToken = csrfTokenIn((await other.browser.get("/admin/users")).html) ?? "";
    for (const csrf_token of [undefined, "", "0".repeat(64), otherToken]) {
      const form = { ...deactivation(target.email), ...(csrf_token === undefined ? {} : { csrf_token }) };
      const page = await browser.post(path, form);
      expect(page.status).toBe(403);
      expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(page.html).toContain("Access denied");
      expect(page.html).toContain(REFUSED);
    }
    expect((await userRow(target.id))?.isActive).toBe(true);
  });

  it("refuses a form from another origin, or with no Origin at all, even with the right token", async () => {
    const { browser } = await signedIn();
    const target = await createUser();
    const path = `/admin/users/${target.id}`;
    const token = csrfTokenIn((await browser.get(path)).html) ?? "";
    const form = { ...deactivation(target.email), csrf_token: token };
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Origin: "", "Sec-Fetch-Site": "cross-site" },
    ];
    for (const headers of foreign) {
      const page = await browser.post(path, form, headers);
      expect(page.status, JSON.stringify(headers)).toBe(403);
      expect(page.html).toContain(REFUSED);
    }
    expect((await userRow(target.id))?.isActive).toBe(true);
    // The same form from the site itself goes through.
    expect((await browser.post(path, form, { Origin: ORIGIN })).status).toBe(303);
    expect((await userRow(target.id))?.isActive).toBe(false);
  });

  it("refuses a JSON body, which carries no form token", async () => {
    const { browser } = await signedIn();
    const target = await createUser();
    const token = csrfTokenIn((await browser.get("/admin/users")).html) ?? "";
    const page = await browser.request("POST", `/admin/users/${target.id}/revoke-sessions`, {
      headers: { "Content-Type": "application/json", Origin: ORIGIN },
    });
    expect(page.status).toBe(403);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("guards the login form with a token bound to a cookie of its own", async () => {
    const staff = await createUser({}, STAFF);
    const browser = new AdminBrowser();
    const token = csrfTokenIn((await browser.get("/admin/login")).html) ?? "";
    const credentials = { email: staff.email, password: staff.password };
    expect((await browser.post("/admin/login", credentials)).status).toBe(403);
    expect((await browser.post("/admin/login", { ...credentials, csrf_token: "f".repeat(64) })).status).toBe(403);
    // The token is worthless without the cookie it was made for.
    const stranger = new AdminBrowser();
    expect((await stranger.post("/admin/login", { ...credentials, csrf_token: token })).status).toBe(403);
    expect((await browser.post("/admin/login", { ...credentials, csrf_token: token })).status).toBe(303);
  });

  it("keeps the login nonce in a __Host- cookie over https, so no other site can plant its own", async () => {
    const staff = await createUser({}, STAFF);
    const credentials = { email: staff.email, password: staff.password };
    // The attacker's own visit gives a nonce and its valid token.
    const attacker = new AdminBrowser(undefined, "https://admin.example.com");
    const page = await attacker.get("/admin/login");
    const nonceCookie = page.setCookies.find((line) => line.startsWith("__Host-admin_login=")) ?? "";
    expect(nonceCookie).toMatch(/^__Host-admin_login=[0-9a-f]{64}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const [nonce, csrf_token] = [attacker.cookies.get("__Host-admin_login") ?? "", csrfTokenIn(page.html) ?? ""];
    // A sibling subdomain or a plain-http page can plant `admin_login` (Domain=, no Secure), never
    // `__Host-admin_login`: the victim's planted copy of the pair is refused.
    const victim = new AdminBrowser(undefined, "https://admin.example.com");
    victim.cookies.set("admin_login", nonce);
    expect((await victim.post("/admin/login", { ...credentials, csrf_token })).status).toBe(403);
    const login = await attacker.post("/admin/login", { ...credentials, csrf_token });
    expect(login.status).toBe(303);
    expect(login.setCookies).toContain("__Host-admin_login=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict");
  });
});

describe("the admin site's login limits", () => {
  const failTimes = async (count: number, email: string, ip: () => string) => {
    for (let attempt = 0; attempt < count; attempt++) {
      expect((await new AdminBrowser(ip()).logIn(email, "Wrong-password-42")).status).toBe(400);
    }
  };

  it("answers with its login page, 429 and Retry-After once an account has 5 failures from one address", async () => {
    const staff = await createUser({}, STAFF);
    const ip = new AdminBrowser().ip;
    await failTimes(5, staff.email, () => ip);
    const page = await new AdminBrowser(ip).logIn(staff.email, staff.password);
    expect(page.status).toBe(429);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(page.html).toContain("Please enter the correct email address and password for a staff account.");
    expect(page.html).toContain("try again later");
    expect(page.html).toContain('name="csrf_token"');
    expect(Number(page.headers.get("Retry-After"))).toBeGreaterThan(800);
    expect(page.setCookies.some((line) => line.startsWith("admin_session="))).toBe(false);
    // An unknown account is throttled alike, so the answer tells nothing.
    const unknown = `nobody.${crypto.randomUUID()}@example.com`;
    await failTimes(5, unknown, () => ip);
    expect((await new AdminBrowser(ip).logIn(unknown, "Wrong-password-42")).status).toBe(429);
  });

  it("shares its counts with the APIs' logins", async () => {
    const staff = await createUser({}, STAFF);
    const ip = new AdminBrowser().ip;
    for (let attempt = 0; attempt < 5; attempt++) {
      const body = { email: staff.email, password: "Wrong-password-42" };
      expect((await api("POST", "/auth/login/", { body, headers: { "CF-Connecting-IP": ip } })).status).toBe(401);
    }
    expect((await new AdminBrowser(ip).logIn(staff.email, staff.password)).status).toBe(429);
  });

  it("still lets staff in from an address they signed in from when strangers have failed from many", async () => {
    const staff = await createUser({}, STAFF);
    const office = new AdminBrowser();
    expect((await office.logIn(staff.email, staff.password)).status).toBe(303);
    await failTimes(10, staff.email, () => new AdminBrowser().ip);
    const login = await new AdminBrowser(office.ip).logIn(staff.email, staff.password);
    expect(login.status).toBe(303);
    expect(login.setCookies.some((line) => line.startsWith("admin_session="))).toBe(true);
  });

  it("forgets the failures from an address once the account logs in from it", async () => {
    const staff = await createUser({}, STAFF);
    const ip = new AdminBrowser().ip;
    await failTimes(4, staff.email, () => ip);
    expect((await new AdminBrowser(ip).logIn(staff.email, staff.password)).status).toBe(303);
    await failTimes(4, staff.email, () => ip);
    expect((await new AdminBrowser(ip).logIn(staff.email, staff.password)).status).toBe(303);
  });
});

describe("the admin site's headers", () => {
  it("sends the CSP, nosniff, a referrer policy and no-store with every page, errors and redirects too", async () => {
    const { browser } = await signedIn();
    const target = await createUser();
    const anonymous = new AdminBrowser();
    const pages = [
      await anonymous.get("/admin/login"),
      await anonymous.get("/admin/users"),
      await browser.get("/admin/users"),
      await browser.get(`/admin/users/${target.id}`),
      await browser.get(`/admin/users/${target.id}/delete`),
      await browser.get("/admin/users/999999999"),
      await browser.get("/admin/no-such-page"),
      await browser.post(`/admin/users/${target.id}`, {}),
      await browser.request("PUT", "/admin/users"),
    ];
    for (const page of pages) {
      expect(page.headers.get("Content-Security-Policy"), String(page.status)).toBe(CSP);
      expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(page.headers.get("X-Frame-Options")).toBe("DENY");
      expect(page.headers.get("Referrer-Policy")).toBe("same-origin");
      expect(page.headers.get("Cache-Control")).toBe("no-store");
      // The CSP allows no inline script or style: the pages must have none.
      expect(page.html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    }
    expect(pages.map((page) => page.status)).toEqual([200, 302, 200, 200, 200, 404, 404, 403, 403]);
  });

  it("serves the stylesheet under a hashed name, cached for a year", async () => {
    const page = await new AdminBrowser().get("/admin/login");
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.html)?.[1] ?? "";
    expect(href).toMatch(/^\/admin\/static\/admin-[0-9a-f]{8}\.css$/);
    const css = await new AdminBrowser().get(href);
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect((await new AdminBrowser().get("/admin/static/admin-00000000.css")).status).toBe(404);
  });
});
