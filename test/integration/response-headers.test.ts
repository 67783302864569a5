import { describe, expect, it } from "vitest";
import { IMAGES } from "../fixtures/images";
import { AdminBrowser } from "../helpers/admin-site";
import { api, registerAndLogin } from "../helpers/api";
import { registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { fetchWorker } from "../helpers/fetch-worker";

const HSTS = "max-age=15552000; includeSubDomains";

/** Asserts the headers every response carries, whatever else it sets. */
function expectSecurityHeaders(headers: Headers, label: string) {
  expect(headers.get("Strict-Transport-Security"), label).toBe(HSTS);
  expect(headers.get("X-Content-Type-Options"), label).toBe("nosniff");
}

describe("Cache-Control on the APIs", () => {
  it("is no-store on every answer that carries a token (RFC 6749 section 5.1)", async () => {
    const session = await registerAndLogin();
    const drf = await registerAndLoginDrf();
    const answers = {
      "/auth/login/": await api("POST", "/auth/login/", { body: { email: session.email, password: session.password } }),
      "/auth/refresh/": await api("POST", "/auth/refresh/", { body: { refresh: session.refresh } }),
      "/api/users/login/": await api("POST", "/api/users/login/", {
        body: { email: drf.email, password: drf.password },
      }),
    };
    for (const [path, response] of Object.entries(answers)) {
      expect(response.status, path).toBe(200);
      expect(response.headers.get("Cache-Control"), path).toBe("no-store");
    }
  });

  it("is no-store on every other API answer too, errors included", async () => {
    const { access } = await registerAndLogin();
    const drf = await registerAndLoginDrf();
    const answers = [
      await api("GET", "/auth/profile/", { token: access }),
      await api("GET", "/api/users/me/", { headers: tokenAuth(drf.token) }),
      await api("POST", "/auth/login/", { body: { email: "nobody@example.com", password: "x" } }),
      await api("GET", "/api/users/me/"),
      await api("GET", "/nowhere"),
      await api("GET", "/health"),
    ];
    for (const response of answers)
      expect(response.headers.get("Cache-Control"), String(response.status)).toBe("no-store");
  });
});

describe("security headers", () => {
  it("sends HSTS, nosniff and Referrer-Policy: no-referrer with every API answer and preflight", async () => {
    const preflight = await fetchWorker("http://localhost/auth/login/", {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" },
    });
    const answers = [
      await api("GET", "/health"),
      await api("POST", "/auth/login/", { body: {} }),
      await api("GET", "/api/users/me/"),
      await api("GET", "/nowhere"),
    ];
    for (const response of [preflight, ...answers]) {
      expectSecurityHeaders(response.headers, String(response.status));
      expect(response.headers.get("Referrer-Policy"), String(response.status)).toBe("no-referrer");
    }
  });

  it("leaves the admin site's own headers as they were, and adds HSTS", async () => {
    const page = await new AdminBrowser().get("/admin/login");
    expectSecurityHeaders(page.headers, "admin");
    expect(page.headers.get("Content-Security-Policy")).toMatch(/^default-src 'none'; style-src 'self'/);
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(page.headers.get("Cache-Control")).toBe("no-store");
  });

  it("leaves a picture's caching headers as they were, on 200 and 304", async () => {
    const drf = await registerAndLoginDrf();
    const upload = await fetchWorker("http://localhost/api/users/me/picture/", {
      method: "PUT",
      headers: { ...tokenAuth(drf.token), "Content-Type": "image/png" },
      body: IMAGES.png.bytes,
    });
    const url = ((await upload.json()) as { profile_picture: string }).profile_picture;
    const served = await fetchWorker(url);
    await served.arrayBuffer();
    const etag = served.headers.get("ETag") ?? "";
    const current = await fetchWorker(url, { headers: { "If-None-Match": etag } });
    for (const response of [served, current]) {
      expectSecurityHeaders(response.headers, String(response.status));
      expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("Content-Security-Policy")).toBe("default-src 'none'");
      expect(response.headers.get("ETag")).toBe(etag);
    }
    expect(current.status).toBe(304);
  });
});
