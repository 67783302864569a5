import { defineConfig } from "vitest/config";

// `npm test` runs both projects: the Worker inside workerd, and the Node-side tools.
export default defineConfig({
  test: {
    projects: ["test/worker/vitest.config.ts", "test/node/vitest.config.ts"],
  },
});
