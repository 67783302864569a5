import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port";
import { ping } from "../../scripts/lib/mysql-admin";

// The run under test is a vitest of its own: it must not inherit this run's vitest state.
// One small worker test, with room for a cold start on a busy machine.
const HEALTH_TEST = ["--project", "worker", "--testTimeout", "60000", "test/integration/health.test.ts"];

const parentEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")));

function runNpmTest(mysqlPort: number, args: string[]) {
  const child = spawn("node_modules/.bin/tsx", ["scripts/test.ts", ...args], {
    env: { ...parentEnv, NO_COLOR: "1", TEST_MYSQL_URL: `mysql://root@127.0.0.1:${mysqlPort}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run = { child, output: "" };
  child.stdout?.on("data", (chunk: Buffer) => (run.output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (run.output += chunk));
  return run;
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

/**
 * The private instance is gone: nothing listens on its port and its data directory is removed.
 * tsx may hand the exit on a moment before its child has finished stopping the server, so the port
 * gets a few seconds to close.
 */
async function expectCleanedUp(mysqlPort: number, output: string) {
  const serverUrl = `mysql://root@127.0.0.1:${mysqlPort}`;
  const answers = () =>
    ping(serverUrl).then(
      () => true,
      () => false,
    );
  for (let tries = 0; tries < 40 && (await answers()); tries++) await new Promise((r) => setTimeout(r, 250));
  await expect(ping(serverUrl)).rejects.toThrow(/ECONNREFUSED/);
  const dataDir = /data in (\S+)\)/.exec(output)?.[1];
  expect(dataDir, output).toBeDefined();
  expect(existsSync(dataDir as string)).toBe(false);
}

describe("npm test", () => {
  it("runs the tests on a private MariaDB when nothing answers at TEST_MYSQL_URL, then stops it", async () => {
    const port = await freePort();
    const run = runNpmTest(port, HEALTH_TEST);
    expect(await exitOf(run.child), run.output).toBe(0);
    expect(run.output).toMatch(/starting a private instance/);
    expect(run.output).toMatch(/Tests\s+1 passed/);
    await expectCleanedUp(port, run.output);
  }, 150_000);

  it("stops the private instance and fails the run when the tests fail", async () => {
    const port = await freePort();
    const run = runNpmTest(port, ["--project", "worker", "test/integration/no-such-file.test.ts"]);
    expect(await exitOf(run.child), run.output).not.toBe(0);
    expect(run.output).toMatch(/No test files found/);
    await expectCleanedUp(port, run.output);
  }, 150_000);

  it("stops the private instance when the run is interrupted", async () => {
    const port = await freePort();
    const run = runNpmTest(port, HEALTH_TEST);
    const deadline = Date.now() + 120_000;
    while (!/RUN/.test(run.output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    run.child.kill("SIGINT");
    expect(await exitOf(run.child), run.output).not.toBe(0);
    await expectCleanedUp(port, run.output);
  }, 150_000);
});
