// The bench's floor: a hello-world Worker under `wrangler dev`, the same wrangler and workerd as
// ours and the same local observability setting, so that what a request costs any Worker there is
// measured in the same run as what ours costs.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findWorkerd, listeningPorts, type WorkerdProcesses } from "./workerd-cpu";

const SCRIPT = 'export default { fetch: () => new Response("hello world") };\n';

export interface HelloWorker {
  /** The Worker's own socket (not wrangler's proxy). */
  entry: string;
  workerd: WorkerdProcesses;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function answers(origin: string): Promise<boolean> {
  const answer = await fetch(origin, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  return answer?.ok === true && (await answer.text()) === "hello world";
}

/** Starts it, waits until it answers (at most a minute), and finds its workerd and socket. */
export async function startHelloWorker(observability: boolean): Promise<HelloWorker> {
  const dir = await mkdtemp(join(tmpdir(), "edge-auth-hello-"));
  await writeFile(join(dir, "index.js"), SCRIPT);
  await writeFile(join(dir, "wrangler.toml"), 'name = "hello"\nmain = "index.js"\ncompatibility_date = "2026-11-01"\n');
  const port = await freePort();
  const wrangler = spawn("wrangler", ["dev", "--port", String(port), "--ip", "127.0.0.1"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, X_LOCAL_OBSERVABILITY: String(observability) },
  });
  const exited = new Promise((resolve) => wrangler.once("exit", resolve));
  const close = async () => {
    if (wrangler.exitCode === null) wrangler.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    while (!(await answers(`http://127.0.0.1:${port}`))) {
      if (Date.now() > deadline || wrangler.exitCode !== null) throw new Error("the hello-world Worker did not start");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const workerd = await findWorkerd(port);
    for (const pid of workerd?.workers ?? []) {
      for (const own of await listeningPorts(pid)) {
        const entry = `http://127.0.0.1:${own}`;
        if (workerd && (await answers(entry))) return { entry, workerd, close };
      }
    }
    throw new Error("the hello-world Worker's own workerd socket was not found");
  } catch (error) {
    await close();
    throw error;
  }
}
