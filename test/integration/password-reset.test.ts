import { describe, expect, it } from "vitest";
import { api, expectErrorEnvelope, registerAndLogin, STRONG_PASSWORD } from "../helpers/api";
import { onlyMail, tokenIn } from "../helpers/mail";

const NEW_PASSWORD = "brand-New-stapler-42";
const REQUESTED = "If an account exists for this email, a link to reset its password has been sent.";

describe("password reset through /auth/", () => {
  it("mails a link on PUBLIC_URL, resets with it once, and ends the old sessions", async () => {
    const user = await registerAndLogin();
    const requested = await api("POST", "/auth/password-reset/", { body: { email: user.email }, settle: true });
    expect(requested.status).toBe(200);
    expect(requested.body).toEqual({ success: true, message: REQUESTED });
    const token = tokenIn(onlyMail(user.email, "Reset your password"));
    const confirm = { token, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD };
    const reset = await api("POST", "/auth/password-reset/confirm/", { body: confirm, settle: true });
    expect(reset.body).toEqual({ success: true, message: "Password has been reset." });
    expect((await api("GET", "/auth/profile/", { token: user.access })).status).toBe(401);
    const again = await api("POST", "/auth/password-reset/confirm/", { body: confirm });
    expect(expectErrorEnvelope(again, 400)).toEqual({ token: ["Invalid or expired token."] });
    onlyMail(user.email, "Your password was changed");
    const login = await api("POST", "/auth/login/", { body: { email: user.email, password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
    expect((await api("POST", "/auth/login/", { body: { email: user.email, password: STRONG_PASSWORD } })).status).toBe(
      401,
    );
  });
});
