import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { type RunningServer, type StartOptions, start } from "../../../scripts/psdb/server";

/** Where the tests find MySQL/MariaDB: PSDB_TEST_MYSQL_URL, else the run's TEST_MYSQL_URL. */
const MYSQL_SERVER_URL = process.env.PSDB_TEST_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

// Characters that must survive percent-encoding in the server's URL and the driver's Basic auth.
export const USERNAME = "psdb test";
export const PASSWORD = "p@ss:w/rd+ü";

export interface PsdbFixture {
  /** The server's URL, credentials included, as the driver takes it. */
  url: string;
  server: RunningServer;
  /** The fresh database's mysql:// URL, to put more servers in front of it. */
  mysqlUrl: string;
  /** A direct connection to the fresh database, bypassing the server. */
  mysql: mysql.Connection;
  close(): Promise<void>;
}

/**
 * Creates a database with a random name and starts a server in front of it. Fails, saying so,
 * when MySQL/MariaDB is not reachable: these tests must never pass by skipping.
 */
export async function openPsdbFixture(options: Partial<StartOptions> = {}): Promise<PsdbFixture> {
  const admin = await mysql.createConnection({ uri: MYSQL_SERVER_URL, connectTimeout: 3000 }).catch((error: Error) => {
    throw new Error(`MySQL/MariaDB is not reachable at ${MYSQL_SERVER_URL} (${error.message}); the psdb tests need it`);
  });
  const database = `psdb_test_${randomBytes(6).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE ${database}`);
  const mysqlUrl = `${MYSQL_SERVER_URL}/${database}`;
  const server = await start({ port: 0, mysqlUrl, username: USERNAME, password: PASSWORD, ...options }).catch(
    async (error: unknown) => {
      await admin.query(`DROP DATABASE ${database}`);
      await admin.end();
      throw error;
    },
  );
  return {
    url: server.url,
    server,
    mysqlUrl,
    mysql: admin,
    async close() {
      await server.close();
      await admin.query(`DROP DATABASE ${database}`);
      await admin.end();
    },
  };
}

/** Basic credentials the way the driver sends them. */
export function basicAuth(username = USERNAME, password = PASSWORD): string {
  return `Basic ${btoa(`${encodeURIComponent(username)}:${encodeURIComponent(password)}`)}`;
}

/** POSTs a raw body to one of the server's endpoints, for what the driver never sends. */
export async function post(
  fixture: PsdbFixture,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${fixture.server.port}${path}`, {
    method: "POST",
    body,
    headers: { Authorization: basicAuth(), "Content-Type": "application/json", ...headers },
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    json: (await response.json()) as Record<string, unknown>,
  };
}

export const EXECUTE = "/psdb.v1alpha1.Database/Execute";
export const CREATE_SESSION = "/psdb.v1alpha1.Database/CreateSession";
