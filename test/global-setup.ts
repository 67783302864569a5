import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@planetscale/database";
import type { TestProject } from "vitest/node";
import "./provided-context";
import { TEST_MYSQL_URL, withDatabase } from "../scripts/lib/database-url";
import { copyDocsAssets } from "../scripts/lib/docs-assets";
import { openDatabase } from "../scripts/lib/local-database";
import { startMailCatcher } from "../scripts/lib/mail-catcher";
import { MIGRATIONS_FOLDER, migrateOverHttp } from "../scripts/lib/migrate";
import { dropDatabase } from "../scripts/lib/mysql-admin";
import { PRE_SESSIONS, preSessionsSql } from "./fixtures/pre-sessions";
import { startRangeServer } from "./node/helpers/pwned-range-server";

/** The migrations up to and including `lastTag`, in a folder of their own. */
function migrationsUpTo(lastTag: string): string {
  const folder = mkdtempSync(join(tmpdir(), "edge-auth-migrations-"));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const last = journal.entries.findIndex((entry: { tag: string }) => entry.tag === lastTag);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return folder;
}

/** A database upgraded with rows written before sessions were rows (test/fixtures/pre-sessions.ts). */
async function migrateThroughTheSessionsUpgrade(url: string): Promise<void> {
  const before = migrationsUpTo("0004_role_confirmation");
  try {
    await migrateOverHttp(url, before);
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
  const connection = new Client({ url }).connection();
  const digest = createHash("sha256").update(PRE_SESSIONS.apiKey).digest("hex");
  for (const statement of preSessionsSql(digest)) await connection.execute(statement);
  await migrateOverHttp(url);
}

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
  const name = `auth_test_${randomBytes(4).toString("hex")}`;
  const names: string[] = [];
  const open = async (suffix: string, migrate: (url: string) => Promise<void> = migrateOverHttp) => {
    const databaseName = `${name}${suffix}`;
    names.push(databaseName);
    const database = await openDatabase({ databaseUrl: withDatabase(TEST_MYSQL_URL, databaseName) });
    await migrate(database.url);
    return database;
  };
  const [shared, isolated, upgraded, keys] = await Promise.all([
    open(""),
    open("_isolated"),
    open("_upgraded", migrateThroughTheSessionsUpgrade),
    open("_keys"),
  ]);
  const [ranges, mailCatcher] = await Promise.all([startRangeServer(), startMailCatcher()]);
  project.provide("pwnedServerUrl", ranges.url);
  project.provide("mailCatcher", { url: mailCatcher.url, apiKey: mailCatcher.apiKey });
  project.provide("databaseUrl", shared.url);
  project.provide("isolatedDatabaseUrl", isolated.url);
  project.provide("upgradedDatabaseUrl", upgraded.url);
  project.provide("keysDatabaseUrl", keys.url);
  project.provide("jwtSecret", randomBytes(48).toString("base64url"));
  return async () => {
    await Promise.all([
      shared.close(),
      isolated.close(),
      upgraded.close(),
      keys.close(),
      ranges.close(),
      mailCatcher.close(),
    ]);
    await Promise.all(names.map((databaseName) => dropDatabase(TEST_MYSQL_URL, databaseName)));
  };
}
