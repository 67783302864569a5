/**
 * `npm run bench -- [--url http://127.0.0.1:8787] [--runs 20] [--cpu-runs 500]`: latency of a
 * login and of an authenticated profile read, under `/auth/` (JWT) and `/api/users/` (Token), and
 * of a login the limiter refuses, against a running Worker (e.g. `npm run dev`), median of N. For a
 * local `wrangler dev` on Linux it also reads the CPU time that the Worker's workerd process spends
 * on a refused login and on a wrong password that reaches the PBKDF2 check. Last, the CPU of
 * signing and verifying a token under HS256, ES256 and EdDSA in a workerd of its own
 * (scripts/lib/bench-signing.ts); `--signing-only` measures just that, with no Worker running.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { median } from "./lib/bench";
import { benchSigning } from "./lib/bench-signing";
import { cpuSeconds, findWorkerd, listeningPorts } from "./lib/workerd-cpu";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    runs: { type: "string", default: "20" },
    "cpu-runs": { type: "string", default: "500" },
    "signing-only": { type: "boolean", default: false },
  },
});
if (values["signing-only"]) {
  await benchSigning();
  process.exit(0);
}
const base = values.url;
const runs = Number(values.runs);
const cpuRuns = Number(values["cpu-runs"]);

async function post(path: string, body: unknown) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ data: { access: string }; token: string }>;
}

const credentials = { email: `bench.${randomUUID().slice(0, 8)}@example.com`, password: "bench-Password-2718" };
await post("/auth/register/", {
  ...credentials,
  password_confirm: credentials.password,
  fullName: "Bench User",
  role: "student",
});
const { access } = (await post("/auth/login/", credentials)).data;
await median("POST /auth/login/", runs, () => post("/auth/login/", credentials));
async function read(path: string, authorization: string): Promise<void> {
  const response = await fetch(base + path, { headers: { Authorization: authorization } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  await response.arrayBuffer();
}
await median("GET /auth/profile/", runs, () => read("/auth/profile/", `Bearer ${access}`));
const { token } = await post("/api/users/login/", credentials);
await median("POST /api/users/login/", runs, () => post("/api/users/login/", credentials));
await median("GET /api/users/me/", runs, () => read("/api/users/me/", `Token ${token}`));

// Refused logins: 5 wrong passwords fill the window of one account from one address, after which
// the limiter answers alone. The address is a random one of 203.0.113.0/24 (TEST-NET-3), so runs
// of the bench do not share counts.
const address = () => `203.0.113.${randomBytes(1)[0]}`;
async function attempt(email: string, from: string, expected: number, origin = base): Promise<void> {
  const response = await fetch(`${origin}/auth/login/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": from },
    body: JSON.stringify({ email, password: "wrong-Password-1" }),
  });
  if (response.status !== expected) throw new Error(`login: ${response.status}, not ${expected}`);
  await response.arrayBuffer();
}
const attacker = address();
for (let i = 0; i < 5; i++) await attempt(credentials.email, attacker, 401);
await median("POST /auth/login/ refused (429)", runs, () => attempt(credentials.email, attacker, 429));

/** CPU milliseconds per call of `run`, for each group of processes, over `count` calls. */
async function cpuPerRequest(groups: number[][], count: number, run: () => Promise<void>): Promise<number[]> {
  const before = await Promise.all(groups.map(cpuSeconds));
  for (let i = 0; i < count; i++) await run();
  const after = await Promise.all(groups.map(cpuSeconds));
  return after.map((seconds, i) => ((seconds - (before[i] ?? 0)) * 1000) / count);
}
/** Which of the Worker's own sockets serves the app: the one whose /health answers as ours does. */
async function entryOf(pids: number[]): Promise<string | undefined> {
  for (const pid of pids) {
    for (const port of await listeningPorts(pid)) {
      const origin = `http://127.0.0.1:${port}`;
      const answer = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      if (answer?.ok && (await answer.text()).includes('"db":"ok"')) return origin;
    }
  }
  return undefined;
}
const workerd = await findWorkerd(Number(new URL(base).port || 80));
const entry = workerd && (await entryOf(workerd.workers));
if (workerd && entry) {
  // The load goes to the Worker's own socket, so that wrangler's proxy does none of the work.
  console.log(`CPU: the Worker's workerd (pids ${workerd.workers.join(", ")}), load sent to its own socket ${entry}`);
  const groups = [workerd.workers, [workerd.proxy]];
  const ms = (value = Number.NaN) => `${value.toFixed(3)} ms`;
  const describe = ([worker, proxy]: number[]) =>
    `${ms(worker)} in the Worker's workerd, ${ms(proxy)} in wrangler's proxy`;
  // For scale: an unknown path (404), and a 401 that needs no I/O at all.
  const notFound = await cpuPerRequest(groups, cpuRuns, async () => {
    await (await fetch(`${entry}/nowhere`)).arrayBuffer();
  });
  console.log(`CPU of a 404, over ${cpuRuns}: ${describe(notFound)}`);
  const floor = await cpuPerRequest(groups, cpuRuns, async () => {
    await (await fetch(`${entry}/auth/profile/`)).arrayBuffer();
  });
  console.log(`CPU of a 401 without credentials, over ${cpuRuns}: ${describe(floor)}`);
  await attempt(credentials.email, attacker, 429, entry);
  const refused = await cpuPerRequest(groups, cpuRuns, () => attempt(credentials.email, attacker, 429, entry));
  console.log(`CPU of a refused login (429), over ${cpuRuns}: ${describe(refused)}`);
  // Each from a fresh email and address, so that every one reaches the password check.
  const checked = await cpuPerRequest(groups, runs, () =>
    attempt(`bench.${randomUUID().slice(0, 8)}@example.com`, address(), 401, entry),
  );
  console.log(`CPU of a wrong password checked (PBKDF2), over ${runs}: ${describe(checked)}`);
} else {
  console.log(
    "CPU: not measured (it needs a local wrangler dev on Linux, whose /proc and sockets this bench can read)",
  );
}
await benchSigning();
