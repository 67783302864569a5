import { defineConfig } from "vitest/config";

// `npm test` runs all three projects: the Worker inside workerd, the Node-side tools, and real
// Chromium against `wrangler dev`.
export default defineConfig({
  test: {
    reporters: ["default", "./test/openapi-reporter.ts"],
    projects: ["test/worker/vitest.config.ts", "test/node/vitest.config.ts", "test/browser/vitest.config.ts"],
  },
});
