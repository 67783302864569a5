import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, randomIp, registerAndLogin } from "../helpers/api";
import { mailTo, onlyMail, tokenIn } from "../helpers/mail";

const resetsOf = (email: string) => mailTo(email).filter((mail) => mail.subject.startsWith("Reset your password"));

describe("the limits on mail requests and token guesses", () => {
  it("mails an account at most MAIL_REQUEST_MAX_PER_ACCOUNT resets an hour, with the same answer past it", async () => {
    const user = await registerAndLogin();
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await api("POST", "/auth/password-reset/", { body: { email: user.email }, settle: true }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(resetsOf(user.email)).toHaveLength(3);
  });

  it("answers 429 with Retry-After past MAIL_REQUEST_MAX_PER_ADDRESS requests from one address", async () => {
    const bindings = { ...env, MAIL_REQUEST_MAX_PER_ADDRESS: "2" } as Env;
    const headers = { "CF-Connecting-IP": randomIp() };
    const ask = (path: string) => api("POST", path, { body: { email: "a@example.com" }, headers, settle: bindings });
    expect((await ask("/auth/password-reset/")).status).toBe(200);
    expect((await ask("/api/users/password-reset/")).status).toBe(200);
    const refused = await ask("/api/users/password-reset/");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(3500);
    expect(refused.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
  });

  it("refuses an address after TOKEN_CONFIRM_MAX_FAILURES bad tokens, before looking at the next", async () => {
    const bindings = { ...env, TOKEN_CONFIRM_MAX_FAILURES: "2" } as Env;
    const headers = { "CF-Connecting-IP": randomIp() };
    const guess = (token: string) => api("POST", "/auth/verify-email/", { body: { token }, headers, settle: bindings });
    expect((await guess("guess-1")).status).toBe(400);
    expect((await guess("guess-2")).status).toBe(400);
    const user = await registerAndLogin();
    const real = tokenIn(await onlyMail(user.email, "Confirm your email address"));
    const refused = await guess(real);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("TOO_MANY_REQUESTS");
  });

  it("clears the account's failure counts when its password is reset", async () => {
    const bindings = { ...env, LOGIN_PAIR_MAX_FAILURES: "1" } as Env;
    const user = await registerAndLogin();
    const headers = { "CF-Connecting-IP": randomIp() };
    const login = (password: string) =>
      api("POST", "/auth/login/", { body: { email: user.email, password }, headers, settle: bindings });
    expect((await login("wrong-Password-1")).status).toBe(401);
    expect((await login("wrong-Password-2")).status).toBe(429);
    await api("POST", "/auth/password-reset/", { body: { email: user.email }, settle: bindings });
    const token = tokenIn(resetsOf(user.email)[0] as ReturnType<typeof mailTo>[0]);
    const password = "after-The-reset-55";
    const body = { token, new_password: password, new_password_confirm: password };
    expect((await api("POST", "/auth/password-reset/confirm/", { body, headers, settle: bindings })).status).toBe(200);
    expect((await login(password)).status).toBe(200);
  });
});
