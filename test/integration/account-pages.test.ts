import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, registerAndLogin } from "../helpers/api";
import { appRequest } from "../helpers/fetch-worker";
import { onlyMail, tokenIn } from "../helpers/mail";

const ORIGIN = "https://auth.example.test";
const page = (path: string) => appRequest(`${ORIGIN}${path}`, { method: "GET" }, env);
const post = (path: string, form: Record<string, string>, origin = ORIGIN) =>
  appRequest(
    `${ORIGIN}${path}`,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      body: new URLSearchParams(form).toString(),
    },
    env,
  );

describe("the account pages a mailed link opens", () => {
  it("serves the reset form with the admin site's CSP, no referrer, no script, and the token in the body", async () => {
    const user = await registerAndLogin();
    await api("POST", "/auth/password-reset/", { body: { email: user.email }, settle: true });
    const token = tokenIn(await onlyMail(user.email, "Reset your password"));
    const form = await page(`/account/reset-password?token=${token}`);
    expect(form.status).toBe(200);
    expect(form.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(form.headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    const html = await form.text();
    expect(html).not.toMatch(/<script|style=/);
    expect(html).toContain('<form method="post" action="/account/reset-password">');
    expect(html).toContain(`<input type="hidden" name="token" value="${token}"/>`);

    const weak = await post("/account/reset-password", { token, new_password: "12345", new_password_confirm: "1234" });
    expect(weak.status).toBe(400);
    const weakHtml = await weak.text();
    expect(weakHtml).toMatch(
      /id="new_password" name="new_password" aria-invalid="true" aria-describedby="new_password-errors/,
    );
    expect(weakHtml).toContain("<li>This password is entirely numeric.</li>");
    expect(weakHtml).toContain(
      '<ul class="errors" id="new_password_confirm-errors"><li>Passwords do not match.</li></ul>',
    );

    const password = "page-Chosen-secret-8";
    const choose = { token, new_password: password, new_password_confirm: password };
    const done = await post("/account/reset-password", choose);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your password has been reset");
    const used = await post("/account/reset-password", choose);
    expect(used.status).toBe(400);
    expect(await used.text()).toContain("This link is invalid, used or expired.");
    expect((await api("POST", "/auth/login/", { body: { email: user.email, password } })).status).toBe(200);
  });

  it("refuses a form posted from another site", async () => {
    const refused = await post("/account/reset-password", { token: "x" }, "https://evil.example");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Content-Type")).toMatch(/^text\/html/);
  });

  it("does not spend a verification token on GET: only the page's button does", async () => {
    const user = await registerAndLogin();
    const token = tokenIn(await onlyMail(user.email, "Confirm your email address"));
    for (let i = 0; i < 2; i++) {
      const shown = await page(`/account/verify-email?token=${token}`);
      expect(await shown.text()).toContain("Confirm my email address</button>");
    }
    const confirmed = await post("/account/verify-email", { token });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain(`${user.email} is confirmed`);
    const profile = await api("GET", "/auth/profile/", { token: user.access });
    expect(profile.body.data.email_verified).toBe(true);
  });
});
