/**
 * `npm run dev`: one command from a fresh clone to a Worker answering on localhost against MySQL.
 * Creates .dev.vars, reaches (or starts) MySQL, migrates, serves it over PlanetScale's protocol,
 * and runs `wrangler dev`; Ctrl-C stops everything it started.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureDevVars } from "./lib/dev-vars";
import { DatabaseUnreachableError, openDatabase } from "./lib/local-database";
import { printAndKeep, startMailCatcher } from "./lib/mail-catcher";
import { migrateOverHttp } from "./lib/migrate";

const DEV_VARS = ".dev.vars";
const BENCH_CONFIG = "wrangler.bench.toml";

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

// Mail goes to a catcher on this machine through the Worker's http transport, exactly as it would
// go to the provider: the catcher prints each message and keeps it as files (a Worker cannot write
// files). Links are built from PUBLIC_URL, this server's own address. Nothing leaves the machine.
const mailDir = join(values["state-dir"], "mail");
const catcher = await startMailCatcher({ onMail: printAndKeep(mailDir) });
const publicUrl = `http://127.0.0.1:${values.port}`;
console.log(`Mail: printed here and kept in ${mailDir}/ (links on ${publicUrl})`);
// The catcher's key is a throwaway for this run that only the local catcher accepts, so unlike
// DATABASE_URL it may stand on the command line.
const mailVars = {
  PUBLIC_URL: publicUrl,
  ...catcher.workerVars,
};

// DATABASE_URL holds the protocol server's password, so it goes through the environment, which
// only this user can read, never the command line, which `ps` shows to everyone. Wrangler reads it
// there for the secrets wrangler.toml declares, but only when told its env files (.dev.vars alone
// would shut the environment out): values in the environment win over the file's.
//
// --bench: wrangler's local observability (on by default, X_LOCAL_OBSERVABILITY) hands every
// request's trace to a collector Worker in the Worker's own workerd, which stores it in SQLite:
// that work would be counted as the Worker's CPU and roughly triples a small request's, so it is
// off. So are static assets: under wrangler dev every request goes through the asset router, a
// Worker in the same workerd that looks the path up before ours runs, adding 1 to 1.5 ms of CPU to
// each (measured with a hello-world Worker, 0.96 ms with assets off, 2.0-2.5 ms on); deployed,
// Cloudflare routes assets before the Worker and none of that is the Worker's CPU. BENCH_COUNTERS
// makes the Worker report each request's KV reads (middleware/services.ts).
const benchArgs = values.bench ? ["--config", benchConfig(), "--var", "BENCH_COUNTERS:on"] : [];
/** wrangler.toml without its [assets] table, beside it (paths in it are relative to it); git ignores it. */
function benchConfig(): string {
  const config = readFileSync("wrangler.toml", "utf8").replace(/^\[assets\]\n(?:[^[\n].*\n)*/m, "");
  writeFileSync(BENCH_CONFIG, config);
  return BENCH_CONFIG;
}

const benchEnv = values.bench ? { X_LOCAL_OBSERVABILITY: "false" } : {};
const varArgs = Object.entries(mailVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
const devArgs = ["dev", "--port", values.port, "--ip", "127.0.0.1", "--env-file", DEV_VARS, ...varArgs, ...benchArgs];
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
  await Promise.all([database.close(), catcher.close()]);
  process.exit(code ?? 0);
});
