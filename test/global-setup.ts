import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import "./provided-context";
import { DEFAULT_MYSQL_URL, withDatabase } from "../scripts/lib/database-url";
import { copyDocsAssets } from "../scripts/lib/docs-assets";
import { openDatabase } from "../scripts/lib/local-database";
import { startMailCatcher } from "../scripts/lib/mail-catcher";
import { migrateOverHttp } from "../scripts/lib/migrate";
import { dropDatabase } from "../scripts/lib/mysql-admin";
import { startRangeServer } from "./node/helpers/pwned-range-server";

/**
 * Node side of the Worker tests: a fresh MySQL database for this run, migrated and served over
 * PlanetScale's protocol; the Worker under test reaches it through the injected DATABASE_URL.
 * A stand-in mail provider (scripts/lib/mail-catcher.ts) for the tests of the http transport.
 * An unreachable server fails the run (it never skips). A stand-in for the Pwned Passwords range
 * API, which the Worker reaches through the injected PWNED_PASSWORDS_URL: no test goes online.
 */
export default async function setup(project: TestProject) {
  // The ASSETS binding's files; wrangler.toml's [build] command copies them for wrangler dev and
  // deploy only.
  copyDocsAssets();
  const serverUrl = process.env.TEST_MYSQL_URL ?? DEFAULT_MYSQL_URL;
  const name = `auth_test_${randomBytes(4).toString("hex")}`;
  const names = [name, `${name}_isolated`];
  const [shared, isolated] = await Promise.all(
    names.map(async (databaseName) => {
      const database = await openDatabase({ databaseUrl: withDatabase(serverUrl, databaseName) });
      await migrateOverHttp(database.url);
      return database;
    }),
  );
  if (!shared || !isolated) throw new Error("unreachable: two databases were opened");
  const [ranges, mailCatcher] = await Promise.all([startRangeServer(), startMailCatcher()]);
  project.provide("pwnedServerUrl", ranges.url);
  project.provide("mailCatcher", { url: mailCatcher.url, apiKey: mailCatcher.apiKey });
  project.provide("databaseUrl", shared.url);
  project.provide("isolatedDatabaseUrl", isolated.url);
  project.provide("jwtSecret", randomBytes(48).toString("base64url"));
  return async () => {
    await Promise.all([shared.close(), isolated.close(), ranges.close(), mailCatcher.close()]);
    await Promise.all(names.map((databaseName) => dropDatabase(serverUrl, databaseName)));
  };
}
