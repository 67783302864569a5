import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readDump } from "../../scripts/lib/django/dump-source";
import { runImport } from "../../scripts/lib/django/run-import";
import { users } from "../../src/db/schema";
import { pureJsPbkdf2 } from "../../src/services/pbkdf2";
import dump from "../fixtures/django/output/drf.json";
import tokens from "../fixtures/django/output/drf-tokens.json";
import passwords from "../fixtures/django/output/passwords.json";
import { AdminBrowser } from "../helpers/admin-site";
import { api, randomIp, testDb } from "../helpers/api";
import { tokenAuth } from "../helpers/drf";

// Django 3.2's users (test/fixtures/django/), imported once for this file, as `npm run
// import:django` does, into the Worker's database. A 260,000-iteration login costs seconds of pure
// JS here, so each imported hash is checked once: the first login rehashes it, later ones are fast.
const password = (email: string) => (passwords as Record<string, string>)[email] ?? "";
const storedHash = async (email: string) =>
  (await testDb().select({ password: users.password }).from(users).where(eq(users.email, email)))[0]?.password;
const login = (path: string, email: string, secret: string, ip = randomIp()) =>
  api("POST", path, { body: { email, password: secret }, headers: { "CF-Connecting-IP": ip } });

beforeAll(async () => {
  const source = readDump(JSON.stringify(dump), "drf.json");
  const options = {
    roles: env.ROLES.split(","),
    roleMap: new Map(),
    hashLimits: { maxImportedPbkdf2Iterations: 1_200_000 },
    dryRun: false,
  };
  const report = await runImport(testDb(), source, options);
  expect(report.imported).toBe(10);
  expect(report.tokens.imported).toBe(3);
}, 60_000);
afterEach(() => vi.restoreAllMocks());

describe("users imported from Django (happy)", () => {
  it("log in with their old 260,000-iteration password through both APIs, rehashed after the first", async () => {
    const email = "john.patient@example.com";
    expect(await storedHash(email)).toMatch(/^pbkdf2_sha256\$260000\$/);
    const first = await login("/auth/login/", email, password(email));
    expect(first.status).toBe(200);
    expect(first.body.data.user).toMatchObject({ email, fullName: "John Doe", role: "patient" });
    expect(await storedHash(email)).toMatch(/^pbkdf2_sha256\$100000\$/);
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive");
    const second = await login("/api/users/login/", email, password(email));
    expect(second.status).toBe(200);
    expect(second.body.user).toMatchObject({ first_name: "John", last_name: "Doe", bio: "Patient bio here" });
    expect(pureJs).not.toHaveBeenCalled();
  }, 60_000);

  it("keep their DRF token working on /api/users/me/, with no new login", async () => {
    const me = await api("GET", "/api/users/me/", { headers: tokenAuth(tokens["Grace.Doctor@Example.com"]) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: "Grace.Doctor@Example.com", role: "doctor" });
  });

  it("let a Django superuser into the admin site with their old password", async () => {
    const browser = new AdminBrowser();
    const signIn = await browser.logIn("root@example.com", password("root@example.com"));
    expect(signIn.status).toBe(303);
    expect((await browser.get("/admin/users")).status).toBe(200);
  }, 60_000);
});

describe("users imported from Django (security)", () => {
  it("refuses a hash over MAX_IMPORTED_PBKDF2_ITERATIONS without running it", async () => {
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive");
    const email = "crafted@example.com";
    expect((await login("/auth/login/", email, password(email))).status).toBe(401);
    expect(pureJs).not.toHaveBeenCalled();
  });

  it("never reaches the slow hash for a login the limiter refuses", async () => {
    // The 1,000,000-iteration user; the pure-JS derivation is stubbed to a wrong key, so each
    // attempt that reaches the check is one counted call and costs nothing.
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive").mockResolvedValue(new Uint8Array(32));
    const ip = randomIp();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await login("/auth/login/", "strong@example.com", "guess", ip)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(pureJs).toHaveBeenCalledTimes(5);
  });
});
