import { spawn, spawnSync } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port";
import { openDatabase } from "../../scripts/lib/local-database";
import { migrateOverHttp } from "../../scripts/lib/migrate";
import { dropDatabase } from "../../scripts/lib/mysql-admin";
import { BREACHED_MESSAGE, BREACHED_PASSWORD } from "../fixtures/breached-password";
import { type RangeServer, startRangeServer } from "./helpers/pwned-range-server";

const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const DATABASE = `superuser_test_${randomBytes(6).toString("hex")}`;
const DATABASE_URL = `${MYSQL_SERVER_URL}/${DATABASE}`;
const COMMAND = "node_modules/.bin/tsx scripts/createsuperuser.ts";
const PASSWORD = "correct-Horse-battery-9";
// util-linux `script` runs a command on a pseudo-terminal: the one way to drive the real prompt.
const HAS_SCRIPT = spawnSync("script", ["--version"]).stdout?.toString().includes("util-linux") ?? false;

type Run = { code: number | null; stdout: string; stderr: string };

// The Pwned Passwords stand-in: no test reaches the real one.
let ranges: RangeServer;
const pwnedEnv = () => ({ PWNED_PASSWORDS_URL: `${ranges.url}/range/` });

function run(args: string[], env: Record<string, string> = {}, stdin = ""): Promise<Run> {
  const child = spawn("node_modules/.bin/tsx", ["scripts/createsuperuser.ts", ...args], {
    env: { ...process.env, AUTH_SUPERUSER_PASSWORD: "", DATABASE_URL, ...pwnedEnv(), ...env },
  });
  child.stdin.end(stdin);
  return collect(child);
}

function collect(child: ReturnType<typeof spawn>): Promise<Run> {
  const result: Run = { code: null, stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => (result.stdout += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (result.stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ ...result, code })));
}

// Types each answer once its prompt has appeared, as a person would.
function runOnTerminal(email: string, answers: string[]): Promise<Run> {
  const child = spawn("script", ["-qec", `${COMMAND} --email ${email}`, "/dev/null"], {
    env: { ...process.env, DATABASE_URL, ...pwnedEnv() },
  });
  let shown = "";
  let typed = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    shown += chunk;
    const prompts = shown.match(/Password/g)?.length ?? 0;
    while (typed < Math.min(prompts, answers.length)) child.stdin.write(`${answers[typed++]}\r`);
  });
  return collect(child);
}

const createWithEnv = (email: string, password = PASSWORD, extra: string[] = []) =>
  run(["--email", email, "--no-input", ...extra], { AUTH_SUPERUSER_PASSWORD: password });

const randomEmail = () => `admin.${randomBytes(4).toString("hex")}@example.com`;

let connection: mysql.Connection;

async function findUsers(email: string) {
  const [rows] = await connection.query("SELECT * FROM users WHERE email_normalized = ?", [email.toLowerCase()]);
  return rows as Record<string, unknown>[];
}

// Django's pbkdf2_sha256 recomputed with node:crypto: verifyPassword needs workerd's timingSafeEqual.
function matchesHash(password: string, encoded: string): boolean {
  const [, iterations, salt, hash] = encoded.split("$") as [string, string, string, string];
  return pbkdf2Sync(password, salt, Number(iterations), 32, "sha256").toString("base64") === hash;
}

beforeAll(async () => {
  ranges = await startRangeServer();
  // Migrated once up front so that the concurrent runs below find the tables and do not race to
  // create them.
  const database = await openDatabase({ databaseUrl: DATABASE_URL });
  await migrateOverHttp(database.url).finally(() => database.close());
  connection = await mysql.createConnection({ uri: DATABASE_URL });
});

afterAll(async () => {
  await ranges?.close();
  await connection?.end();
  await dropDatabase(MYSQL_SERVER_URL, DATABASE);
});

