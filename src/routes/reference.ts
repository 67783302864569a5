import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
// Only `version` is bundled: esbuild keeps the JSON fields a module imports.
import { version } from "../../package.json";
import type { AppEnv } from "../env";
import { randomHex } from "../services/hex";

const INFO = {
  title: "edge-auth",
  version,
  description: [
    "One user table behind two contracts. Every path is served with and without its trailing slash.",
    "",
    "- `/auth/`: JWTs (`Authorization: Bearer`), answers in the `{success, data, message}` envelope, errors as `EnvelopeError`;",
    "- `/api/users/`: Django REST Framework's shapes and `Authorization: Token`, errors as `DrfFieldErrors` or `DrfDetail`.",
  ].join("\n"),
};

/** The OpenAPI 3.1 document of every route `app` describes, as served from `serverUrl`. */
export function describeApi(app: Pick<OpenAPIHono, "getOpenAPI31Document">, serverUrl: string) {
  return app.getOpenAPI31Document({ openapi: "3.1.0", info: INFO, servers: [{ url: serverUrl }] });
}

// Workers Static Assets serve these files from public/, where scripts/copy-docs-assets.ts puts them.
const SWAGGER_UI = "/docs/swagger-ui";

const docsPage = (nonce: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-auth API</title>
<link rel="icon" href="${SWAGGER_UI}/favicon-32x32.png">
<link rel="stylesheet" href="${SWAGGER_UI}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script nonce="${nonce}">
SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
});
</script>
</body>
</html>
`;

// Everything the page loads comes from this origin: Swagger UI's files, the document, and the
// requests "Try it out" sends. Its one inline script carries the response's nonce. Swagger UI
// draws some icons as data: images.
const docsPolicy = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

/**
 * `GET /openapi.json` (the document, its server PUBLIC_URL or else the request's origin) and
 * `GET /docs` (Swagger UI on it, for people). Neither is in the document itself.
 */
export function reference(app: Pick<OpenAPIHono, "getOpenAPI31Document">) {
  return new Hono<AppEnv>()
    .get("/openapi.json", (c) => c.json(describeApi(app, c.var.config.PUBLIC_URL ?? new URL(c.req.url).origin)))
    .get("/docs", (c) => {
      const nonce = randomHex(16);
      return c.html(docsPage(nonce), 200, { "Content-Security-Policy": docsPolicy(nonce) });
    });
}
