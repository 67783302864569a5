import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../scripts/lib/local-database";
import { migrateOverHttp } from "../../scripts/lib/migrate";
import { dropDatabase } from "../../scripts/lib/mysql-admin";

// The CLI end to end: Django 3.2's own MySQL tables (test/fixtures/django/output/drf.sql) loaded
// into a scratch database as the source, imported into a fresh target of ours.
const SERVER = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const suffix = randomBytes(4).toString("hex");
const SOURCE = `django_source_${suffix}`;
const TARGET = `import_target_${suffix}`;
const JSON_TARGET = `import_json_${suffix}`;
const FIXTURES = "test/fixtures/django/output";
const r2State = mkdtempSync(join(tmpdir(), "import-r2-"));

type Run = { code: number | null; out: string };
function importDjango(args: string[], target = TARGET): Promise<Run> {
  const child = spawn("node_modules/.bin/tsx", ["scripts/import-django.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `${SERVER}/${target}` },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}
const fromSource = ["--from", `${SERVER}/${SOURCE}`];

let admin: mysql.Connection;
const query = async (sql: string, params: unknown[] = []) =>
  (await admin.query(sql, params))[0] as mysql.RowDataPacket[];

beforeAll(async () => {
  admin = await mysql.createConnection({ uri: SERVER, multipleStatements: true });
  await admin.query(`CREATE DATABASE ${SOURCE}; USE ${SOURCE}`);
  await admin.query(readFileSync(`${FIXTURES}/drf.sql`, "utf8"));
  for (const name of [TARGET, JSON_TARGET]) {
    const database = await openDatabase({ databaseUrl: `${SERVER}/${name}` });
    await migrateOverHttp(database.url);
    await database.close();
  }
  // Someone registered here with Grace's email in another case, before the import: a conflict.
  await query(
    `INSERT INTO ${TARGET}.users (email, email_normalized, username, password, role) VALUES (?, ?, ?, '!', 'student')`,
    ["grace.doctor@example.com", "grace.doctor@example.com", "grace.doctor@example.com"],
  );
}, 60_000);
afterAll(async () => {
  await admin.end();
  await Promise.all([SOURCE, TARGET, JSON_TARGET].map((name) => dropDatabase(SERVER, name)));
  rmSync(r2State, { recursive: true, force: true });
});

describe("npm run import:django", () => {
  it("writes nothing with --dry-run, and says what it would do", async () => {
    const run = await importDjango([...fromSource, "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Dry run: nothing was written.");
    expect(run.out).toContain("Users: 9 would be imported");
    expect(await query(`SELECT COUNT(*) AS n FROM ${TARGET}.users`)).toEqual([{ n: 1 }]);
  }, 60_000);

  it("imports from the Django database, reporting the conflict, the refused role and the hashes to reset", async () => {
    const run = await importDjango([...fromSource, "--media-root", `${FIXTURES}/media`, "--persist-to", r2State]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Users: 9 imported, 0 updated, 0 unchanged, 1 skipped, 1 conflicts.");
    expect(run.out).toMatch(/Grace\.Doctor@Example\.com: email already used by an account registered here/);
    expect(run.out).toMatch(/nurse@example\.com: role "nurse" is not in ROLES.*--map-role nurse=ROLE/);
    expect(run.out).toMatch(/crafted@example\.com: 5000000 PBKDF2 iterations, over MAX_IMPORTED_PBKDF2_ITERATIONS/);
    expect(run.out).toContain("Hashes that need a reset: 4");
    expect(run.out).toContain("Tokens: 2 imported, 0 unchanged, 1 skipped");
    expect(run.out).toContain("Pictures: 1 stored");
    const [john] = await query(`SELECT id, legacy_id, password, profile_picture FROM ${TARGET}.users WHERE email = ?`, [
      "john.patient@example.com",
    ]);
    expect(john).toMatchObject({ legacy_id: 1, password: expect.stringMatching(/^pbkdf2_sha256\$260000\$/) });
    expect(john?.id).not.toBe(1);
    expect(john?.profile_picture).toMatch(/^profile_pictures\/[0-9a-f]{40}\.png$/);
    const sessions = await query(`SELECT kind, expires_at, secret_digest FROM ${TARGET}.sessions`);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({
      kind: "token",
      expires_at: null,
      secret_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  }, 120_000);

  it("changes nothing on a second run, and keeps a password changed here when Django's changes too", async () => {
    expect((await importDjango(fromSource)).out).toContain("Nothing to do.");
    await query(
      `UPDATE ${TARGET}.users SET password = 'pbkdf2_sha256$100000$here$x', password_changed_at = NOW(3) + INTERVAL 1 SECOND WHERE legacy_id = 1`,
    );
    await query(
      `UPDATE ${SOURCE}.accounts_user SET password = 'pbkdf2_sha256$260000$django$y', bio = 'New bio' WHERE id = 1`,
    );
    const run = await importDjango(fromSource);
    expect(run.out).toContain("1 updated");
    expect(run.out).toContain("Kept as changed here: john.patient@example.com (password)");
    expect(await query(`SELECT password, bio FROM ${TARGET}.users WHERE legacy_id = 1`)).toEqual([
      { password: "pbkdf2_sha256$100000$here$x", bio: "New bio" },
    ]);
  }, 60_000);

  it("imports seed 001's shape from a dumpdata file, full names split as the APIs split them", async () => {
    const run = await importDjango(["--from", `${FIXTURES}/jwt.json`], JSON_TARGET);
    expect(run.out).toContain("Users: 3 imported");
    const rows = await query(
      `SELECT full_name, first_name, last_name, role, is_superuser FROM ${JSON_TARGET}.users ORDER BY legacy_id`,
    );
    expect(rows[0]).toMatchObject({
      full_name: "Nguyen Van A",
      first_name: "Nguyen Van",
      last_name: "A",
      role: "student",
    });
    expect(rows[2]).toMatchObject({ role: "admin", is_superuser: 1 });
  }, 60_000);
});
