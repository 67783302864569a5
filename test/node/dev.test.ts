import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ping } from "../../scripts/lib/mysql-admin";
import { freePort } from "./helpers/free-port";

async function waitForHealth(url: string, child: ChildProcess, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

describe("npm run dev", () => {
  let stateDir = "";
  afterAll(() => rm(stateDir, { recursive: true, force: true }));

  it("starts a private MariaDB when none listens, serves /health from it, and stops it all on Ctrl-C", async () => {
    const [mysqlPort, httpPort] = [await freePort(), await freePort()];
    stateDir = await mkdtemp(join(tmpdir(), "edge-auth-dev-"));
    const dev = spawn(
      "node_modules/.bin/tsx",
      ["scripts/dev.ts", "--port", String(httpPort), "--state-dir", stateDir],
      {
        env: { ...process.env, DATABASE_URL: `mysql://root@127.0.0.1:${mysqlPort}/auth_devtest` },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    dev.stdout?.on("data", (chunk: Buffer) => (output += chunk));
    dev.stderr?.on("data", (chunk: Buffer) => (output += chunk));
    const exited = once(dev, "exit");
    try {
      const response = await waitForHealth(`http://127.0.0.1:${httpPort}/health`, dev, 90_000);
      expect(response.status, output).toBe(200);
      expect(await response.json()).toEqual({ success: true, data: { db: "ok" } });
      expect(output).toMatch(/starting a private instance/);
    } finally {
      dev.kill("SIGINT");
      await exited;
    }
    await expect(ping(`mysql://root@127.0.0.1:${mysqlPort}`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetch(`http://127.0.0.1:${httpPort}/health`)).rejects.toThrow();
  }, 150_000);
});
