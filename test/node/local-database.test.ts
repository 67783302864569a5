import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@planetscale/database";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "../../scripts/lib/database-url";
import { freePort } from "../../scripts/lib/free-port";
import { DatabaseUnreachableError, openDatabase } from "../../scripts/lib/local-database";
import { ping } from "../../scripts/lib/mysql-admin";

describe("resolveDatabaseTarget", () => {
  it("defaults to root on 127.0.0.1:3306 and the auth_dev database", () => {
    expect(resolveDatabaseTarget(undefined)).toEqual({
      kind: "mysql",
      serverUrl: "mysql://root@127.0.0.1:3306",
      database: "auth_dev",
    });
  });

  it("takes the database from a mysql:// URL's path", () => {
    expect(resolveDatabaseTarget("mysql://u:p@db.local:3307/shop")).toEqual({
      kind: "mysql",
      serverUrl: "mysql://u:p@db.local:3307",
      database: "shop",
    });
  });

  it("uses a PlanetScale https:// URL as it is", () => {
    expect(resolveDatabaseTarget("https://user:pscale_pw@aws.connect.psdb.cloud")).toEqual({
      kind: "http",
      url: "https://user:pscale_pw@aws.connect.psdb.cloud/",
    });
  });

  it("refuses other schemes and odd database names", () => {
    expect(() => resolveDatabaseTarget("postgres://x@y/z")).toThrow(/mysql:\/\/ or https:\/\//);
    expect(() => resolveDatabaseTarget("mysql://x@y/a;drop")).toThrow(/database name/);
  });
});

describe("openDatabase", () => {
  const stateDirs: string[] = [];
  afterAll(() => Promise.all(stateDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("fails with a message saying how to fix it when nothing answers and starting is not allowed", async () => {
    const port = await freePort();
    const attempt = openDatabase({ databaseUrl: `mysql://root@127.0.0.1:${port}/auth_x` });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(attempt).rejects.toThrow(/install MariaDB or MySQL.*or set DATABASE_URL/);
  });

  it("starts a private MariaDB when nothing listens on the port, and stops it on close", async () => {
    const port = await freePort();
    const stateDir = await mkdtemp(join(tmpdir(), "edge-auth-state-"));
    stateDirs.push(stateDir);
    const database = await openDatabase({
      databaseUrl: `mysql://root@127.0.0.1:${port}/auth_private`,
      startPrivate: true,
      stateDir,
    });
    const result = await new Client({ url: database.url }).execute("SELECT DATABASE() AS name");
    expect(result.rows).toEqual([{ name: "auth_private" }]);
    expect(database.description).toMatch(/private instance/);
    await database.close();
    await expect(ping(`mysql://root@127.0.0.1:${port}`)).rejects.toThrow(/ECONNREFUSED/);
  }, 90_000);
});
