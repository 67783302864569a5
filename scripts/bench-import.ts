/**
 * `npm run bench:import -- [--users 10000]`: times `npm run import:django`'s import of N users from a
 * made-up dumpdata file (seed 000's shape, each with a DRF token) into a fresh local database, then
 * a second run that finds nothing to do. The database is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createDb } from "../src/db/client";
import { DEFAULT_HASH_LIMITS } from "../src/services/django-hashes";
import { TEST_MYSQL_URL, withDatabase } from "./lib/database-url";
import { readDump } from "./lib/django/dump-source";
import { runImport } from "./lib/django/run-import";
import { openDatabase } from "./lib/local-database";
import { migrateOverHttp } from "./lib/migrate";
import { dropDatabase } from "./lib/mysql-admin";

const { values } = parseArgs({ options: { users: { type: "string", default: "10000" } } });
const count = Number(values.users);
// One real Django 3.2 hash for everyone: the import copies hashes, it never computes one.
const HASH = "pbkdf2_sha256$260000$RlDu3OfuhtMkMumriqOBlu$vYnFcc3m4QOqOzaxXLcFOc5NZbVll2wOtz5rZ+xMYZc=";
const records = Array.from({ length: count }, (_, i) => [
  {
    model: "accounts.user",
    pk: i + 1,
    fields: {
      password: HASH,
      last_login: null,
      is_superuser: false,
      username: `user${i}`,
      first_name: "Bench",
      last_name: `User ${i}`,
      is_staff: false,
      is_active: true,
      date_joined: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      email: `bench.import.${i}@example.com`,
      role: i % 2 ? "patient" : "doctor",
      bio: "",
      profile_picture: "",
    },
  },
  {
    model: "authtoken.token",
    pk: randomBytes(20).toString("hex"),
    fields: { user: i + 1, created: "2024-01-01T00:00:00Z" },
  },
]).flat();
const source = readDump(JSON.stringify(records), "made-up dump");
const name = `bench_import_${randomBytes(4).toString("hex")}`;
const database = await openDatabase({ databaseUrl: withDatabase(TEST_MYSQL_URL, name) });
try {
  await migrateOverHttp(database.url);
  const db = createDb(database.url);
  const options = {
    roles: ["doctor", "patient"],
    roleMap: new Map(),
    hashLimits: DEFAULT_HASH_LIMITS,
    dryRun: false,
  };
  for (const label of ["import", "second run"]) {
    const started = performance.now();
    const report = await runImport(db, source, options);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label}: ${count} users (${report.imported} imported, ${report.unchanged} unchanged), ${report.tokens.imported} tokens, ${seconds.toFixed(1)} s`,
    );
  }
} finally {
  await database.close();
  await dropDatabase(TEST_MYSQL_URL, name);
}
