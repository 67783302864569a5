import { Hono } from "hono";
// The document that `npm run openapi` generates from the routes' descriptions (CI checks it is
// current), bundled as it is: generating it here would bundle the generator and all of Zod.
import document from "../../openapi.json";
import type { AppEnv } from "../env";
import { randomHex } from "../services/hex";

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

// The document's text for the last server URL served: some 240 KB that would otherwise be
// stringified on every request. The URL is PUBLIC_URL, or an origin the Worker is reached at, so
// it rarely changes within an isolate; one entry is enough and cannot grow.
let served: { url: string; text: string } | undefined;

function documentText(url: string): string {
  if (served?.url !== url) served = { url, text: JSON.stringify({ ...document, servers: [{ url }] }) };
  return served.text;
}

/**
 * `GET /openapi.json` (the document, its server PUBLIC_URL or else the request's origin) and
 * `GET /docs` (Swagger UI on it, for people). Neither is in the document itself.
 */
export const reference = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    const url = c.var.config.PUBLIC_URL ?? new URL(c.req.url).origin;
    // The header c.json would set.
    return c.body(documentText(url), 200, { "Content-Type": "application/json" });
  })
  .get("/docs", (c) => {
    const nonce = randomHex(16);
    return c.html(docsPage(nonce), 200, { "Content-Security-Policy": docsPolicy(nonce) });
  });
