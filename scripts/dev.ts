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

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    // Where a private MySQL instance keeps its data when one has to be started.
    "state-dir": { type: "string", default: ".wrangler/state" },
  },
});

if (await ensureDevVars()) console.log("Created .dev.vars with a random JWT_SECRET");

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

const wrangler = spawn(
  "wrangler",
  ["dev", "--port", values.port, "--ip", "127.0.0.1", "--var", `DATABASE_URL:${database.url}`],
  { stdio: "inherit" },
);

// Ctrl-C in a terminal reaches wrangler too; a signal sent to us alone is passed on. Either way
// wrangler exits first and we clean up after it.
const forward = (signal: NodeJS.Signals) => wrangler.exitCode === null && wrangler.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
wrangler.on("exit", async (code) => {
  await database.close();
  process.exit(code ?? 0);
});
