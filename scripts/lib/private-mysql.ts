import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ping } from "./mysql-admin";

const run = promisify(execFile);
const SEARCH_PATH = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin"];

function findBinary(names: string[]): string | undefined {
  for (const dir of SEARCH_PATH) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The server binary of a MariaDB or MySQL install, if this machine has one. */
export function findMysqlServerBinary(): string | undefined {
  return findBinary(["mariadbd", "mysqld"]);
}

export interface PrivateMysql {
  url: string;
  stop(): Promise<void>;
}

/** Creates the system tables on first use; root gets an empty password, reachable only on loopback. */
async function initializeDataDir(server: string, dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, "mysql"))) return;
  await mkdir(dataDir, { recursive: true });
  const installDb = findBinary(["mariadb-install-db", "mysql_install_db"]);
  if (server.endsWith("mariadbd") && installDb) {
    await run(installDb, [
      "--no-defaults",
      `--datadir=${dataDir}`,
      `--user=${userInfo().username}`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ]);
  } else {
    await run(server, [
      "--no-defaults",
      "--initialize-insecure",
      `--datadir=${dataDir}`,
      `--user=${userInfo().username}`,
    ]);
  }
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The private MySQL server exited early:\n${output()}`);
    try {
      await ping(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`The private MySQL server did not answer within 60 s:\n${output()}`);
}

/** Starts a MariaDB/MySQL server of our own on 127.0.0.1:port with its data under dataDir. */
export async function startPrivateMysql({ port, dataDir }: { port: number; dataDir: string }): Promise<PrivateMysql> {
  const server = findMysqlServerBinary();
  if (!server) throw new Error("No mariadbd or mysqld binary found");
  await initializeDataDir(server, dataDir);
  const child = spawn(
    server,
    [
      "--no-defaults",
      `--datadir=${dataDir}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${join(dataDir, "mysqld.sock")}`,
      `--pid-file=${join(dataDir, "mysqld.pid")}`,
      `--user=${userInfo().username}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `mysql://root@127.0.0.1:${port}`;
  await waitUntilReady(url, child, () => stderr);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
