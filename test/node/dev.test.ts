import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port";
import { ping } from "../../scripts/lib/mysql-admin";

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

/** The command lines of every process below `root`, as `ps` shows them to any user. */
async function descendantCommandLines(root: number): Promise<string[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last ")".
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const isBelow = (pid: number) => {
    for (let parent = parents.get(pid); parent; parent = parents.get(parent)) if (parent === root) return true;
    return false;
  };
  const below = [...parents.keys()].filter(isBelow);
  return Promise.all(below.map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")));
}

describe("npm run dev", () => {
  let stateDir = "";
  afterAll(() => rm(stateDir, { recursive: true, force: true }));

  it("starts a private MariaDB when none listens, serves /health from it, keeps the database password off every command line, prints and keeps a reset's mail, and stops it all on Ctrl-C", async () => {
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
      const commandLines = (await descendantCommandLines(dev.pid ?? 0)).map((line) => line.replaceAll("\0", " "));
      expect(
        commandLines.some((line) => /wrangler\S* dev/.test(line)),
        commandLines.join("\n"),
      ).toBe(true);
      for (const line of commandLines) {
        // The protocol server's URL is http://local:<password>@127.0.0.1:<port>.
        expect(line).not.toMatch(/DATABASE_URL|:\/\/[^\s/@]+:[^\s/@]+@/);
      }
      // A reset's mail is printed, link on its own line on this server's address, and kept as files.
      const email = `dev.${Date.now()}@example.com`;
      const post = (path: string, body: unknown) =>
        fetch(`http://127.0.0.1:${httpPort}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      const registration = { email, password: "dev-Test-password-7", password_confirm: "dev-Test-password-7" };
      expect((await post("/auth/register/", { ...registration, fullName: "Dev", role: "student" })).status).toBe(201);
      expect((await post("/auth/password-reset/", { email })).status).toBe(200);
      const printed = new RegExp(
        `Mail to ${email.replaceAll(".", "\\.")}\\n   Subject: Reset your password · edge-auth\\n` +
          `   Link: http://127\\.0\\.0\\.1:${httpPort}/account/reset-password\\?token=[\\w-]{43}\\n   Kept as (\\S+)\\.eml`,
      );
      const deadline = Date.now() + 10_000;
      while (!printed.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const kept = printed.exec(output)?.[1];
      expect(kept, output).toBeDefined();
      expect(await readFile(`${kept}.eml`, "utf8")).toMatch(/^From: edge-auth <no-reply@example\.com>\r\nTo: /);
    } finally {
      dev.kill("SIGINT");
      await exited;
    }
    await expect(ping(`mysql://root@127.0.0.1:${mysqlPort}`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetch(`http://127.0.0.1:${httpPort}/health`)).rejects.toThrow();
  }, 150_000);
});
