import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Session, sessions } from "../../src/db/schema";
import { findUserById, replacePassword, signOutEverywhere, updateUser } from "../../src/db/users";
import { hashPassword } from "../../src/services/passwords";
import { AdminBrowser, createUser, STAFF } from "../helpers/admin-site";
import { type ApiResponse, api, expectErrorEnvelope, testDb } from "../helpers/api";
import { expectFieldErrors, tokenAuth } from "../helpers/drf";

// A login reads the user, checks the password (one PBKDF2 derivation, ~20 ms) and only then writes
// its token. These tests commit a sign-out inside that derivation, the exact window of the race.
afterEach(() => vi.restoreAllMocks());

const NEW_PASSWORD = "another-Secret-77";
// Django's PBKDF2PasswordHasher at 1,000 rounds (see auth-login.test.ts): a login upgrades it.
const LEGACY = {
  password: "old django pass 1000",
  hash: "pbkdf2_sha256$1000$LegacySaltFromDjango22$8Mlmid4k7yITcURR5sqJlev2eVtMTpxuoQG8YdhevnE=",
};

/** Runs `step` to completion at the start of the next PBKDF2 derivation, then lets it go on. */
function duringNextPasswordCheck(step: () => Promise<unknown>): void {
  const derive = crypto.subtle.deriveBits.bind(crypto.subtle);
  vi.spyOn(crypto.subtle, "deriveBits").mockImplementationOnce(async (...args) => {
    await step();
    return derive(...args);
  });
}

/** What an administrator's "revoke sessions" commits. */
const revokeSessions = (id: number) => testDb().transaction((tx) => signOutEverywhere(tx, id, "admin"));
const changePasswordTo = async (id: number, password: string) =>
  replacePassword(testDb(), id, await hashPassword(password), "password_change");

const liveRows = async (kind: Session["kind"], userId: number) =>
  testDb()
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.kind, kind), isNull(sessions.revokedAt)));

const logIn = (path: string, user: { email: string; password: string }) =>
  api("POST", path, { body: { email: user.email, password: user.password } });

describe("a login whose password check overlaps a sign-out", () => {
  it("gets no /api/users/ key: the answer of a wrong password, and no live row", async () => {
    const user = await createUser();
    duringNextPasswordCheck(() => revokeSessions(user.id));
    const response = await logIn("/api/users/login/", user);
    expect(expectFieldErrors(response)).toEqual({ non_field_errors: ["Unable to log in with provided credentials."] });
    expect(await liveRows("token", user.id)).toEqual([]);
  });

  it("gets no /auth/ tokens: the answer of a wrong password, and no live refresh row", async () => {
    const user = await createUser();
    duringNextPasswordCheck(() => changePasswordTo(user.id, NEW_PASSWORD));
    const errors = expectErrorEnvelope(await logIn("/auth/login/", user), 401);
    expect(errors).toEqual({ non_field_errors: ["Invalid email or password."] });
    expect(await liveRows("jwt", user.id)).toEqual([]);
  });

  it("gets no admin-site session: the login form again, and no live row", async () => {
    const user = await createUser({}, STAFF);
    const browser = new AdminBrowser();
    duringNextPasswordCheck(() => revokeSessions(user.id));
    const login = await browser.logIn(user.email, user.password);
    expect(login.status).toBe(400);
    expect(await liveRows("admin", user.id)).toEqual([]);
    const page = await browser.get("/admin/users");
    expect(page.status).toBe(302);
  });

  it("keeps a password changed while the login was upgrading the old hash", async () => {
    const user = await createUser();
    const db = testDb();
    await updateUser(db, user.id, { password: LEGACY.hash });
    const changed = await hashPassword(NEW_PASSWORD);
    duringNextPasswordCheck(() => replacePassword(db, user.id, changed, "password_change"));
    await logIn("/api/users/login/", { email: user.email, password: LEGACY.password });
    expect((await findUserById(db, user.id))?.password).toBe(changed);
    expect((await logIn("/api/users/login/", { email: user.email, password: LEGACY.password })).status).toBe(400);
    expect((await logIn("/api/users/login/", { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
  });
});

// Many logins in flight around one password change, as a client would race them: whatever the
// interleaving, no token issued from the old password may outlive the change.
const LOGINS = 14;
const STAGGER_MS = 4;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The logins' answers, each a success or `refused`; the change, started halfway, must succeed. */
async function raceLogins(
  path: string,
  user: { email: string; password: string },
  changePassword: () => Promise<ApiResponse>,
  refused: number,
): Promise<ApiResponse[]> {
  const logins: Promise<ApiResponse>[] = [];
  let change: Promise<ApiResponse> | undefined;
  for (let i = 0; i < LOGINS; i++) {
    if (i === LOGINS / 2) change = changePassword();
    logins.push(logIn(path, user));
    await pause(STAGGER_MS);
  }
  expect((await change)?.status).toBe(200);
  const responses = await Promise.all(logins);
  for (const { status } of responses) expect([200, refused]).toContain(status);
  return responses.filter(({ status }) => status === 200);
}

const passwordChange = (oldPassword: string) => ({
  old_password: oldPassword,
  new_password: NEW_PASSWORD,
  new_password_confirm: NEW_PASSWORD,
});

describe("concurrent logins and a password change", () => {
  it("leave no working /api/users/ key", async () => {
    const user = await createUser();
    const { body } = await logIn("/api/users/login/", user);
    const change = () =>
      api("POST", "/api/users/change-password/", {
        headers: tokenAuth(body.token),
        body: passwordChange(user.password),
      });
    for (const login of await raceLogins("/api/users/login/", user, change, 400)) {
      expect((await api("GET", "/api/users/me/", { headers: tokenAuth(login.body.token) })).status).toBe(401);
    }
    expect(await liveRows("token", user.id)).toEqual([]);
  });

  it("leave no live /auth/ refresh token", async () => {
    const user = await createUser();
    const { body } = await logIn("/auth/login/", user);
    const change = () =>
      api("POST", "/auth/change-password/", { token: body.data.access, body: passwordChange(user.password) });
    for (const login of await raceLogins("/auth/login/", user, change, 401)) {
      expect((await api("POST", "/auth/refresh/", { body: { refresh: login.body.data.refresh } })).status).toBe(401);
    }
    expect(await liveRows("jwt", user.id)).toEqual([]);
  });
});
