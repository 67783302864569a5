import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { auditLog } from "../../src/db/schema";
import { accountWith, admin } from "../helpers/admin";
import { api, testDb } from "../helpers/api";
import { appRequest, fetchWorker as fetchChecked } from "../helpers/fetch-worker";

const fetchWorker = (path: string, init?: RequestInit) => fetchChecked(`http://example.com${path}`, init);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("the error envelope", () => {
  it("answers an unknown route with 404 in the envelope", async () => {
    const response = await fetchWorker("/nowhere");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      success: false,
      code: "NOT_FOUND",
      errors: { detail: ["Not found."] },
      message: "Not found.",
    });
  });

  it("answers a known route with the wrong method with 405 and Allow", async () => {
    const response = await fetchWorker("/health", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expect(await response.json()).toMatchObject({ success: false, code: "METHOD_NOT_ALLOWED" });
  });

  it("serves paths with and without the trailing slash", async () => {
    expect((await fetchWorker("/health/")).status).toBe(200);
    expect((await fetchWorker("/health")).status).toBe(200);
  });

  it("refuses a body over MAX_BODY_BYTES with 413, announced or streamed", async () => {
    const big = "x".repeat(70_000);
    const announced = await fetchWorker("/health", { method: "POST", body: big });
    expect(announced.status).toBe(413);
    expect(await announced.json()).toMatchObject({ success: false, code: "PAYLOAD_TOO_LARGE" });
    const stream = new Blob([big]).stream();
    const streamed = await fetchWorker("/health", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("answers every request with a clear 500 when JWT_SECRET is missing or short, and logs why", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const JWT_SECRET of [undefined, "too-short"]) {
      const response = await appRequest("/health", {}, { ...env, JWT_SECRET });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ success: false, code: "MISCONFIGURED" });
      expect(JSON.stringify(log.mock.calls)).toMatch(/JWT_SECRET: JWT_SECRET (is not set|must be at least 32 bytes)/);
    }
    log.mockRestore();
  });

  it("answers /health with 503 in the envelope when the database is unreachable", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    // Port 9 on loopback: nothing listens, so the driver's fetch fails at once.
    const response = await appRequest("/health", {}, { ...env, DATABASE_URL: "http://u:p@127.0.0.1:9" });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      success: false,
      code: "DATABASE_UNAVAILABLE",
      errors: { db: ["unreachable"] },
      message: "Database unavailable",
    });
    log.mockRestore();
  });

  it("tags every response with a request id", async () => {
    const response = await fetchWorker("/health");
    expect(response.headers.get("X-Request-Id")).toMatch(/^[\w-]{8,}$/);
  });
});

describe("request ids", () => {
  it("makes its own id for every request, whatever X-Request-Id the client sends", async () => {
    const ids = new Set<string | null>();
    for (const forged of ["forged-correlation-id", "a".repeat(255)]) {
      const response = await fetchWorker("/health", { headers: { "X-Request-Id": forged } });
      ids.add(response.headers.get("X-Request-Id"));
    }
    expect([...ids].every((id) => UUID.test(id ?? ""))).toBe(true);
    expect(ids.size).toBe(2);
  });

  it("records its own id in the audit trail, even when the client sends one longer than the column", async () => {
    const [boss, target] = [await admin(), await accountWith("student")];
    const response = await api("PATCH", `/auth/users/${target.id}/`, {
      token: boss.access,
      body: { bio: "Audited" },
      headers: { "X-Request-Id": "a".repeat(100) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const [entry] = await testDb().select().from(auditLog).where(eq(auditLog.targetId, target.id));
    expect(entry?.requestId).toBe(response.headers.get("X-Request-Id"));
  });

  it("logs a 500 with its own id and the client's, cut to 64 characters", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await appRequest(
      "/auth/login/",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Request-Id": `client-${"x".repeat(100)}` },
        body: JSON.stringify({ email: "someone@example.com", password: "whatever" }),
      },
      // Port 9 on loopback: the login's query fails, an unexpected error.
      { ...env, DATABASE_URL: "http://u:p@127.0.0.1:9" },
    );
    expect(response.status).toBe(500);
    const line = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
    log.mockRestore();
    expect(line).toMatchObject({ level: "error", requestId: response.headers.get("X-Request-Id") });
    expect(line.clientRequestId).toBe(`client-${"x".repeat(57)}`);
  });
});
