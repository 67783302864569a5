import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Real Chromium against `wrangler dev` on a real database; see global-setup.ts.
export default defineProject({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: the files share one Worker and database, and a Chromium per file at
    // once would crowd a two-core machine that the other projects run on too.
    fileParallelism: false,
  },
});
