import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ApiResponse, api, randomIp, registerAndLogin, uniqueEmail } from "../helpers/api";
import { registerAndLoginDrf } from "../helpers/drf";

const WRONG = "Wrong-password-42";
const from = (ip: string) => ({ "CF-Connecting-IP": ip });
const login = (path: string, email: string, password: string, ip: string) =>
  api("POST", path, { body: { email, password }, headers: from(ip) });
const statuses = (responses: ApiResponse[]) => responses.map((response) => response.status);

async function loginTimes(count: number, path: string, email: string, password: string, ip: () => string) {
  const responses: ApiResponse[] = [];
  for (let i = 0; i < count; i++) responses.push(await login(path, email, password, ip()));
  return responses;
}

// The Worker runs in the tests' isolate, so what is faked here is faked for it too. Its clock
// stands still at START unless a test moves it, so every wait is exact. Every PBKDF2 run is one
// deriveBits call: counting them shows which attempts reached a password check.
const START = Date.UTC(2031, 5, 1);
let hashes: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
  hashes = vi.spyOn(crypto.subtle, "deriveBits");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("the login limits (happy)", () => {
  it("lets the owner in from an address they signed in from while strangers are refused", async () => {
    const owner = await registerAndLogin();
    const home = randomIp();
    expect((await login("/auth/login/", owner.email, owner.password, home)).status).toBe(200);
    const attacker = randomIp();
    expect(statuses(await loginTimes(6, "/auth/login/", owner.email, WRONG, () => attacker))).toEqual([
      401, 401, 401, 401, 401, 429,
    ]);
    await loginTimes(10, "/auth/login/", owner.email, WRONG, randomIp);
    // A new address meets the back-off, even with the right password; home does not.
    expect((await login("/auth/login/", owner.email, owner.password, randomIp())).status).toBe(429);
    expect((await login("/auth/login/", owner.email, owner.password, home)).status).toBe(200);
    expect((await login("/api/users/login/", owner.email, owner.password, home)).status).toBe(200);
  });

  it("opens a pair again once its 15 minutes have passed", async () => {
    const { email } = await registerAndLogin();
    const ip = randomIp();
    await loginTimes(5, "/auth/login/", email, WRONG, () => ip);
    vi.setSystemTime(START + (15 * 60 - 1) * 1000);
    expect((await login("/auth/login/", email, WRONG, ip)).headers.get("Retry-After")).toBe("1");
    vi.setSystemTime(START + 15 * 60 * 1000);
    expect((await login("/auth/login/", email, WRONG, ip)).status).toBe(401);
  });
});