describe.concurrent("npm run createsuperuser", { timeout: 60_000 }, () => {
  it("creates an active admin with staff and superuser flags from AUTH_SUPERUSER_PASSWORD", async () => {
    const email = randomEmail();
    const result = await createWithEnv(email, PASSWORD, ["--full-name", "Ada Lovelace"]);
    expect(result.code, result.stderr).toBe(0);
    const [user] = await findUsers(email);
    expect(result.stdout).toContain(`Superuser created: ${email} (id ${user?.id})`);
    expect(user).toMatchObject({ role: "admin", is_active: 1, is_staff: 1, is_superuser: 1, username: email });
    expect(user?.full_name).toBe("Ada Lovelace");
    // Confirmed by the operator who ran the command, not by a user of the app.
    expect(user?.role_confirmed_at).toBeInstanceOf(Date);
    expect(user?.role_confirmed_by).toBeNull();
    expect(user?.password).toMatch(/^pbkdf2_sha256\$100000\$\w{22}\$[\w+/]{43}=$/);
    expect(matchesHash(PASSWORD, user?.password as string)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it("refuses an email that is taken in any letter case", async () => {
    const email = randomEmail();
    expect((await createWithEnv(email)).code).toBe(0);
    const again = await createWithEnv(` ${email.toUpperCase()}`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("email: A user with that email already exists.");
    expect(await findUsers(email)).toHaveLength(1);
  });

  it("refuses a weak password with Django's messages and writes nothing", async () => {
    const email = randomEmail();
    const common = await createWithEnv(email, "password123");
    expect(common.code).toBe(1);
    expect(common.stderr).toContain("password: This password is too common.");
    const numeric = await createWithEnv(email, "4815162342");
    expect(numeric.stderr).toContain("password: This password is entirely numeric.");
    const similar = await createWithEnv(email, email.replace("@", "-"));
    expect(similar.stderr).toContain("password: The password is too similar to the email address.");
    const short = await createWithEnv(email, "x7!Qz");
    expect(short.stderr).toContain("This password is too short. It must contain at least 8 characters.");
    expect(await findUsers(email)).toEqual([]);
  });

  it("refuses a breached password, and one it cannot check when the check is required", async () => {
    const email = randomEmail();
    const breached = await createWithEnv(email, BREACHED_PASSWORD);
    expect(breached.code).toBe(1);
    expect(breached.stderr).toContain(`password: ${BREACHED_MESSAGE}`);
    const unchecked = await run(["--email", email, "--no-input"], {
      AUTH_SUPERUSER_PASSWORD: PASSWORD,
      BREACHED_PASSWORD_CHECK: "require",
      PWNED_PASSWORDS_URL: `${ranges.url}/broken/range/`,
    });
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toContain("password: We could not check this password right now; try again.");
    expect(await findUsers(email)).toEqual([]);
  });

  it("refuses a malformed email or a missing one", async () => {
    const malformed = await createWithEnv("not-an-email");
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("email: Enter a valid email address.");
    const missing = await run(["--no-input"], { AUTH_SUPERUSER_PASSWORD: PASSWORD });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--email is required.");
  });

  it("needs AUTH_SUPERUSER_PASSWORD with --no-input, and a terminal without it", async () => {
    const withoutPassword = await run(["--email", randomEmail(), "--no-input"]);
    expect(withoutPassword.code).toBe(1);
    expect(withoutPassword.stderr).toContain("--no-input needs the password in AUTH_SUPERUSER_PASSWORD.");
    const piped = await run(["--email", randomEmail()], {}, `${PASSWORD}\n${PASSWORD}\n`);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain("Standard input is not a terminal");
  });

  it("says which database cannot be reached, for MySQL and for PlanetScale URLs", async () => {
    const port = await freePort();
    const env = { AUTH_SUPERUSER_PASSWORD: PASSWORD };
    const local = await run(["--email", randomEmail(), "--no-input"], {
      ...env,
      DATABASE_URL: `mysql://root@127.0.0.1:${port}/x`,
    });
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`No MySQL/MariaDB server answers at mysql://root@127.0.0.1:${port}`);
    const remote = await run(["--email", randomEmail(), "--no-input"], {
      ...env,
      DATABASE_URL: `http://user:pscale_pw@127.0.0.1:${port}`,
    });
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain(`The database at http://user:***@127.0.0.1:${port}/ cannot be reached`);
    expect(remote.stderr).not.toContain("pscale_pw");
  });

  it.runIf(HAS_SCRIPT)("asks twice on a terminal, echoing neither entry, and refuses entries that differ", async () => {
    const email = randomEmail();
    const created = await runOnTerminal(email, [PASSWORD, PASSWORD]);
    expect(created.code, created.stdout).toBe(0);
    expect(created.stdout).toMatch(/^Password: \r\nPassword \(again\): \r\nSuperuser created: /);
    expect(await findUsers(email)).toHaveLength(1);
    const other = randomEmail();
    const differing = await runOnTerminal(other, [PASSWORD, `${PASSWORD}!`]);
    expect(differing.code).toBe(1);
    expect(differing.stdout).toContain("Your passwords didn't match.");
    expect(differing.stdout).not.toContain(PASSWORD);
    expect(await findUsers(other)).toEqual([]);
  });
});
