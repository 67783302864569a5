import { describe, expect, it } from "vitest";
import { api, registerAndLogin, uniqueEmail } from "../helpers/api";

// The document's CORS_ALLOWED_ORIGINS.
const ALLOWED_ORIGINS = [
  "http://localhost:3000",
  "http://127.0.0.1:3000",
  "http://localhost:8080",
  "http://127.0.0.1:8080",
];
const EVIL = "https://evil.example";

const preflight = (origin: string, path = "/auth/login/") =>
  api("OPTIONS", path, {
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization,content-type",
    },
  });

describe("CORS on /auth/", () => {
  it("answers a preflight from http://localhost:3000 with its origin and the allowed methods and headers", async () => {
    const response = await preflight("http://localhost:3000");
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:3000");
    const methods = (response.headers.get("Access-Control-Allow-Methods") ?? "").split(/\s*,\s*/);
    expect(methods).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "PATCH"]));
    const headers = (response.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(headers).toEqual(expect.arrayContaining(["authorization", "content-type"]));
    expect(response.headers.get("Vary")).toMatch(/Origin/i);
  });

  it.each(ALLOWED_ORIGINS)("answers a preflight to /auth/profile/ from %s", async (origin) => {
    const response = await preflight(origin, "/auth/profile/");
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(origin);
  });

  it("gives a simple POST from an allowed origin the Access-Control-Allow-Origin header", async () => {
    const { email, password } = await registerAndLogin();
    const response = await api("POST", "/auth/login/", {
      body: { email, password },
      headers: { Origin: "http://localhost:3000" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:3000");
  });

  it("lets a browser on an allowed origin read error responses too", async () => {
    const response = await api("POST", "/auth/login/", {
      body: { email: uniqueEmail(), password: "whatever-Pass-1" },
      headers: { Origin: "http://127.0.0.1:8080" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://127.0.0.1:8080");
  });

  it("gives no allow headers to a request from https://evil.example", async () => {
    const response = await api("POST", "/auth/login/", {
      body: { email: uniqueEmail(), password: "whatever-Pass-1" },
      headers: { Origin: EVIL },
    });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("gives no allow headers to a preflight from https://evil.example", async () => {
    const response = await preflight(EVIL);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("does not allow an origin that only starts like an allowed one", async () => {
    for (const origin of ["http://localhost:3000.evil.example", "http://localhost:30000", "https://localhost:3000"]) {
      expect((await preflight(origin)).headers.get("Access-Control-Allow-Origin")).toBeNull();
    }
  });
});
