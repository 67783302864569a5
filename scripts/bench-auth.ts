/**
 * `npm run bench -- [--url http://127.0.0.1:8787] [--connections 8] [--requests 2000]
 * [--login-requests 40] [--no-baseline] [--only REGEXP]`, against `npm run dev -- --bench` on this machine: for each
 * scenario, requests/s and p50/p99 latency over N concurrent keep-alive connections, the CPU
 * milliseconds per request of the workerd process that runs the Worker (utime + stime of every
 * thread, from /proc/<pid>/stat, before and after; not wrangler's proxy workerd: the load goes
 * straight to the Worker's own socket), DB statements per request (counted by our
 * PlanetScale-protocol server) and KV reads per request (counted by the Worker). A hello-world
 * Worker under the same wrangler is measured first, in the same run, as the floor. Last, the CPU of
 * signing and verifying a token under HS256, ES256 and EdDSA in a workerd of its own
 * (scripts/lib/bench-signing.ts); `--signing-only` measures just that, with no Worker running.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { type Answer, kvReadsOf, load, markdownTable, percentile } from "./lib/bench";
import { setImportedHash } from "./lib/bench-imported-hash";
import { benchSigning } from "./lib/bench-signing";
import { type HelloWorker, startHelloWorker } from "./lib/hello-worker";
import { cpuSeconds, findStatementCounter, findWorkerd, firstAnswering, localObservability } from "./lib/workerd-cpu";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    connections: { type: "string", default: "8" },
    requests: { type: "string", default: "2000" },
    // A login runs PBKDF2 (about 50 ms of CPU): fewer of them.
    "login-requests": { type: "string", default: "40" },
    "no-baseline": { type: "boolean", default: false },
    // Only the scenarios whose name matches this regular expression (the hello-world floor runs too).
    only: { type: "string", default: "" },
    "signing-only": { type: "boolean", default: false },
  },
});
if (values["signing-only"]) {
  await benchSigning();
  process.exit(0);
}
const connections = Number(values.connections);
const requests = Number(values.requests);
const loginRequests = Number(values["login-requests"]);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Whether the origin serves the app: its /health answers as ours does. */
async function servesApp(origin: string): Promise<boolean> {
  const answer = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  return !!answer?.ok && (await answer.text()).includes('"db":"ok"');
}

const workerd = await findWorkerd(Number(new URL(values.url).port || 80));
// Which of the Worker's own sockets serves the app.
const entry = workerd && (await firstAnswering(workerd.workers, servesApp));
if (!workerd || !entry)
  fail(`No local wrangler dev of this Worker at ${values.url} whose workerd this bench can read.`);
if (await localObservability(workerd.wrangler)) {
  fail(
    "wrangler runs its local observability (X_LOCAL_OBSERVABILITY), whose trace collector shares the Worker's " +
      "workerd and would be counted as the Worker's CPU: start the Worker with `npm run dev -- --bench`.",
  );
}
const statementCounter = await findStatementCounter(workerd.wrangler);
const statements = async () =>
  statementCounter ? ((await (await fetch(statementCounter)).json()) as { statements: number }).statements : Number.NaN;

async function call(path: string, init: RequestInit = {}, origin = entry): Promise<Response> {
  return fetch(origin + path, init);
}
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});
/** Sends one request, checks its status, reads its body and the KV reads it reported. */
async function expectStatus(status: number, response: Promise<Response>): Promise<Answer & { body: string }> {
  const answer = await response;
  const body = await answer.text();
  if (answer.status !== status) throw new Error(`${answer.url}: ${answer.status}, not ${status}: ${body}`);
  return { status, body, kvReads: kvReadsOf(answer) };
}

const credentials = { email: `bench.${randomUUID().slice(0, 8)}@example.com`, password: "bench-Password-2718" };
// The limiter counts a login in flight until it ends: concurrent ones come from addresses of their
// own (TEST-NET-2), one per connection, so that no pair of account and address has two at once.
const login = (slot = 0) =>
  expectStatus(200, call("/auth/login/", json(credentials, { "CF-Connecting-IP": `198.51.100.${slot}` })));
await expectStatus(
  201,
  call(
    "/auth/register/",
    json({ ...credentials, password_confirm: credentials.password, fullName: "Bench User", role: "student" }),
  ),
);
const pair = async (slot = 0) =>
  (JSON.parse((await login(slot)).body) as { data: { access: string; refresh: string } }).data;
const { access } = await pair();
const { token } = JSON.parse((await expectStatus(200, call("/api/users/login/", json(credentials)))).body) as {
  token: string;
};
// A token of the right shape whose signature is not ours.
const forged = `${access.slice(0, access.lastIndexOf(".") + 1)}${"A".repeat(43)}`;
// Each connection refreshes its own session: every answer replaces the token it sends next.
const refreshTokens = await Promise.all(
  Array.from({ length: connections }, async (_, slot) => (await pair(slot)).refresh),
);
// Five wrong passwords fill the window of one account from one address (TEST-NET-3, random so
// that runs of the bench do not share counts); after them the limiter answers alone.
const attacker = `203.0.113.${randomBytes(1)[0]}`;
const wrongLogin = () =>
  call(
    "/auth/login/",
    json({ email: credentials.email, password: "wrong-Password-1" }, { "CF-Connecting-IP": attacker }),
  );
for (let i = 0; i < 5; i++) await expectStatus(401, wrongLogin());

