import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api, expectErrorEnvelope, registerAndLogin, registrationBody, uniqueEmail } from "../helpers/api";
import { drfRegistration, expectDetail, expectFieldErrors, registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { mailTo, onlyMail, tokenIn } from "../helpers/mail";

const VERIFY = "Confirm your email address";
const REQUIRED = { ...env, REQUIRE_EMAIL_VERIFICATION: "true" } as Env;
const profile = async (access: string) => (await api("GET", "/auth/profile/", { token: access })).body.data;
/** The token of the newest verification link mailed to `email`, once there is one. */
async function verifyToken(email: string): Promise<string> {
  const links = () => mailTo(email).filter((mail) => mail.subject.startsWith(VERIFY));
  await vi.waitFor(() => expect(links().length).toBeGreaterThan(0), { timeout: 3000 });
  return tokenIn(links().at(-1) as ReturnType<typeof mailTo>[0]);
}

describe("email verification through /auth/", () => {
  it("mails a link after registration and verifies the address once with it", async () => {
    const user = await registerAndLogin();
    expect(await profile(user.access)).toMatchObject({ email_verified: false, pending_email: null });
    const token = tokenIn(await onlyMail(user.email, VERIFY));
    const verified = await api("POST", "/auth/verify-email/", { body: { token } });
    expect(verified.body).toEqual({ success: true, message: "Email address verified." });
    expect((await profile(user.access)).email_verified).toBe(true);
    expect(expectErrorEnvelope(await api("POST", "/auth/verify-email/", { body: { token } }), 400)).toEqual({
      token: ["Invalid or expired token."],
    });
    const resend = await api("POST", "/auth/verify-email/resend/", { token: user.access, settle: true });
    expect(resend.body.message).toBe("Your email address is already verified.");
  });

  it("resends a link to the Bearer caller", async () => {
    const user = await registerAndLogin();
    const resend = await api("POST", "/auth/verify-email/resend/", { token: user.access, settle: true });
    expect(resend.body).toEqual({ success: true, message: "A new verification link has been sent." });
    await vi.waitFor(() =>
      expect(mailTo(user.email).filter((mail) => mail.subject.startsWith(VERIFY))).toHaveLength(2),
    );
  });

  it("starts a changed address unverified, mails it a link and the old address a notice", async () => {
    const user = await registerAndLogin();
    await api("POST", "/auth/verify-email/", { body: { token: await verifyToken(user.email) } });
    const email = uniqueEmail("moved");
    const changed = await api("PATCH", "/auth/profile/", { token: user.access, body: { email }, settle: true });
    expect(changed.body.data.email).toBe(email);
    expect(await profile(user.access)).toMatchObject({ email, email_verified: false, pending_email: null });
    expect((await onlyMail(user.email, "Your email address is changing")).text).toContain(`was changed to ${email}`);
    await api("POST", "/auth/verify-email/", { body: { token: await verifyToken(email) } });
    expect((await profile(user.access)).email_verified).toBe(true);
  });
});

describe("email verification through /api/users/ (dj-rest-auth's shapes)", () => {
  it("verifies with key, shows email_verified on me, and resends by address with the same answer for anyone", async () => {
    const user = await registerAndLoginDrf();
    const me = () => api("GET", "/api/users/me/", { headers: tokenAuth(user.token) });
    expect((await me()).body.email_verified).toBe(false);
    const unknown = uniqueEmail("nobody");
    for (const email of [user.email, unknown]) {
      const resend = await api("POST", "/api/users/verify-email/resend/", { body: { email }, settle: true });
      expect(resend.body).toEqual({ detail: "ok" });
    }
    expect(mailTo(unknown)).toHaveLength(0);
    const key = await verifyToken(user.email);
    expect((await api("POST", "/api/users/verify-email/", { body: { key } })).body).toEqual({ detail: "ok" });
    expect((await me()).body.email_verified).toBe(true);
    expect(expectFieldErrors(await api("POST", "/api/users/verify-email/", { body: { key } }))).toEqual({
      key: ["Invalid or expired token."],
    });
  });
});

describe("REQUIRE_EMAIL_VERIFICATION", () => {
  it("when true, answers a right password on an unverified account 403 EMAIL_NOT_VERIFIED, and a wrong one as ever", async () => {
    const body = registrationBody();
    const drf = drfRegistration();
    await api("POST", "/auth/register/", { body, settle: REQUIRED });
    await api("POST", "/api/users/register/", { body: drf, settle: REQUIRED });
    const login = (path: string, email: string, password: string) =>
      api("POST", path, { body: { email, password }, settle: REQUIRED });
    const refused = await login("/auth/login/", body.email, body.password);
    expect(expectErrorEnvelope(refused, 403)).toEqual({ detail: ["E-mail is not verified."] });
    expect(refused.body.code).toBe("EMAIL_NOT_VERIFIED");
    expect(expectDetail(await login("/api/users/login/", drf.email, drf.password), 403)).toBe(
      "E-mail is not verified.",
    );
    expect((await login("/auth/login/", body.email, "wrong-Password-1")).status).toBe(401);
    await api("POST", "/auth/verify-email/", { body: { token: await verifyToken(body.email) } });
    expect((await login("/auth/login/", body.email, body.password)).status).toBe(200);
  });

  it("when false (the default), lets an unverified account log in as the documents show", async () => {
    const user = await registerAndLogin();
    expect((await profile(user.access)).email_verified).toBe(false);
  });

  it("when true, keeps the old address as the login until the new one is confirmed", async () => {
    const user = await registerAndLogin();
    await api("POST", "/auth/verify-email/", { body: { token: await verifyToken(user.email) } });
    const email = uniqueEmail("pending");
    const put = await api("PUT", "/auth/profile/", {
      token: user.access,
      body: { fullName: "Test Person", email },
      settle: REQUIRED,
    });
    expect(put.body.data.email).toBe(user.email);
    expect(await profile(user.access)).toMatchObject({ email: user.email, email_verified: true, pending_email: email });
    expect((await onlyMail(user.email, "Your email address is changing")).text).toContain(
      "once that address is confirmed",
    );
    const password = user.password;
    expect((await api("POST", "/auth/login/", { body: { email, password }, settle: REQUIRED })).status).toBe(401);
    await api("POST", "/auth/verify-email/", { body: { token: await verifyToken(email) }, settle: REQUIRED });
    expect(await profile(user.access)).toMatchObject({ email, email_verified: true, pending_email: null });
    expect((await api("POST", "/auth/login/", { body: { email, password }, settle: REQUIRED })).status).toBe(200);
  });
});
