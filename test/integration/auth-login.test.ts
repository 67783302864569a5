import { describe, expect, it } from "vitest";
import { findUserById, updateUser } from "../../src/db/users";
import { api, expectErrorEnvelope, registrationBody, STRONG_PASSWORD, testDb, uniqueEmail } from "../helpers/api";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

// Made with Python's hashlib, as Django's PBKDF2PasswordHasher writes them, at fewer rounds than ours:
// "pbkdf2_sha256$%d$%s$%s" % (n, salt, b64encode(pbkdf2_hmac("sha256", pw.encode(), salt.encode(), n)).decode())
const LEGACY_HASHES = [
  {
    password: "old django pass 1000",
    hash: "pbkdf2_sha256$1000$LegacySaltFromDjango22$8Mlmid4k7yITcURR5sqJlev2eVtMTpxuoQG8YdhevnE=",
  },
  {
    password: "old django pass 20000",
    hash: "pbkdf2_sha256$20000$oldsalt12345$xelvmQec6VyA9PemVhIjmNPMChWLz11aXf8xIylymwQ=",
  },
];

const login = (email: string, password: string, path = "/auth/login/") =>
  api("POST", path, { body: { email, password } });

/** Registers a user through the API and returns its id and credentials. */
async function registerUser() {
  const body = registrationBody();
  const response = await api("POST", "/auth/register/", { body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.data.id as number, email: body.email, password: body.password };
}

describe("POST /auth/login/ (happy)", () => {
  it("answers 200 with exactly the documented body", async () => {
    const user = await registerUser();
    const response = await login(user.email, user.password);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: {
        access: expect.stringMatching(JWT),
        refresh: expect.stringMatching(JWT),
        user: {
          id: user.id,
          email: user.email,
          fullName: "Test Person",
          role: "student",
          bio: "",
          profile_picture: null,
          created_at: expect.stringMatching(ISO_UTC),
          last_login: expect.stringMatching(ISO_UTC),
        },
      },
      message: "Login successful",
    });
    expect(response.body.data.access).not.toBe(response.body.data.refresh);
  });

  it("serves the path without the trailing slash", async () => {
    const user = await registerUser();
    expect((await login(user.email, user.password, "/auth/login")).status).toBe(200);
  });

  it("matches the email case-insensitively and ignores surrounding spaces", async () => {
    const user = await registerUser();
    const response = await login(`  ${user.email.toUpperCase()} `, user.password);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.user.id).toBe(user.id);
  });

  it("records last_login in the row, as the response shows it", async () => {
    const user = await registerUser();
    const before = Date.now();
    const response = await login(user.email, user.password);
    const lastLogin = Date.parse(response.body.data.user.last_login);
    expect(Math.abs(lastLogin - before)).toBeLessThan(60_000);
    const row = await findUserById(testDb(), user.id);
    expect(row?.lastLogin?.toISOString()).toBe(response.body.data.user.last_login);
    const profile = await api("GET", "/auth/profile/", { token: response.body.data.access });
    expect(profile.body.data.last_login).toBe(response.body.data.user.last_login);
  });
});

describe("POST /auth/login/ (refusals)", () => {
  it("answers an unknown email and a wrong password with byte-identical 401s", async () => {
    const user = await registerUser();
    const unknown = await login(uniqueEmail("nobody"), user.password);
    const wrong = await login(user.email, `${user.password}x`);
    expectErrorEnvelope(unknown, 401);
    expect(wrong.status).toBe(unknown.status);
    expect(JSON.stringify(wrong.body)).toBe(JSON.stringify(unknown.body));
  });

  it("refuses an inactive user with the same 401 as a wrong password", async () => {
    const user = await registerUser();
    await updateUser(testDb(), user.id, { isActive: false });
    const inactive = await login(user.email, user.password);
    const wrong = await login(user.email, "not-the-Password-1");
    expectErrorEnvelope(inactive, 401);
    expect(JSON.stringify(inactive.body)).toBe(JSON.stringify(wrong.body));
    expect((await findUserById(testDb(), user.id))?.lastLogin).toBeNull();
  });

  it("refuses a missing email and password with field errors", async () => {
    const errors = expectErrorEnvelope(await api("POST", "/auth/login/", { body: {} }), 400);
    expect(errors).toEqual({ email: ["This field is required."], password: ["This field is required."] });
  });

  it("refuses a blank password without looking anything up", async () => {
    const errors = expectErrorEnvelope(await login(uniqueEmail(), ""), 400);
    expect(errors.password).toEqual(["This field may not be blank."]);
  });
});

describe("POST /auth/login/ (hashes made by Django)", () => {
  it.each(LEGACY_HASHES)("logs in with $hash and rehashes it at 100,000 rounds", async ({ password, hash }) => {
    const user = await registerUser();
    const db = testDb();
    await updateUser(db, user.id, { password: hash });
    const response = await login(user.email, password);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const stored = (await findUserById(db, user.id))?.password ?? "";
    expect(stored).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(stored).not.toBe(hash);
    expect((await login(user.email, password)).status).toBe(200);
    expect((await login(user.email, STRONG_PASSWORD)).status).toBe(401);
  });

  it("leaves a legacy hash alone when the password is wrong", async () => {
    const user = await registerUser();
    const db = testDb();
    const [legacy] = LEGACY_HASHES;
    if (!legacy) throw new Error("no vector");
    await updateUser(db, user.id, { password: legacy.hash });
    expectErrorEnvelope(await login(user.email, `${legacy.password}!`), 401);
    expect((await findUserById(db, user.id))?.password).toBe(legacy.hash);
  });

  it("logs in with a hash computed here with WebCrypto at 1,000 rounds and upgrades it", async () => {
    const user = await registerUser();
    const password = "webcrypto made this one";
    const salt = "WebCryptoSaltForTest22";
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
      "deriveBits",
    ]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode(salt), iterations: 1000 },
      key,
      256,
    );
    const digest = btoa(String.fromCharCode(...new Uint8Array(bits)));
    const db = testDb();
    await updateUser(db, user.id, { password: `pbkdf2_sha256$1000$${salt}$${digest}` });
    expect((await login(user.email, password)).status).toBe(200);
    expect((await findUserById(db, user.id))?.password).toMatch(/^pbkdf2_sha256\$100000\$/);
  });
});
