/** Where `npm run dev` and the scripts look for MySQL when DATABASE_URL is unset. */
export const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306";
export const DEFAULT_DATABASE = "auth_dev";
/** The server `npm test` (and bench:import) uses: TEST_MYSQL_URL, read when this module loads. */
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? DEFAULT_MYSQL_URL;

/**
 * What DATABASE_URL names: a MySQL/MariaDB server reached through our local PlanetScale-protocol
 * server, or a PlanetScale (or compatible) HTTP endpoint used as it is.
 */
export type DatabaseTarget = { kind: "mysql"; serverUrl: string; database: string } | { kind: "http"; url: string };

/** Reads DATABASE_URL the same way for every script: unset means the local default server. */
export function resolveDatabaseTarget(databaseUrl: string | undefined): DatabaseTarget {
  const url = new URL(databaseUrl || DEFAULT_MYSQL_URL);
  if (url.protocol === "mysql:") {
    const database = decodeURIComponent(url.pathname.slice(1)) || DEFAULT_DATABASE;
    if (!/^\w{1,64}$/.test(database)) throw new Error(`Unsupported database name "${database}" in DATABASE_URL`);
    url.pathname = "";
    return { kind: "mysql", serverUrl: url.toString().replace(/\/$/, ""), database };
  }
  if (url.protocol === "https:" || url.protocol === "http:") return { kind: "http", url: url.toString() };
  throw new Error(`DATABASE_URL must be a mysql:// or https:// URL, got "${url.protocol}"`);
}

/** The same server URL with a default schema, for connections that should land in one database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A URL safe to print: the password masked. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
