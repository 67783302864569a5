import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { start as startPsdbServer } from "../psdb/server";
import { redact, resolveDatabaseTarget, withDatabase } from "./database-url";
import { createDatabase, ping } from "./mysql-admin";
import { findMysqlServerBinary, type PrivateMysql, startPrivateMysql } from "./private-mysql";

export interface OpenDatabaseOptions {
  /** DATABASE_URL as given: unset, a mysql:// URL, or a PlanetScale https:// URL. */
  databaseUrl: string | undefined;
  /** Where a private MySQL instance keeps its data when one has to be started. */
  stateDir?: string;
  /** Start a private instance when nothing answers at a local address (npm run dev does). */
  startPrivate?: boolean;
}

export interface OpenDatabase {
  /** A PlanetScale-protocol URL: give it to `@planetscale/database` or the Worker's DATABASE_URL. */
  url: string;
  /** What was reached, safe to print. */
  description: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Thrown when no database can be reached or started; its message says how to fix that. */
export class DatabaseUnreachableError extends Error {}

/**
 * Reaches the MySQL server at serverUrl, or, when nothing answers at a loopback address and
 * `startPrivate` is set, starts a MariaDB/MySQL instance of our own on its port with its data in
 * `dataDir`. Resolves to that instance (stop it when done), or undefined when one already answered.
 */
export async function reachOrStartServer(
  serverUrl: string,
  {
    startPrivate = false,
    dataDir,
    setting = "DATABASE_URL",
  }: {
    startPrivate?: boolean;
    dataDir: string /** The variable that names the server, for the hint. */;
    setting?: string;
  },
): Promise<PrivateMysql | undefined> {
  try {
    await ping(serverUrl);
    return undefined;
  } catch (cause) {
    const { hostname, port } = new URL(serverUrl);
    const canStart = startPrivate && LOOPBACK.has(hostname) && findMysqlServerBinary();
    if (!canStart) {
      throw new DatabaseUnreachableError(
        `No MySQL/MariaDB server answers at ${redact(serverUrl)} (${(cause as Error).message}). ` +
          "Start one there, install MariaDB or MySQL (e.g. `apt-get install mariadb-server`) so a private " +
          `instance can be started, or set ${setting} to a reachable mysql:// or PlanetScale https:// URL.`,
      );
    }
    console.log(`No MySQL at ${redact(serverUrl)}: starting a private instance (data in ${dataDir})`);
    return startPrivateMysql({ port: Number(port || 3306), dataDir });
  }
}

/**
 * Opens the database DATABASE_URL names, the one way every script does: a PlanetScale URL is used
 * as it is; a MySQL server gets its database created and our PlanetScale-protocol server in front.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  const target = resolveDatabaseTarget(options.databaseUrl);
  if (target.kind === "http") {
    return { url: target.url, description: redact(target.url), close: async () => {} };
  }
  const privateMysql = await reachOrStartServer(target.serverUrl, {
    startPrivate: options.startPrivate,
    dataDir: join(options.stateDir ?? ".wrangler/state", "mysql"),
  });
  try {
    await createDatabase(target.serverUrl, target.database);
    const server = await startPsdbServer({
      port: 0,
      mysqlUrl: withDatabase(target.serverUrl, target.database),
      username: "local",
      password: randomBytes(18).toString("base64url"),
    });
    return {
      url: server.url,
      description: `${redact(withDatabase(target.serverUrl, target.database))}${privateMysql ? " (private instance)" : ""}`,
      async close() {
        await server.close();
        await privateMysql?.stop();
      },
    };
  } catch (error) {
    await privateMysql?.stop();
    throw error;
  }
}
