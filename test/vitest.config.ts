import { defineConfig } from "vitest/config";

// `npm test` runs all three projects: the Worker inside workerd, the Node-side tools, and real
// Chromium against `wrangler dev`.
export default defineConfig({
  test: {
    reporters: ["default", "./test/openapi-reporter.ts"],
    // Every registration mails a verification link; the Worker tests read the outbox, not these lines.
    onConsoleLog: (log) => !log.startsWith("[mail]"),
    projects: ["test/worker/vitest.config.ts", "test/node/vitest.config.ts", "test/browser/vitest.config.ts"],
  },
});
