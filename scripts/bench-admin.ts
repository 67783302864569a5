/**
 * `npm run bench:admin -- [--url http://127.0.0.1:8787] [--users 10000] [--runs 20]`: seeds the
 * database DATABASE_URL names (as `npm run dev` picks it) up to N users, then measures
 * `GET /auth/users/?limit=50` as a superuser against the running Worker, median of N runs, and
 * prints MySQL's plan for the page query and the count.
 */
import { parseArgs } from "node:util";
import { count, like, sql } from "drizzle-orm";
import { createDb } from "../src/db/client";
import { users } from "../src/db/schema";
import { hashPassword } from "../src/services/passwords";
import { median } from "./lib/bench";
import { resolveDatabaseTarget } from "./lib/database-url";
import { openDatabase } from "./lib/local-database";
import { migrateOverHttp } from "./lib/migrate";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    users: { type: "string", default: "10000" },
    runs: { type: "string", default: "20" },
  },
});
const SEED_DOMAIN = "@seed.bench.invalid";
const ADMIN = { email: `admin${SEED_DOMAIN}`, password: "bench-Admin-password-31" };
const ROLES = ["student", "teacher", "doctor", "patient"];
const BATCH = 1000;

// Seeding writes users with a published password: never into a PlanetScale (production) database.
if (resolveDatabaseTarget(process.env.DATABASE_URL).kind === "http") {
  console.error("bench:admin seeds users with a known password: it runs against local MySQL only.");
  process.exit(1);
}
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
try {
  await migrateOverHttp(database.url);
  const db = createDb(database.url);
  // One hash for every seeded user: PBKDF2 for each of 10,000 would take minutes and prove nothing.
  const hash = await hashPassword(ADMIN.password);
  const [{ seeded = 0 } = {}] = await db
    .select({ seeded: count() })
    .from(users)
    .where(like(users.emailNormalized, `%${SEED_DOMAIN}`));
  const wanted = Number(values.users);
  for (let next = seeded; next < wanted; next += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, wanted - next) }, (_, offset) => {
      const n = next + offset;
      const email = n === 0 ? ADMIN.email : `user${n}${SEED_DOMAIN}`;
      return {
        email,
        emailNormalized: email,
        username: email,
        password: hash,
        role: n === 0 ? "admin" : (ROLES[n % ROLES.length] as string),
        fullName: `Seed User ${n}`,
        firstName: "Seed User",
        lastName: `${n}`,
        isStaff: n === 0,
        isSuperuser: n === 0,
        createdAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000),
        lastLogin: n % 3 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + n * 30_000),
      };
    });
    await db.insert(users).values(rows);
  }
  const [{ total = 0 } = {}] = await db.select({ total: count() }).from(users);
  console.log(`users in ${database.description}: ${total}`);

  const login = await fetch(`${values.url}/auth/login/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login as ${ADMIN.email}: ${login.status} ${await login.text()}`);
  const { access } = ((await login.json()) as { data: { access: string } }).data;

  for (const path of ["/auth/users/?limit=50", "/auth/users/?limit=50&role=patient&ordering=-last_login"]) {
    await median(`GET ${path}`, Number(values.runs), async () => {
      const response = await fetch(values.url + path, { headers: { Authorization: `Bearer ${access}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      await response.arrayBuffer();
    });
  }

  for (const query of [
    sql`EXPLAIN SELECT * FROM users ORDER BY created_at DESC, id DESC LIMIT 50`,
    sql`EXPLAIN SELECT * FROM users WHERE role = 'patient' ORDER BY last_login DESC, id DESC LIMIT 50`,
    sql`EXPLAIN SELECT COUNT(*) FROM users`,
  ]) {
    const plan = await db.execute(query);
    console.log(JSON.stringify(plan.rows));
  }
} finally {
  await database.close();
}
