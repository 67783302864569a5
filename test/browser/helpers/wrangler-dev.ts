import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../scripts/lib/free-port";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const READY_WITHIN_MS = 60_000;

export interface WranglerDev {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs `wrangler dev` on free ports with the given vars (nothing written to .dev.vars) and KV
 * state under persistTo, and resolves once GET /health answers 200. Fails with wrangler's output
 * when it exits or does not get there in time.
 */
export async function startWranglerDev({
  vars,
  persistTo,
  port: chosenPort,
}: {
  vars: Record<string, string>;
  persistTo: string;
  /** The port to serve on (a free one if not given), for vars that must name the Worker's address. */
  port?: number;
}): Promise<WranglerDev> {
  const [port, inspectorPort] = [chosenPort ?? (await freePort()), await freePort()];
  const child = spawn(
    `${ROOT}node_modules/.bin/wrangler`,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      // Its default, 9229, would clash with any other wrangler dev running at the same time.
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistTo,
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    // Its own process group, so that stopping it stops workerd too.
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  // Startup problems show at the head of the output, the cause of an exit at its tail.
  let head = "";
  let tail = "";
  const record = (chunk: Buffer) => {
    if (head.length < 4000) head += chunk.toString();
    else tail = (tail + chunk.toString()).slice(-4000);
  };
  const output = () => (tail ? `${head}\n...\n${tail}` : head);
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);
  const exited = once(child, "exit");
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  // Should the test run die without its teardown, wrangler must not outlive it.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  const stop = async () => {
    process.off("exit", onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup("SIGKILL");
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_WITHIN_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}) before serving:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return { url, stop };
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev: GET ${url}/health not 200 within ${READY_WITHIN_MS / 1000} s (${last}):\n${output()}`);
}
