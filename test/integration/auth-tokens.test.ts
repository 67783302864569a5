import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { base64url, decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { users } from "../../src/db/schema";
import { type ApiResponse, api, expectErrorEnvelope, registerAndLogin, testDb } from "../helpers/api";
import { insertJwtSession, mintToken, sidOf } from "../helpers/sessions";

const HOUR = 3600;
const DAY = 24 * HOUR;
const encoder = new TextEncoder();

const profile = (token: string) => api("GET", "/auth/profile/", { token });
const rawProfile = (authorization: string) =>
  api("GET", "/auth/profile/", { headers: { Authorization: authorization } });
const refreshWith = (refresh: string) => api("POST", "/auth/refresh/", { body: { refresh } });

/** A 401 in the envelope that tells the client to present a Bearer token. */
function expectBearerChallenge(response: ApiResponse) {
  expectErrorEnvelope(response, 401);
  expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
}

/** Signs claims the way an attacker holding (or guessing) a key would. */
function sign(payload: JWTPayload, { alg = "HS256", secret = env.JWT_SECRET } = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(encoder.encode(secret));
}

/** The claims of a freshly issued access token, for re-signing with one thing changed. */
async function accessClaims() {
  const session = await registerAndLogin();
  return { session, claims: decodeJwt(session.access) };
}

const encodeSegment = (value: unknown) => base64url.encode(JSON.stringify(value));

describe("the Authorization header", () => {
  it("answers a request without one with 401 and a Bearer challenge", async () => {
    const response = await api("GET", "/auth/profile/");
    expectBearerChallenge(response);
  });

  it.each([["Bearer"], ["Bearer "], ["Token abc"], ["Bearer a.b"], ["Basic dXNlcjpwYXNz"], ["Bearer a.b.c.d"]])(
    "refuses the malformed header %j",
    async (header) => {
      expectBearerChallenge(await rawProfile(header));
    },
  );

  it("refuses a valid access token sent without the Bearer scheme", async () => {
    const { access } = await registerAndLogin();
    expectBearerChallenge(await rawProfile(access));
    expectBearerChallenge(await rawProfile(`JWT ${access}`));
  });

  it("takes the Bearer scheme in any letter case (RFC 9110 section 11.1), here and on /auth/users/", async () => {
    const { access, user } = await registerAndLogin();
    for (const scheme of ["bearer", "BEARER", "BeArEr"]) {
      const headers = { Authorization: `${scheme} ${access}` };
      expect((await rawProfile(headers.Authorization)).status, scheme).toBe(200);
      expect((await api("GET", `/auth/users/${user.id}/`, { headers })).status, scheme).toBe(200);
    }
  });
});

describe("forged access tokens", () => {
  it("accepts the issued claims re-signed with the real key (the control for what follows)", async () => {
    const { claims } = await accessClaims();
    expect((await profile(await sign(claims))).status).toBe(200);
  });

  it("refuses a token whose payload was changed under the original signature", async () => {
    const { session, claims } = await accessClaims();
    const [header, , signature] = session.access.split(".");
    const tampered = `${header}.${encodeSegment({ ...claims, sid: crypto.randomUUID() })}.${signature}`;
    expectBearerChallenge(await profile(tampered));
    const otherUser = `${header}.${encodeSegment({ ...claims, sub: String(Number(claims.sub) - 1) })}.${signature}`;
    expectBearerChallenge(await profile(otherUser));
  });

  it("refuses an unsigned token with alg none", async () => {
    const { session, claims } = await accessClaims();
    const unsigned = `${encodeSegment({ alg: "none", typ: "JWT" })}.${encodeSegment(claims)}.`;
    expectBearerChallenge(await profile(unsigned));
    // The same with a signature attached, so that it reaches the verifier.
    expectBearerChallenge(await profile(`${unsigned}${session.access.split(".")[2]}`));
  });

  it("refuses a token signed with another key", async () => {
    const { claims } = await accessClaims();
    const otherKey = base64url.encode(crypto.getRandomValues(new Uint8Array(48)));
    expectBearerChallenge(await profile(await sign(claims, { secret: otherKey })));
  });

  it("refuses a token signed with the right key under HS512", async () => {
    const { claims } = await accessClaims();
    expectBearerChallenge(await profile(await sign(claims, { alg: "HS512" })));
  });

  it.each(["token_type", "jti", "sub", "iat", "exp", "iss", "aud", "sid"])(
    "refuses a token without the %s claim",
    async (claim) => {
      const { claims } = await accessClaims();
      const { [claim]: _dropped, ...rest } = claims;
      expectBearerChallenge(await profile(await sign(rest)));
    },
  );

  it("refuses a token for another issuer or audience", async () => {
    const { claims } = await accessClaims();
    expectBearerChallenge(await profile(await sign({ ...claims, iss: "someone-else" })));
    expectBearerChallenge(await profile(await sign({ ...claims, aud: "someone-else" })));
  });

  it("refuses a token whose subject is not a user id", async () => {
    const { claims } = await accessClaims();
    expectBearerChallenge(await profile(await sign({ ...claims, sub: "admin" })));
  });
});

describe("access tokens from before sessions were rows (no sid, the user's token version as ver)", () => {
  it("are accepted while the version holds, and refused once logged out (their jti in KV) or signed out everywhere", async () => {
    const { claims } = await accessClaims();
    const { sid: _none, ...rest } = claims;
    const legacy = await sign({ ...rest, ver: 0 });
    expect((await profile(legacy)).status).toBe(200);
    const loggedOut = await sign({ ...rest, ver: 0, jti: crypto.randomUUID() });
    await env.AUTH_KV.put(`revoked:access:${decodeJwt(loggedOut).jti}`, String(claims.sub));
    expectBearerChallenge(await profile(loggedOut));
    expectBearerChallenge(await profile(await sign({ ...rest, ver: 1 })));
  });
});

describe("token types", () => {
  it("refuses a refresh token used as an access token", async () => {
    const { refresh } = await registerAndLogin();
    expectBearerChallenge(await profile(refresh));
  });

  it("refuses an access token used as a refresh token", async () => {
    const { access, refresh } = await registerAndLogin();
    expectErrorEnvelope(await refreshWith(access), 401);
    // The refusal spent nothing: the real refresh token still works.
    expect((await refreshWith(refresh)).status).toBe(200);
  });
});

describe("expiry, on a fixed clock", () => {
  it("accepts an access token issued an hour less a minute ago, and refuses one issued an hour and a minute ago", async () => {
    const { user, access } = await registerAndLogin();
    const subject = { userId: user.id, sessionId: sidOf(access) };
    const fresh = await mintToken("access", subject, new Date(Date.now() - (HOUR - 60) * 1000));
    expect((await profile(fresh.token)).status).toBe(200);
    const expired = await mintToken("access", subject, new Date(Date.now() - (HOUR + 60) * 1000));
    expectBearerChallenge(await profile(expired.token));
  });

  it("accepts a refresh token issued seven days less a minute ago, and refuses one issued seven days and a minute ago", async () => {
    const { user } = await registerAndLogin();
    // Each token gets a live row, so that only the token's own exp can tell them apart.
    const storedRefresh = async (ageSeconds: number) => {
      const issuedAt = new Date(Date.now() - ageSeconds * 1000);
      const sessionId = crypto.randomUUID();
      const issued = await mintToken("refresh", { userId: user.id, sessionId }, issuedAt);
      await insertJwtSession(user.id, issued.jti, new Date(Date.now() + DAY * 1000), sessionId);
      return issued.token;
    };
    expect((await refreshWith(await storedRefresh(7 * DAY - 60))).status).toBe(200);
    expectErrorEnvelope(await refreshWith(await storedRefresh(7 * DAY + 60)), 401);
  });
});

describe("users behind tokens", () => {
  it("refuses a well-signed token for a user id that does not exist", async () => {
    const ghost = { userId: 2 ** 40, sessionId: crypto.randomUUID() };
    const access = await mintToken("access", ghost);
    expectBearerChallenge(await profile(access.token));
    const refresh = await mintToken("refresh", ghost);
    expectErrorEnvelope(await refreshWith(refresh.token), 401);
  });

  it("refuses the tokens of a user who has been deleted", async () => {
    const session = await registerAndLogin();
    await testDb().delete(users).where(eq(users.id, session.user.id));
    expectBearerChallenge(await profile(session.access));
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
  });
});

describe("issued tokens", () => {
  it("carry token_type, jti, sub, iat, exp, iss and aud, with the document's lifetimes", async () => {
    const { access, refresh, user } = await registerAndLogin();
    const expected = (type: string) => ({
      token_type: type,
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      sub: String(user.id),
      iat: expect.any(Number),
      exp: expect.any(Number),
      iss: env.JWT_ISSUER,
      aud: env.JWT_AUDIENCE,
    });
    const accessClaims = decodeJwt(access);
    const refreshClaims = decodeJwt(refresh);
    expect(accessClaims).toMatchObject(expected("access"));
    expect(refreshClaims).toMatchObject(expected("refresh"));
    expect((accessClaims.exp ?? 0) - (accessClaims.iat ?? 0)).toBe(HOUR);
    expect((refreshClaims.exp ?? 0) - (refreshClaims.iat ?? 0)).toBe(7 * DAY);
    expect(Math.abs((accessClaims.iat ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(accessClaims.jti).not.toBe(refreshClaims.jti);
    expect(decodeProtectedHeader(access)).toEqual({ alg: "HS256", kid: expect.stringMatching(/^hs256-/), typ: "JWT" });
  });
});
