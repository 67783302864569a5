import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { dropDatabase } from "../../scripts/lib/mysql-admin";

const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const DATABASE = `keys_test_${randomBytes(6).toString("hex")}`;
const KEK = randomBytes(32).toString("base64");
const ES256 = { JWT_ALGORITHM: "ES256", JWT_KEY_ENCRYPTION_KEY: KEK };

// A developer's own key vars must not decide what the CLI is tested with.
const withoutKeyVars = ({
  JWT_ALGORITHM,
  JWT_KEY_ENCRYPTION_KEY,
  JWT_KEY_PUBLISH_SECONDS,
  ...rest
}: NodeJS.ProcessEnv) => rest;

type Run = { code: number | null; stdout: string; stderr: string };

function keys(args: string[], env: Record<string, string> = ES256): Promise<Run> {
  const child = spawn("node_modules/.bin/tsx", ["scripts/keys.ts", ...args], {
    env: { ...withoutKeyVars(process.env), DATABASE_URL: `${MYSQL_SERVER_URL}/${DATABASE}`, ...env },
  });
  child.stdin.end();
  const result: Run = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (result.stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (result.stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ ...result, code })));
}

afterAll(async () => {
  await dropDatabase(MYSQL_SERVER_URL, DATABASE);
});

// Each run starts tsx and migrates the database first, a few seconds on two cores: few runs, and
// every command prints the keys after its change, so no separate list is needed.
describe.concurrent("npm run keys:*", { timeout: 60_000 }, () => {
  it("rotates in a first key and a next one, revokes the first, and never prints a private key", async () => {
    const first = await keys(["rotate"]);
    expect(first.code, first.stderr).toBe(0);
    const kid = /Added ([\w-]+) \(ES256\)/.exec(first.stdout)?.[1] as string;
    expect(first.stdout).toMatch(/'current'/);

    const second = await keys(["rotate"], { ...ES256, JWT_KEY_PUBLISH_SECONDS: "300" });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/'current'[\s\S]*'next'/);

    const revoked = await keys(["rotate", "--revoke", kid]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${kid}`);
    expect(revoked.stdout).toMatch(/'revoked'[\s\S]*'current'/);
    expect(`${first.stdout}${second.stdout}${revoked.stdout}`).not.toMatch(/"d"|v1\./);
  });

  it("refuses a rotation under HS256, before it opens the database", async () => {
    // The other refusals (no JWT_KEY_ENCRYPTION_KEY, a malformed one) are Config's, tested in workerd.
    const hs256 = await keys(["rotate"], {});
    expect(hs256.code).toBe(1);
    expect(hs256.stderr).toMatch(/JWT_ALGORITHM is HS256/);
  });
});
