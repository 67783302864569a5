/**
 * `npm run dev`: one command from a fresh clone to a Worker answering on localhost against MySQL.
 * Creates .dev.vars, reaches (or starts) MySQL, migrates, serves it over PlanetScale's protocol,
 * and runs `wrangler dev`; Ctrl-C stops everything it started.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { ensureDevVars } from "./lib/dev-vars";
import { DatabaseUnreachableError, openDatabase } from "./lib/local-database";
import { migrateOverHttp } from "./lib/migrate";

const DEV_VARS = ".dev.vars";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    // Where a private MySQL instance keeps its data when one has to be started.
    "state-dir": { type: "string", default: ".wrangler/state" },
    // For `npm run bench`: see below.
    bench: { type: "boolean", default: false },
  },
});

if (await ensureDevVars(DEV_VARS)) console.log(`Created ${DEV_VARS} with a random JWT_SECRET`);

let database: Awaited<ReturnType<typeof openDatabase>>;
try {
  database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    startPrivate: true,
    stateDir: values["state-dir"],
  });
} catch (error) {
  console.error(error instanceof DatabaseUnreachableError ? error.message : error);
  process.exit(1);
}

try {
  await migrateOverHttp(database.url);
} catch (error) {
  console.error("Migrations failed:", error);
  await database.close();
  process.exit(1);
}
console.log(`Database: ${database.description}, migrated`);

// DATABASE_URL holds the protocol server's password, so it goes through the environment, which
// only this user can read, never the command line, which `ps` shows to everyone. Wrangler reads it
// there for the secrets wrangler.toml declares, but only when told its env files (.dev.vars alone
// would shut the environment out): values in the environment win over the file's.
//
// --bench: wrangler's local observability (on by default, X_LOCAL_OBSERVABILITY) hands every
// request's trace to a collector Worker in the Worker's own workerd, which stores it in SQLite:
// that work would be counted as the Worker's CPU and roughly triples a small request's, so it is
// off. BENCH_COUNTERS makes the Worker report each request's KV reads (middleware/services.ts).
const benchArgs = values.bench ? ["--var", "BENCH_COUNTERS:on"] : [];
const benchEnv = values.bench ? { X_LOCAL_OBSERVABILITY: "false" } : {};
const devArgs = ["dev", "--port", values.port, "--ip", "127.0.0.1", "--env-file", DEV_VARS, ...benchArgs];
const wrangler = spawn("wrangler", devArgs, {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: database.url, ...benchEnv },
});

// Ctrl-C in a terminal reaches wrangler too; a signal sent to us alone is passed on. Either way
// wrangler exits first and we clean up after it.
const forward = (signal: NodeJS.Signals) => wrangler.exitCode === null && wrangler.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
wrangler.on("exit", async (code) => {
  await database.close();
  process.exit(code ?? 0);
});
