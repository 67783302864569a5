/**
 * `npm run dev`: one command from a fresh clone to a Worker answering on localhost against MySQL.
 * Creates .dev.vars, reaches (or starts) MySQL, migrates, serves it over PlanetScale's protocol,
 * and runs `wrangler dev`; Ctrl-C stops everything it started.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureDevVars } from "./lib/dev-vars";
import { DatabaseUnreachableError, openDatabase } from "./lib/local-database";
import { printAndKeep, startMailCatcher } from "./lib/mail-catcher";
import { migrateOverHttp } from "./lib/migrate";

const DEV_VARS = ".dev.vars";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    // Where a private MySQL instance keeps its data when one has to be started.
    "state-dir": { type: "string", default: ".wrangler/state" },
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
  MAIL_TRANSPORT: "http",
  MAIL_API_URL: `${catcher.url}/emails`,
  MAIL_API_KEY: catcher.apiKey,
};

// DATABASE_URL holds the protocol server's password, so it goes through the environment, which
// only this user can read, never the command line, which `ps` shows to everyone. Wrangler reads it
// there for the secrets wrangler.toml declares, but only when told its env files (.dev.vars alone
// would shut the environment out): values in the environment win over the file's.
const varArgs = Object.entries(mailVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
const wrangler = spawn(
  "wrangler",
  ["dev", "--port", values.port, "--ip", "127.0.0.1", "--env-file", DEV_VARS, ...varArgs],
  {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: database.url },
  },
);

// Ctrl-C in a terminal reaches wrangler too; a signal sent to us alone is passed on. Either way
// wrangler exits first and we clean up after it.
const forward = (signal: NodeJS.Signals) => wrangler.exitCode === null && wrangler.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
wrangler.on("exit", async (code) => {
  await Promise.all([database.close(), catcher.close()]);
  process.exit(code ?? 0);
});