describe("the login limits (error)", () => {
  it("meets 8 wrong logins for one account from one address with a 429 by the 6th, in both APIs", async () => {
    const { email } = await registerAndLoginDrf();
    const ip = randomIp();
    expect(statuses(await loginTimes(8, "/auth/login/", email, WRONG, () => ip))).toEqual([
      401, 401, 401, 401, 401, 429, 429, 429,
    ]);
    const other = randomIp();
    expect(statuses(await loginTimes(8, "/api/users/login/", email, WRONG, () => other))).toEqual([
      400, 400, 400, 400, 400, 429, 429, 429,
    ]);
  });

  it("answers the envelope with code TOO_MANY_REQUESTS under /auth/ and DRF's detail under /api/users/", async () => {
    const email = uniqueEmail();
    const ip = randomIp();
    await loginTimes(5, "/auth/login/", email, WRONG, () => ip);
    const envelope = await login("/auth/login/", email, WRONG, ip);
    const plural = "Request was throttled. Expected available in 900 seconds.";
    expect(envelope.status).toBe(429);
    expect(envelope.headers.get("Retry-After")).toBe("900");
    expect(envelope.body).toEqual({
      success: false,
      code: "TOO_MANY_REQUESTS",
      errors: { detail: [plural] },
      message: plural,
    });
    const drf = await login("/api/users/login/", email, WRONG, ip);
    expect(drf.status).toBe(429);
    expect(drf.headers.get("Retry-After")).toBe("900");
    expect(drf.body).toEqual({ detail: plural });
  });

  it("words a one-second wait in the singular, as DRF does", async () => {
    const email = uniqueEmail();
    await loginTimes(10, "/api/users/login/", email, WRONG, randomIp);
    const refused = await login("/api/users/login/", email, WRONG, randomIp());
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(refused.body).toEqual({ detail: "Request was throttled. Expected available in 1 second." });
  });

  it("takes 20 registrations an hour from one address, through either API", async () => {
    const ip = randomIp();
    const register = (i: number) =>
      i % 2 === 0
        ? api("POST", "/auth/register/", {
            body: { email: uniqueEmail(), password: WRONG, password_confirm: WRONG, fullName: "A B", role: "student" },
            headers: from(ip),
          })
        : api("POST", "/api/users/register/", {
            body: { email: uniqueEmail(), password: WRONG, password_confirm: WRONG, role: "patient" },
            headers: from(ip),
          });
    for (let i = 0; i < 20; i++) expect((await register(i)).status).toBe(201);
    const refused = [await register(20), await register(21)];
    expect(statuses(refused)).toEqual([429, 429]);
    expect(refused[0]?.body.code).toBe("TOO_MANY_REQUESTS");
    expect(refused[1]?.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    expect((await register(22)).status).toBe(429);
    expect((await api("POST", "/auth/register/", { body: {}, headers: from(randomIp()) })).status).toBe(400);
  });
});

describe("the login limits (security)", () => {
  it("refuses before any password hashing", async () => {
    const { email } = await registerAndLogin();
    const ip = randomIp();
    await loginTimes(5, "/auth/login/", email, WRONG, () => ip);
    hashes.mockClear();
    const refused = await loginTimes(3, "/auth/login/", email, WRONG, () => ip);
    await loginTimes(2, "/api/users/login/", email, WRONG, () => ip);
    expect(statuses(refused)).toEqual([429, 429, 429]);
    expect(hashes).not.toHaveBeenCalled();
  });

  it("lets no more than 5 of 20 concurrent wrong logins for a fresh pair reach the password check", async () => {
    const { email } = await registerAndLogin();
    const ip = randomIp();
    hashes.mockClear();
    const responses = await Promise.all(Array.from({ length: 20 }, () => login("/auth/login/", email, WRONG, ip)));
    expect(hashes).toHaveBeenCalledTimes(5);
    expect(statuses(responses).filter((status) => status === 401)).toHaveLength(5);
    expect(statuses(responses).filter((status) => status === 429)).toHaveLength(15);
  });

  it("counts and refuses unknown emails exactly like real ones", async () => {
    const { email } = await registerAndLogin();
    const answers = async (address: string) => {
      const ip = randomIp();
      return (await loginTimes(7, "/auth/login/", address, WRONG, () => ip)).map(({ status, body }) => ({
        status,
        body,
      }));
    };
    expect(await answers(uniqueEmail("nobody"))).toEqual(await answers(email));
  });

  it("counts an IPv6 client by its /64, however it picks addresses in it", async () => {
    const hextets = () => Array.from(crypto.getRandomValues(new Uint16Array(2)), (group) => group.toString(16));
    const network = `2001:db8:${hextets().join(":")}`;
    const { email, password } = await registerAndLogin();
    let host = 0;
    await loginTimes(5, "/auth/login/", email, WRONG, () => `${network}::${++host}`);
    expect((await login("/auth/login/", email, password, `${network}:ffff:0:0:9`)).status).toBe(429);
    expect((await login("/auth/login/", email, password, `2001:db8:${hextets().join(":")}::1`)).status).toBe(200);
  });

  it("counts wrong old passwords of both change-password endpoints as failed logins", async () => {
    const owner = await registerAndLogin();
    const drf = await registerAndLoginDrf();
    const ip = randomIp();
    const change = (path: string, authorization: string) =>
      api("POST", path, {
        body: { old_password: WRONG, new_password: "Another-password-77", new_password_confirm: "Another-password-77" },
        headers: { ...from(ip), Authorization: authorization },
      });
    const jwt = [];
    const token = [];
    for (let i = 0; i < 6; i++) {
      jwt.push(await change("/auth/change-password/", `Bearer ${owner.access}`));
      token.push(await change("/api/users/change-password/", `Token ${drf.token}`));
    }
    expect(statuses(jwt)).toEqual([400, 400, 400, 400, 400, 429]);
    expect(statuses(token)).toEqual([400, 400, 400, 400, 400, 429]);
    expect(jwt[0]?.body.errors.old_password).toBeDefined();
    expect((await login("/auth/login/", owner.email, owner.password, ip)).status).toBe(429);
  });
});
