/**
 * `npm run bench -- [--url http://127.0.0.1:8787] [--runs 20]`: latency of a login and of an
 * authenticated profile read, under `/auth/` (JWT) and `/api/users/` (Token), against a running
 * Worker (e.g. `npm run dev`), median of N.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { median } from "./lib/bench";

const { values } = parseArgs({
  options: { url: { type: "string", default: "http://127.0.0.1:8787" }, runs: { type: "string", default: "20" } },
});
const base = values.url;
const runs = Number(values.runs);

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
