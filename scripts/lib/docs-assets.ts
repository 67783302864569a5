import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Served by Workers Static Assets at /docs/swagger-ui/ (the page in src/routes/reference.ts).
const TARGET = fileURLToPath(new URL("../../public/docs/swagger-ui/", import.meta.url));
// What the page loads, and the licence texts that must travel with the code (Apache-2.0).
const FILES = [
  "swagger-ui-bundle.js",
  "swagger-ui.css",
  "favicon-32x32.png",
  "LICENSE",
  "NOTICE",
  "swagger-ui-bundle.js.LICENSE.txt",
];

/**
 * Copies Swagger UI's browser files from node_modules into public/ (git-ignored), so the /docs page
 * needs nothing from the internet and the files follow the locked swagger-ui-dist version.
 * Runs before `wrangler dev` and `wrangler deploy` (wrangler.toml [build]) and the Worker tests.
 */
export function copyDocsAssets(): void {
  const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  mkdirSync(TARGET, { recursive: true });
  for (const file of FILES) copyFileSync(join(source, file), join(TARGET, file));
}
