import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { DEFAULT_MYSQL_URL, withDatabase } from "../scripts/lib/database-url";
import { openDatabase } from "../scripts/lib/local-database";
import { migrateOverHttp } from "../scripts/lib/migrate";
import { dropDatabase } from "../scripts/lib/mysql-admin";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    jwtSecret: string;
  }
}

/**
 * Node side of the Worker tests: a fresh MySQL database for this run, migrated and served over
 * PlanetScale's protocol; the Worker under test reaches it through the injected DATABASE_URL.
 * An unreachable server fails the run (it never skips).
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_MYSQL_URL ?? DEFAULT_MYSQL_URL;
  const name = `auth_test_${randomBytes(4).toString("hex")}`;
  const database = await openDatabase({ databaseUrl: withDatabase(serverUrl, name) });
  await migrateOverHttp(database.url);
  project.provide("databaseUrl", database.url);
  project.provide("jwtSecret", randomBytes(48).toString("base64url"));
  return async () => {
    await database.close();
    await dropDatabase(serverUrl, name);
  };
}
