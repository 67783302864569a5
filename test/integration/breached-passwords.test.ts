import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { type BreachCheck, breachedPasswordErrors, UNCHECKED_MESSAGE } from "../../src/services/breached-passwords";
import { digestHex } from "../../src/services/hex";
import { BREACHED_MESSAGE, BREACHED_PASSWORD } from "../fixtures/breached-password";
import { admin, as } from "../helpers/admin";
import { createUser, signedIn } from "../helpers/admin-site";
import { api, expectErrorEnvelope, randomIp, registerAndLogin, registrationBody } from "../helpers/api";
import { drfRegistration, expectFieldErrors, registerAndLoginDrf } from "../helpers/drf";
import { appRequest } from "../helpers/fetch-worker";

const SERVER = inject("pwnedServerUrl");
const check = (overrides: Partial<BreachCheck> = {}): BreachCheck => ({
  mode: "on",
  rangeUrl: `${SERVER}/range/`,
  ...overrides,
});
const served = async (): Promise<{ total: number; padded: number; byPrefix: Record<string, number> }> =>
  (await fetch(`${SERVER}/requests`)).json();
const prefixOf = async (password: string) => (await digestHex("SHA-1", password)).slice(0, 5).toUpperCase();
const fresh = () => `Fresh-${crypto.randomUUID()}`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the breached-password check", () => {
  it("sends only the first 5 hex digits of the SHA-1, asks for padding, and finds the breach", async () => {
    const before = await served();
    expect(await breachedPasswordErrors(check(), BREACHED_PASSWORD)).toEqual([BREACHED_MESSAGE]);
    const after = await served();
    const prefix = await prefixOf(BREACHED_PASSWORD);
    expect(after.byPrefix[prefix]).toBe((before.byPrefix[prefix] ?? 0) + 1);
    expect(after.padded).toBe(before.padded + 1);
  });

  it("passes a password its range does not list, padding lines of count 0 included", async () => {
    expect(await breachedPasswordErrors(check(), fresh())).toEqual([]);
  });

  it("asks nothing when off", async () => {
    const before = await served();
    expect(await breachedPasswordErrors(check({ mode: "off" }), BREACHED_PASSWORD)).toEqual([]);
    expect((await served()).total).toBe(before.total);
  });

  it("lets a password through and logs a warning when on and the range cannot be fetched", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const broken = check({ rangeUrl: `${SERVER}/broken/range/` });
    expect(await breachedPasswordErrors(broken, BREACHED_PASSWORD)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("breached-password check skipped"));
  });

  it("refuses the password when required and the range cannot be fetched", async () => {
    const broken = check({ mode: "require", rangeUrl: `${SERVER}/broken/range/` });
    expect(await breachedPasswordErrors(broken, fresh())).toEqual([UNCHECKED_MESSAGE]);
    expect(UNCHECKED_MESSAGE).toBe("We could not check this password right now; try again.");
  });

  it("gives up on a range that takes longer than 2 seconds", async () => {
    const started = Date.now();
    const slow = check({ mode: "require", rangeUrl: `${SERVER}/slow/range/` });
    expect(await breachedPasswordErrors(slow, fresh())).toEqual([UNCHECKED_MESSAGE]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it("keeps a fetched range in KV for a day, so the next password of that range costs no request", async () => {
    const password = fresh();
    const prefix = await prefixOf(password);
    for (let i = 0; i < 2; i++) {
      const body = registrationBody({ password, password_confirm: password });
      expect((await api("POST", "/auth/register/", { body })).status).toBe(201);
    }
    expect((await served()).byPrefix[prefix]).toBe(1);
    const { keys } = await env.AUTH_KV.list({ prefix: `pwned:range:${prefix}` });
    expect(keys[0]?.expiration).toBeGreaterThan(Date.now() / 1000 + 86_400 - 60);
    expect(keys[0]?.expiration).toBeLessThanOrEqual(Date.now() / 1000 + 86_400 + 1);
  });
});

describe("breached passwords are refused wherever a password is set", () => {
  const breached = { password: BREACHED_PASSWORD, password_confirm: BREACHED_PASSWORD };
  const newBreached = {
    new_password: BREACHED_PASSWORD,
    new_password_confirm: BREACHED_PASSWORD,
  };

  it("at registration, in either API's shape", async () => {
    const auth = await api("POST", "/auth/register/", { body: registrationBody(breached) });
    expect(expectErrorEnvelope(auth, 400).password).toEqual([BREACHED_MESSAGE]);
    const drf = await api("POST", "/api/users/register/", { body: drfRegistration(breached) });
    expect(expectFieldErrors(drf).password).toEqual([BREACHED_MESSAGE]);
  });

  it("at either change-password endpoint, the old password kept", async () => {
    const jwt = await registerAndLogin();
    const changeJwt = await api("POST", "/auth/change-password/", {
      token: jwt.access,
      body: { old_password: jwt.password, ...newBreached },
    });
    expect(expectErrorEnvelope(changeJwt, 400).new_password).toEqual([BREACHED_MESSAGE]);
    const drf = await registerAndLoginDrf();
    const changeDrf = await api("POST", "/api/users/change-password/", {
      headers: { Authorization: `Token ${drf.token}` },
      body: { old_password: drf.password, ...newBreached },
    });
    expect(expectFieldErrors(changeDrf).new_password).toEqual([BREACHED_MESSAGE]);
    expect((await api("POST", "/auth/login/", { body: { email: jwt.email, password: jwt.password } })).status).toBe(
      200,
    );
  });

  it("when an administrator sets one, through the API or the admin site", async () => {
    const target = await registerAndLoginDrf();
    const viaApi = await as(await admin(), "POST", `/auth/users/${target.user.id}/set-password/`, breached);
    expect(expectErrorEnvelope(viaApi, 400).password).toEqual([BREACHED_MESSAGE]);
    const { browser } = await signedIn();
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    const page = await browser.submit(path, `${path}/password`, breached);
    expect(page.status).toBe(400);
    expect(page.html).toContain(`<li>${BREACHED_MESSAGE}</li>`);
  });

  it("with BREACHED_PASSWORD_CHECK=require, refuses what it cannot check rather than let it through", async () => {
    const bindings = { ...env, BREACHED_PASSWORD_CHECK: "require", PWNED_PASSWORDS_URL: `${SERVER}/broken/range/` };
    // A password whose range no earlier test has put in the cache.
    const password = fresh();
    const response = await appRequest(
      "/api/users/register/",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": randomIp() },
        body: JSON.stringify(drfRegistration({ password, password_confirm: password })),
      },
      bindings,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ password: [UNCHECKED_MESSAGE] });
  });
});
