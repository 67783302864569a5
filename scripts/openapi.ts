/**
 * `npm run openapi`: writes the app's OpenAPI document to openapi.json (committed, for client
 * generators and reviewers). `npm run openapi:check` (CI) exits 1 when the file is not what the
 * code describes. No server runs: the document comes from the app's route definitions.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describeApi } from "./lib/openapi-document";
import { registerTextModules } from "./lib/text-modules";

// The committed document names `npm run dev`'s server; a deployed Worker's /openapi.json names its own.
const SERVER_URL = "http://127.0.0.1:8787";
const FILE = new URL("../openapi.json", import.meta.url);
// Paths in variables, which TypeScript does not follow: src/ is type-checked under the Workers'
// types (tsconfig.json), not under the scripts' Node types.
const APP = "../src/app";
const ROUTER = "../src/api-router";
const COMPONENTS = "../src/schemas/openapi";

registerTextModules();
const [{ app }, { describedRoutes }, { registerComponents }] = await Promise.all([
  import(APP),
  import(ROUTER),
  import(COMPONENTS),
]);
const document = `${JSON.stringify(describeApi(describedRoutes(app), registerComponents, SERVER_URL), null, 2)}\n`;

if (process.argv.includes("--check")) {
  const committed = await readFile(FILE, "utf8").catch(() => "");
  if (committed === document) {
    console.log("openapi.json is current");
  } else {
    console.error("openapi.json is not what the code describes: run `npm run openapi` and commit the file");
    process.exitCode = 1;
  }
} else {
  await writeFile(FILE, document);
  console.log(`Wrote ${FILE.pathname}`);
}
