// The CPU time of a local `wrangler dev`, read from Linux's /proc. Wrangler runs two workerd
// processes: one listens on the dev port and proxies, the other runs the Worker and its Durable
// Objects. A Worker cannot measure its own CPU time (its clocks stand still while it computes),
// so the bench reads the process's from outside.
import { readdir, readFile, readlink } from "node:fs/promises";

// Linux reports utime and stime in clock ticks of USER_HZ, 100 a second on every common platform.
const TICKS_PER_SECOND = 100;

export interface WorkerdProcesses {
  /** The process that listens on the port: wrangler's proxy. */
  proxy: number;
  /** Its sibling workerd processes: the Worker itself, with its Durable Objects. */
  workers: number[];
  /** The wrangler (Node) process that started them. */
  wrangler: number;
}

/** Every listening TCP socket of this machine: its inode -> its port. */
async function listeningSockets(): Promise<Map<string, number>> {
  const sockets = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = (await readFile(table, "utf8").catch(() => "")).split("\n").slice(1);
    for (const columns of lines.map((line) => line.trim().split(/\s+/))) {
      const [, local = "", , state, , , , , , inode = ""] = columns;
      // State 0A is LISTEN; the local address ends in the port, in hex.
      if (state === "0A") sockets.set(inode, Number.parseInt(local.split(":").at(-1) ?? "", 16));
    }
  }
  return sockets;
}

async function listeningInodes(port: number): Promise<Set<string>> {
  const sockets = await listeningSockets();
  return new Set([...sockets].filter(([, listening]) => listening === port).map(([inode]) => inode));
}

/**
 * The ports the Worker's own workerd listens on (its entry socket, the inspector, loopback
 * services), so that load can go to the Worker directly rather than through wrangler's proxy.
 */
async function listeningPorts(pid: number): Promise<number[]> {
  const sockets = await listeningSockets();
  const ports: number[] = [];
  for (const inode of await socketInodes(pid)) {
    const port = sockets.get(inode);
    if (port !== undefined) ports.push(port);
  }
  return ports;
}

/** The inodes of the sockets the process has open (none when it is gone or not ours to read). */
async function socketInodes(pid: number): Promise<string[]> {
  const inodes: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const inode = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""))?.[1];
    if (inode !== undefined) inodes.push(inode);
  }
  return inodes;
}

/**
 * The first origin (`http://127.0.0.1:PORT`) among the processes' listening sockets, in order, for
 * which `answers` holds: which of them serves what the caller looks for.
 */
export async function firstAnswering(
  processes: number[],
  answers: (origin: string) => Promise<boolean>,
): Promise<string | undefined> {
  for (const pid of processes) {
    for (const port of await listeningPorts(pid)) {
      const origin = `http://127.0.0.1:${port}`;
      if (await answers(origin)) return origin;
    }
  }
  return undefined;
}

async function pids(): Promise<number[]> {
  return (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
}

async function holdsSocket(pid: number, inodes: Set<string>): Promise<boolean> {
  return (await socketInodes(pid)).some((inode) => inodes.has(inode));
}

async function stat(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8");
  // The command name, in parentheses, may hold spaces: the fields that follow it are split.
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

const parentOf = async (pid: number) => Number((await stat(pid))[1]);
const commandOf = (pid: number) =>
  readFile(`/proc/${pid}/comm`, "utf8").then(
    (name) => name.trim(),
    () => "",
  );

/** The workerd processes of the `wrangler dev` that listens on `port`, or undefined (not Linux, not local, not workerd). */
export async function findWorkerd(port: number): Promise<WorkerdProcesses | undefined> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return undefined;
  const all = await pids();
  let proxy: number | undefined;
  for (const pid of all) if ((await commandOf(pid)) === "workerd" && (await holdsSocket(pid, inodes))) proxy = pid;
  if (proxy === undefined) return undefined;
  const parent = await parentOf(proxy);
  const workers = (await childWorkerd(parent)).filter((pid) => pid !== proxy);
  return { proxy, workers, wrangler: parent };
}

/**
 * Whether wrangler runs its local observability: unless X_LOCAL_OBSERVABILITY=false, a collector
 * Worker in the Worker's own workerd receives every request's trace and writes it to SQLite, work
 * that this bench would count as the Worker's (about 1 ms a request, more for one with subrequests).
 */
export async function localObservability(wrangler: number): Promise<boolean> {
  const environment = (await readFile(`/proc/${wrangler}/environ`, "utf8").catch(() => "")).split("\0");
  return !environment.some((entry) => entry.toLowerCase() === "x_local_observability=false");
}

/**
 * The statement counter of our PlanetScale-protocol server (scripts/psdb/server.ts, `GET /stats`),
 * which `npm run dev` runs in a process that started wrangler: found among the ancestors' sockets.
 */
export async function findStatementCounter(wrangler: number): Promise<string | undefined> {
  const ancestors: number[] = [];
  for (let pid = wrangler; pid > 1; pid = await parentOf(pid).catch(() => 0)) ancestors.push(pid);
  const counter = await firstAnswering(ancestors, async (origin) => {
    const stats = await fetch(`${origin}/stats`, { signal: AbortSignal.timeout(2000) })
      .then((answer) => answer.json() as Promise<{ statements?: unknown }>)
      .catch(() => undefined);
    return typeof stats?.statements === "number";
  });
  return counter && `${counter}/stats`;
}

/** CPU seconds (user and system, every thread) that the processes have used so far. */
export async function cpuSeconds(processes: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of processes) {
    const fields = await stat(pid);
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the command name.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** The workerd processes this process started (Miniflare's), for reading their CPU time. */
export async function childWorkerd(parent = process.pid): Promise<number[]> {
  const children: number[] = [];
  for (const pid of await pids()) {
    if ((await commandOf(pid)) === "workerd" && (await parentOf(pid).catch(() => 0)) === parent) children.push(pid);
  }
  return children;
}