// Imported Django hashes above 100,000 iterations are checked in pure JS (src/services/pbkdf2.ts):
// users with a 200,000-iteration hash, each given one wrong password (from an address of its own)
// so that no limit is met. Its CPU less a refused login's, halved, is the cost of 100,000.
const SLOW_ITERATIONS = 200_000;
const SLOW_USERS = 4 * connections;
const fresh = () => ({ "CF-Connecting-IP": `203.0.113.${randomBytes(1)[0]}` });
const slowUsers = Array.from({ length: SLOW_USERS }, () => `bench.slow.${randomUUID().slice(0, 8)}@example.com`);
for (const email of slowUsers) {
  const body = {
    email,
    password: credentials.password,
    password_confirm: credentials.password,
    fullName: "Slow",
    role: "student",
  };
  await expectStatus(201, call("/auth/register/", json(body, { "CF-Connecting-IP": `192.0.2.${randomBytes(1)[0]}` })));
}
await setImportedHash(slowUsers, credentials.password, SLOW_ITERATIONS);

interface Scenario {
  name: string;
  requests: number;
  pids: number[];
  /** Whether its requests reach our statement counter (the hello-world Worker has no database). */
  countsStatements: boolean;
  send(slot: number): Promise<Answer>;
}
const get = (path: string, authorization?: string) =>
  call(path, authorization ? { headers: { Authorization: authorization } } : {});
const scenario = (name: string, count: number, send: (slot: number) => Promise<Answer>): Scenario => ({
  name,
  requests: count,
  pids: workerd.workers,
  countsStatements: true,
  send,
});
const only = new RegExp(values.only, "i");
const scenarios: Scenario[] = [
  scenario("404 (unknown path)", requests, () => expectStatus(404, get("/nowhere"))),
  scenario("GET /auth/profile/, Bearer", requests, () => expectStatus(200, get("/auth/profile/", `Bearer ${access}`))),
  scenario("GET /api/users/me/, Token", requests, () => expectStatus(200, get("/api/users/me/", `Token ${token}`))),
  scenario("GET /auth/profile/, bad Bearer (401)", requests, () =>
    expectStatus(401, get("/auth/profile/", `Bearer ${forged}`)),
  ),
  scenario("POST /auth/refresh/", Math.min(requests, 500), async (slot) => {
    const answer = await expectStatus(200, call("/auth/refresh/", json({ refresh: refreshTokens[slot] })));
    refreshTokens[slot] = (JSON.parse(answer.body) as { data: { refresh: string } }).data.refresh;
    return answer;
  }),
  scenario("POST /auth/login/", loginRequests, login),
  scenario("POST /auth/login/ refused (429)", requests, () => expectStatus(429, wrongLogin())),
  scenario(`POST /auth/login/, wrong, imported ${SLOW_ITERATIONS} (401)`, SLOW_USERS / 2, () =>
    expectStatus(401, call("/auth/login/", json({ email: slowUsers.pop(), password: "wrong-Password-1" }, fresh()))),
  ),
].filter(({ name }) => only.test(name));

let hello: HelloWorker | undefined;
if (!values["no-baseline"]) {
  hello = await startHelloWorker();
  const { entry: origin } = hello;
  scenarios.unshift({
    ...scenario("hello-world Worker, same wrangler", requests, () => expectStatus(200, call("/", {}, origin))),
    pids: hello.workerd.workers,
    countsStatements: false,
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const rows: string[][] = [];
try {
  for (const { name, requests: count, pids, countsStatements, send } of scenarios) {
    // Warm up (JIT, connections), then wait for what runs after the responses (waitUntil).
    await load(connections, Math.min(count, 4 * connections), send);
    await settle();
    const [cpuBefore, statementsBefore] = [await cpuSeconds(pids), await statements()];
    const run = await load(connections, count, send);
    await settle();
    const [cpuAfter, statementsAfter] = [await cpuSeconds(pids), await statements()];
    const perRequest = (total: number, digits: number) => (total / count).toFixed(digits);
    rows.push([
      name,
      String(count),
      (count / run.seconds).toFixed(0),
      percentile(run.latencies, 50).toFixed(2),
      percentile(run.latencies, 99).toFixed(2),
      perRequest((cpuAfter - cpuBefore) * 1000, 3),
      !countsStatements || !statementCounter ? "–" : perRequest(statementsAfter - statementsBefore, 2),
      run.kvReads === undefined ? "–" : perRequest(run.kvReads, 2),
    ]);
    console.error(`done: ${name}`);
  }
} finally {
  await hello?.close();
}

console.log(
  `\nAgainst ${values.url} (the Worker's own socket ${entry}, workerd pid ${workerd.workers.join(", ")}), ` +
    `${connections} connections:\n`,
);
console.log(
  markdownTable(
    ["scenario", "requests", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "DB statements/req", "KV reads/req"],
    rows,
  ),
);
const cpuOf = (name: RegExp) => Number(rows.find((row) => name.test(row[0] ?? ""))?.[5]);
const per100k = (cpuOf(/imported/) - cpuOf(/refused/)) / (SLOW_ITERATIONS / 100_000);
if (Number.isFinite(per100k))
  console.log(`\nPure-JS PBKDF2-SHA256 in workerd: ${per100k.toFixed(1)} ms CPU per 100,000 iterations.`);
if (!statementCounter) console.log("\nDB statements: no counter found (the database is not our protocol server).");
if (!rows.some((row) => row[7] !== "–")) {
  console.log("\nKV reads: not counted (the Worker runs without BENCH_COUNTERS=on: `npm run dev -- --bench`).");
}

await benchSigning();
