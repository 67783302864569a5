/**
 * `npm test`: vitest against the MySQL/MariaDB server at TEST_MYSQL_URL (default
 * mysql://root@127.0.0.1:3306). When nothing answers there but `mariadbd` or `mysqld` is
 * installed, a private instance is started on that address with its data in a temporary
 * directory, the whole run uses it, and it is stopped and removed afterwards: when the tests pass,
 * fail, or the run is interrupted. Arguments go to vitest (`npm test -- --project node`).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_MYSQL_URL } from "./lib/database-url";
import { DatabaseUnreachableError, reachOrStartServer } from "./lib/local-database";

const dataDir = await mkdtemp(join(tmpdir(), "edge-auth-test-mysql-"));
const removeDataDir = () => rm(dataDir, { recursive: true, force: true });

let privateMysql: Awaited<ReturnType<typeof reachOrStartServer>>;
try {
  privateMysql = await reachOrStartServer(TEST_MYSQL_URL, { startPrivate: true, dataDir, setting: "TEST_MYSQL_URL" });
} catch (error) {
  await removeDataDir();
  console.error(error instanceof DatabaseUnreachableError ? error.message : error);
  process.exit(1);
}

const vitest = spawn("vitest", ["run", "--config", "test/vitest.config.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TEST_MYSQL_URL },
});

// Ctrl-C in a terminal reaches vitest too; a signal sent to us alone is passed on. Either way
// vitest exits first and the private server is stopped after it.
const forward = (signal: NodeJS.Signals) => vitest.exitCode === null && vitest.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
process.on("SIGHUP", forward);

const exitCode = await new Promise<number>((resolve) => {
  vitest.on("error", (error) => {
    console.error("Could not start vitest:", error);
    resolve(1);
  });
  vitest.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});
if (privateMysql) {
  await privateMysql.stop();
  console.log("Stopped the private MySQL instance");
}
await removeDataDir();
process.exit(exitCode);
