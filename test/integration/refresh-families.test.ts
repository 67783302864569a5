import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditLog } from "../../src/db/schema";
import { api, expectErrorEnvelope, registerAndLogin, testDb } from "../helpers/api";
import { sessionById, sidOf } from "../helpers/sessions";

// RFC 9700 §4.14: refresh tokens rotate as one family per session; a spent token coming back after
// REFRESH_REUSE_GRACE_SECONDS ends the family.
const GRACE_MS = Number(env.REFRESH_REUSE_GRACE_SECONDS) * 1000;
const refreshWith = (refresh: string) => api("POST", "/auth/refresh/", { body: { refresh } });
const jtiOf = (token: string) => decodeJwt(token).jti;

afterEach(() => {
  vi.useRealTimers();
});

describe("concurrent refreshes with one token", () => {
  it("never make two successors: over 3 rounds of 10, every answer is the one successor", async () => {
    let { refresh } = await registerAndLogin();
    for (let round = 0; round < 3; round++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => refreshWith(refresh)));
      expect(
        responses.map((response) => response.status),
        `round ${round}`,
      ).toEqual(Array(10).fill(200));
      const successors = new Set(responses.map((response) => jtiOf(response.body.data.refresh)));
      expect(successors.size, `round ${round}`).toBe(1);
      // Signed again from the row under HS256, the successor is the same token, byte for byte.
      expect(new Set(responses.map((response) => response.body.data.refresh)).size).toBe(1);
      refresh = responses[0]?.body.data.refresh;
    }
    expect((await refreshWith(refresh)).status).toBe(200);
  });
});

describe("the token a rotation replaced", () => {
  it("gets the same successor again within the grace window, and an access token that works", async () => {
    const session = await registerAndLogin();
    const first = await refreshWith(session.refresh);
    const second = await refreshWith(session.refresh);
    expect(second.status).toBe(200);
    expect(second.body.data.refresh).toBe(first.body.data.refresh);
    expect((await api("GET", "/auth/profile/", { token: second.body.data.access })).status).toBe(200);
  });

  it("after the grace window (fixed clock) ends the whole session, successor included, and is audited", async () => {
    const session = await registerAndLogin();
    const rotated = await refreshWith(session.refresh);
    expect(rotated.status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + GRACE_MS + 1000);
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
    const sessionId = sidOf(session.access);
    expect(await sessionById(sessionId)).toMatchObject({ revokedReason: "reuse_detected" });
    // Whoever holds the successor, attacker or victim, is out too; so is every access token of it.
    expectErrorEnvelope(await refreshWith(rotated.body.data.refresh), 401);
    expectErrorEnvelope(await api("GET", "/auth/profile/", { token: rotated.body.data.access }), 401);
    const [entry] = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, session.user.id), eq(auditLog.action, "refresh_reuse_detected")))
      .orderBy(desc(auditLog.id));
    expect(JSON.parse(entry?.changes ?? "{}")).toMatchObject({ session: { before: sessionId, after: null } });
    expect(entry?.actorId).toBe(session.user.id);
  });

  it("two rotations back is a reuse at once, grace or not", async () => {
    const session = await registerAndLogin();
    const first = await refreshWith(session.refresh);
    expect((await refreshWith(first.body.data.refresh)).status).toBe(200);
    expectErrorEnvelope(await refreshWith(session.refresh), 401);
    expect(await sessionById(sidOf(session.access))).toMatchObject({ revokedReason: "reuse_detected" });
  });
});

describe("refresh tokens of ended sessions", () => {
  it("are refused for a session revoked or past its end (a deactivated user: auth-refresh.test.ts)", async () => {
    const revoked = await registerAndLogin();
    expect((await api("DELETE", `/auth/sessions/${sidOf(revoked.access)}/`, { token: revoked.access })).status).toBe(
      200,
    );
    expectErrorEnvelope(await refreshWith(revoked.refresh), 401);
    const expired = await registerAndLogin();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + Number(env.REFRESH_TOKEN_TTL) * 1000 + 1000);
    expectErrorEnvelope(await refreshWith(expired.refresh), 401);
  });
});
