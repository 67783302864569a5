import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("openapi.json", () => {
  it("is what the code describes (npm run openapi:check)", () => {
    const run = spawnSync("node_modules/.bin/tsx", ["scripts/openapi.ts", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    // A second Node process that loads the whole app: seconds on a busy two-core machine.
  }, 60_000);

  it("is a valid OpenAPI 3.1 document, every $ref resolving", async () => {
    const validator = new Validator();
    const result = await validator.validate(`${ROOT}openapi.json`);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });
});
