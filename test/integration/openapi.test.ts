import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { version } from "../../package.json";
import { routingPath } from "../../src/api-router";
import { app } from "../../src/app";
import { appRequest, fetchWorker } from "../helpers/fetch-worker";
import { ajv, DOCUMENT, expectDocumented, NEVER_DOCUMENTED, tally, validatorFor } from "../helpers/openapi";

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** `METHOD path` of every operation in the document, the path as the router matches it. */
const documented = Object.entries(DOCUMENT.paths ?? {}).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    method,
    path,
    key: `${method.toUpperCase()} ${routingPath(path)}`,
  })),
);
// Middleware is registered for every method ("ALL"); each handler of a route is listed apart.
const served = [...new Set(app.routes.filter((route) => route.method !== "ALL").map((r) => `${r.method} ${r.path}`))];

describe("the OpenAPI document", () => {
  it("describes every route the app serves but the admin site, the account pages, the document and its page", () => {
    const keys = new Set(documented.map(({ key }) => key));
    const missing = served.filter((route) => !keys.has(route) && !NEVER_DOCUMENTED.some((re) => re.test(route)));
    expect(missing, "document these routes").toEqual([]);
    expect(
      [...keys].filter((key) => !served.includes(key)),
      "documented but not served",
    ).toEqual([]);
  });

  it("answers every documented operation, with and without the trailing slash, as documented", async () => {
    for (const { method, path } of documented) {
      // Placeholder parameters and no credentials or body: nothing changes, every answer is an error
      // or a read, and fetchWorker fails the test on a status the document does not list.
      const url = `http://localhost${path.replaceAll(/{[^}]+}/g, "0")}`;
      for (const form of [url.replace(/\/$/, ""), url.endsWith("/") ? url : `${url}/`]) {
        const response = await fetchWorker(form, { method: method.toUpperCase() });
        expect(response.status, `${method} ${form}`).not.toBe(405);
        await response.body?.cancel();
      }
    }
  });

  it("has examples that match the schemas beside them", () => {
    type Content = Record<string, { schema?: object; example?: unknown }> | undefined;
    const mismatched: string[] = [];
    let checked = 0;
    for (const { method, path } of documented) {
      const operation = DOCUMENT.paths?.[path]?.[method];
      const contents: [string, Content][] = [
        ["request", (operation?.requestBody as { content?: Content } | undefined)?.content],
        ...Object.entries(operation?.responses ?? {}).map(([status, response]): [string, Content] => [
          status,
          (response as { content?: Content }).content,
        ]),
      ];
      for (const [where, content] of contents) {
        for (const [type, { schema, example }] of Object.entries(content ?? {})) {
          if (example === undefined || !schema) continue;
          checked++;
          const validate = validatorFor(schema);
          if (!validate(example))
            mismatched.push(`${method} ${path} ${where} ${type}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(mismatched).toEqual([]);
  });

  it("is OpenAPI 3.1 with the package's version, both error shapes of each API and both credentials", () => {
    expect(DOCUMENT.openapi).toBe("3.1.0");
    expect(DOCUMENT.info.version).toBe(version);
    expect(Object.keys(DOCUMENT.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(["EnvelopeError", "DrfFieldErrors", "DrfDetail"]),
    );
    expect(DOCUMENT.components?.securitySchemes).toMatchObject({
      BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      TokenAuth: { type: "apiKey", in: "header", name: "Authorization" },
    });
  });
});

describe("GET /openapi.json", () => {
  it("serves the document with the request's origin as its server", async () => {
    const response = await appRequest("http://api.example.com/openapi.json", {}, { ...env, PUBLIC_URL: "" });
    expect(response.status).toBe(200);
    const served = await response.json();
    expect(served).toEqual({ ...DOCUMENT, servers: [{ url: "http://api.example.com" }] });
  });

  it("names PUBLIC_URL as the server when it is set, without a trailing slash", async () => {
    const response = await appRequest("/openapi.json", {}, { ...env, PUBLIC_URL: "https://auth.example.com/" });
    expect(((await response.json()) as typeof DOCUMENT).servers).toEqual([{ url: "https://auth.example.com" }]);
  });
});

describe("GET /docs", () => {
  it("is Swagger UI on /openapi.json, its one inline script allowed by a nonce, everything else from this origin", async () => {
    const response = await fetchWorker("http://localhost/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await response.text();
    const nonce = /<script nonce="([0-9a-f]{32})">/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain('url: "/openapi.json"');
    expect(response.headers.get("Content-Security-Policy")).toBe(
      `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; ` +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    const second = await (await fetchWorker("http://localhost/docs")).text();
    expect(second).not.toContain(nonce);
  });

  it("loads only files that the Worker's static assets hold", async () => {
    const html = await (await fetchWorker("http://localhost/docs")).text();
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, file]) => file ?? "");
    expect(files.length).toBe(3);
    for (const file of files) {
      expect(file).toMatch(/^\/docs\/swagger-ui\//);
      const asset = await env.ASSETS.fetch(`http://localhost${file}`);
      expect(asset.status, file).toBe(200);
      await asset.body?.cancel();
    }
  });
});

describe("fetchWorker's check against the document", () => {
  const answer = (body: unknown, status: number) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("counts a documented answer", async () => {
    const before = tally.validated;
    await expectDocumented("GET", "http://localhost/health/", answer({ success: true, data: { db: "ok" } }, 200));
    expect(tally.validated).toBe(before + 1);
  });

  it("fails a status the operation does not list", async () => {
    await expect(expectDocumented("GET", "http://localhost/health", answer({ detail: "x" }, 404))).rejects.toThrow(
      /answered 404, which the document does not list/,
    );
  });

  it("fails a body that does not match the documented schema, extra fields included", async () => {
    const extra = answer({ success: true, data: { db: "ok", hash: "pbkdf2_sha256$..." } }, 200);
    await expect(expectDocumented("GET", "http://localhost/health", extra)).rejects.toThrow(/additional properties/);
    const envelope = answer({ success: false, code: "X", errors: { db: [] }, message: "m" }, 503);
    await expect(expectDocumented("GET", "http://localhost/health", envelope)).rejects.toThrow(/fewer than 1 items/);
  });

  it("fails an answer in a media type the document does not list", async () => {
    const html = new Response("<p>ok</p>", { status: 200, headers: { "Content-Type": "text/html" } });
    await expect(expectDocumented("GET", "http://localhost/health", html)).rejects.toThrow(/as text\/html/);
  });

  it("skips a route the document does not describe", async () => {
    const before = tally.skipped;
    await expectDocumented("POST", "http://localhost/admin/login", answer({}, 418));
    expect(tally.skipped).toBe(before + 1);
  });
});
