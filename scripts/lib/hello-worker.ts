// The bench's floor: a hello-world Worker under `wrangler dev`, the same wrangler and workerd as
// ours and the same local observability setting, so that what a request costs any Worker there is
// measured in the same run as what ours costs.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";
import { findWorkerd, firstAnswering, type WorkerdProcesses } from "./workerd-cpu";

const SCRIPT = 'export default { fetch: () => new Response("hello world") };\n';

export interface HelloWorker {
  /** The Worker's own socket (not wrangler's proxy). */
  entry: string;
  workerd: WorkerdProcesses;
  close(): Promise<void>;
}

async function answers(origin: string): Promise<boolean> {
  const answer = await fetch(origin, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  return answer?.ok === true && (await answer.text()) === "hello world";
}

/** Starts it, waits until it answers (at most a minute), and finds its workerd and socket. */
export async function startHelloWorker(): Promise<HelloWorker> {
  const dir = await mkdtemp(join(tmpdir(), "edge-auth-hello-"));
  await writeFile(join(dir, "index.js"), SCRIPT);
  await writeFile(join(dir, "wrangler.toml"), 'name = "hello"\nmain = "index.js"\ncompatibility_date = "2026-11-01"\n');
  const port = await freePort();
  const wrangler = spawn("wrangler", ["dev", "--port", String(port), "--ip", "127.0.0.1"], {
    cwd: dir,
    stdio: "ignore",
    // Off, as the bench requires of ours (localObservability): its collector would count as the Worker's CPU.
    env: { ...process.env, X_LOCAL_OBSERVABILITY: "false" },
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
    const entry = workerd && (await firstAnswering(workerd.workers, answers));
    if (workerd && entry) return { entry, workerd, close };
    throw new Error("the hello-world Worker's own workerd socket was not found");
  } catch (error) {
    await close();
    throw error;
  }
}
