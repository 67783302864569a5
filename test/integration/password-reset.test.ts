import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditLog, users } from "../../src/db/schema";
import { encodeUid } from "../../src/services/mail/delivery";
import { api, expectErrorEnvelope, registerAndLogin, STRONG_PASSWORD, testDb, uniqueEmail } from "../helpers/api";
import { expectFieldErrors, registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { mailTo, onlyMail, PUBLIC_URL, tokenIn } from "../helpers/mail";

const NEW_PASSWORD = "brand-New-stapler-42";
const REQUESTED = "If an account exists for this email, a link to reset its password has been sent.";
const INVALID = { token: ["Invalid or expired token."] };

const requestReset = (email: string, headers: Record<string, string> = {}) =>
  api("POST", "/auth/password-reset/", { body: { email }, headers, settle: true });
const confirmReset = (token: string, password = NEW_PASSWORD) =>
  api("POST", "/auth/password-reset/confirm/", {
    body: { token, new_password: password, new_password_confirm: password },
    settle: true,
  });
/** Asks for a reset of `email` and returns the token of the link mailed. */
async function resetToken(email: string): Promise<string> {
  const resets = () => mailTo(email).filter((message) => message.subject.startsWith("Reset your password"));
  const before = resets().length;
  expect((await requestReset(email)).status).toBe(200);
  const mail = resets().slice(before);
  expect(mail).toHaveLength(1);
  return tokenIn(mail[0] as (typeof mail)[0]);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("password reset through /auth/", () => {
  it("mails a link on PUBLIC_URL, resets once with it, ends the old sessions, audits it and sends a notice", async () => {
    const user = await registerAndLogin();
    const requested = await requestReset(user.email);
    expect(requested.body).toEqual({ success: true, message: REQUESTED });
    const token = tokenIn(await onlyMail(user.email, "Reset your password"));
    expect(token).toMatch(/^[\w-]{43}$/);
    expect((await confirmReset(token)).body).toEqual({ success: true, message: "Password has been reset." });
    expect((await api("GET", "/auth/profile/", { token: user.access })).status).toBe(401);
    expect((await api("POST", "/auth/refresh/", { body: { refresh: user.refresh } })).status).toBe(401);
    expect(expectErrorEnvelope(await confirmReset(token), 400)).toEqual(INVALID);
    expect((await onlyMail(user.email, "Your password was changed")).text).toContain("If this wasn't you");
    const [entry] = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, user.user.id), eq(auditLog.action, "password_reset")));
    expect(entry).toMatchObject({
      actorId: user.user.id,
      changes: JSON.stringify({ password: { before: "(hidden)", after: "(changed)" } }),
    });
    const login = await api("POST", "/auth/login/", { body: { email: user.email, password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
    // The link proved the address.
    expect((await api("GET", "/auth/profile/", { token: login.body.data.access })).body.data.email_verified).toBe(true);
  });

  it("applies the validators and keeps the token for another try", async () => {
    const user = await registerAndLogin();
    const token = await resetToken(user.email);
    const weak = expectErrorEnvelope(await confirmReset(token, "12345"), 400);
    expect(weak.new_password).toContain("This password is entirely numeric.");
    expect((await confirmReset(token)).status).toBe(200);
  });

  it("answers an unknown, an inactive and a real account alike, and mails only the real one", async () => {
    const real = await registerAndLogin();
    const inactive = await registerAndLogin();
    await testDb().update(users).set({ isActive: false }).where(eq(users.id, inactive.user.id));
    const unknown = uniqueEmail("nobody");
    const answers = await Promise.all([real.email, inactive.email, unknown].map((email) => requestReset(email)));
    const shape = ({ status, body, headers }: Awaited<ReturnType<typeof api>>) => {
      const kept = [...headers].filter(([name]) => name !== "x-request-id");
      return { status, body, headers: kept };
    };
    expect(shape(answers[1] as (typeof answers)[0])).toEqual(shape(answers[0] as (typeof answers)[0]));
    expect(shape(answers[2] as (typeof answers)[0])).toEqual(shape(answers[0] as (typeof answers)[0]));
    expect(mailTo(real.email).filter((mail) => mail.subject.startsWith("Reset"))).toHaveLength(1);
    expect(mailTo(inactive.email).filter((mail) => mail.subject.startsWith("Reset"))).toHaveLength(0);
    expect(mailTo(unknown)).toHaveLength(0);
  });

  it("builds the link from PUBLIC_URL whatever Host the request names", async () => {
    const user = await registerAndLogin();
    await api("POST", "/auth/password-reset/", {
      body: { email: user.email },
      headers: { Host: "attacker.example", "X-Forwarded-Host": "attacker.example" },
      settle: true,
    });
    const [link] = (await onlyMail(user.email, "Reset your password")).links;
    expect(link?.startsWith(`${PUBLIC_URL}/account/reset-password?token=`)).toBe(true);
  });

  it("lets one of two concurrent confirmations win", async () => {
    const user = await registerAndLogin();
    const token = await resetToken(user.email);
    const answers = await Promise.all([confirmReset(token), confirmReset(token, "other-Brand-new-99")]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
  });

  it("refuses a token past PASSWORD_RESET_TTL, by a fixed clock", async () => {
    const user = await registerAndLogin();
    const token = await resetToken(user.email);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (Number(env.PASSWORD_RESET_TTL) + 1) * 1000 });
    expect(expectErrorEnvelope(await confirmReset(token), 400)).toEqual(INVALID);
  });

  it("spends the user's other reset links when one is used, and any password change spends them all", async () => {
    const user = await registerAndLogin();
    const [first, second] = [await resetToken(user.email), await resetToken(user.email)];
    expect((await confirmReset(second)).status).toBe(200);
    expect((await confirmReset(first)).status).toBe(400);
    const login = await api("POST", "/auth/login/", { body: { email: user.email, password: NEW_PASSWORD } });
    const third = await resetToken(user.email);
    const changed = await api("POST", "/auth/change-password/", {
      token: login.body.data.access,
      body: { old_password: NEW_PASSWORD, new_password: STRONG_PASSWORD, new_password_confirm: STRONG_PASSWORD },
      settle: true,
    });
    expect(changed.status).toBe(200);
    expect((await confirmReset(third)).status).toBe(400);
    expect(mailTo(user.email).filter((mail) => mail.subject.startsWith("Your password was changed"))).toHaveLength(2);
  });
});

describe("password reset through /api/users/ (dj-rest-auth's shapes)", () => {
  it("resets with uid and token, revoking every token of the user", async () => {
    const user = await registerAndLoginDrf();
    const requested = await api("POST", "/api/users/password-reset/", { body: { email: user.email }, settle: true });
    expect(requested.body).toEqual({ detail: "Password reset e-mail has been sent." });
    const token = tokenIn(await onlyMail(user.email, "Reset your password"));
    const body = { uid: encodeUid(user.user.id), token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD };
    const wrongUid = await api("POST", "/api/users/password-reset/confirm/", { body: { ...body, uid: encodeUid(1) } });
    expect(expectFieldErrors(wrongUid)).toEqual({ uid: ["Invalid value"] });
    const confirmed = await api("POST", "/api/users/password-reset/confirm/", { body, settle: true });
    expect(confirmed.body).toEqual({ detail: "Password has been reset with the new password." });
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(user.token) })).status).toBe(401);
    const again = await api("POST", "/api/users/password-reset/confirm/", { body });
    expect(expectFieldErrors(again)).toEqual(INVALID);
    const login = await api("POST", "/api/users/login/", { body: { email: user.email, password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it("sends users to PASSWORD_RESET_URL's template when a deployment sets one", async () => {
    const user = await registerAndLoginDrf();
    const bindings = { ...env, PASSWORD_RESET_URL: "https://app.example.com/reset/{uid}/{token}" } as Env;
    await api("POST", "/api/users/password-reset/", { body: { email: user.email }, settle: bindings });
    const [link] = (await onlyMail(user.email, "Reset your password")).links;
    expect(link).toMatch(new RegExp(`^https://app\\.example\\.com/reset/${encodeUid(user.user.id)}/[\\w-]{43}$`));
  });

  it("writes uid as Django's urlsafe_base64_encode does", () => {
    expect([1, 42, 1234].map(encodeUid)).toEqual(["MQ", "NDI", "MTIzNA"]);
  });
});
