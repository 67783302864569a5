// Serves PlanetScale's HTTP API in front of a MySQL/MariaDB database:
//   tsx scripts/psdb/cli.ts --port 3900 --mysql mysql://root@127.0.0.1:3306/db --username u --password p
// Each option can come from the environment instead: PSDB_PORT, MYSQL_URL, PSDB_USERNAME, PSDB_PASSWORD.
import { parseArgs } from "node:util";
import { start } from "./server";

const USAGE =
  "usage: tsx scripts/psdb/cli.ts --port 3900 --mysql mysql://user:pass@host:3306/database --username u --password p";

function readOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.PSDB_PORT ?? "3900" },
      host: { type: "string" },
      mysql: { type: "string", default: process.env.MYSQL_URL },
      username: { type: "string", default: process.env.PSDB_USERNAME },
      password: { type: "string", default: process.env.PSDB_PASSWORD },
    },
  });
  const port = Number(values.port);
  const { host, mysql, username, password } = values;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${values.port}"`);
  if (!mysql || !username || password === undefined) throw new Error("--mysql, --username and --password are required");
  return { port, host, mysqlUrl: mysql, username, password };
}

function masked(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

function fail(message: string, exitCode: number): never {
  console.error(`psdb: ${message}`);
  process.exit(exitCode);
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions();
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const server = await start(options).catch((error: Error) => fail(`cannot start: ${error.message}`, 1));
console.log(`PlanetScale HTTP API on ${masked(server.url)} for ${masked(options.mysqlUrl)}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  // `once`: a second signal while closing falls back to Node's default and ends the process.
  process.once(signal, () => {
    server.close().catch((error: Error) => fail(`unclean shutdown: ${error.message}`, 1));
  });
}
