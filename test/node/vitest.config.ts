import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The Node-side tools (the local PlanetScale HTTP server, scripts), tested in plain Node.
export default defineProject({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "node",
    include: ["test/node/**/*.test.ts"],
    environment: "node",
  },
});
