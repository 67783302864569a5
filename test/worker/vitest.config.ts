import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

export default defineProject({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          JWT_SECRET: inject("jwtSecret"),
          // The stand-in range server, in the default mode whatever a developer's .dev.vars says.
          PWNED_PASSWORDS_URL: `${inject("pwnedServerUrl")}/range/`,
          BREACHED_PASSWORD_CHECK: "on",
          // Links in mail are built from it; the console transport keeps what it "sends" in its outbox.
          PUBLIC_URL: "https://auth.example.test",
          MAIL_TRANSPORT: "console",
          REQUIRE_EMAIL_VERIFICATION: "false",
        },
      },
    })),
  ],
  test: {
    name: "worker",
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // A file's first request starts its isolate and warms the database path: several seconds on a
    // loaded two-core machine, while the node and browser projects run beside it.
    testTimeout: 20_000,
    // One workerd for many files rather than one per file: each start costs ~1.7 s on this machine.
    // Files share no state but the database (every test makes its own users) and KV.
    isolate: false,
    setupFiles: ["test/helpers/openapi-tally.ts"],
  },
});
