import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@planetscale/database";
import { eq, sql } from "drizzle-orm";
import { datetime, mysqlTable, serial, varchar } from "drizzle-orm/mysql-core";
import { drizzle, type PlanetScaleDatabase } from "drizzle-orm/planetscale-serverless";
import { migrate } from "drizzle-orm/planetscale-serverless/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPsdbFixture, type PsdbFixture } from "./helpers/psdb-fixture";

const users = mysqlTable("users", {
  id: serial("id").primaryKey(),
  email: varchar("email", { length: 255 }).notNull().unique("users_email_unique"),
  createdAt: datetime("created_at", { mode: "string", fsp: 3 }).notNull(),
});

const MIGRATION = `CREATE TABLE \`users\` (
  \`id\` serial PRIMARY KEY,
  \`email\` varchar(255) NOT NULL,
  \`created_at\` datetime(3) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);`;

let fixture: PsdbFixture;
let db: PlanetScaleDatabase;
let migrationsFolder: string;

beforeAll(async () => {
  fixture = await openPsdbFixture();
  db = drizzle({ client: new Client({ url: fixture.url }) });
  migrationsFolder = await mkdtemp(join(tmpdir(), "psdb-migrations-"));
  await mkdir(join(migrationsFolder, "meta"));
  await writeFile(join(migrationsFolder, "0000_users.sql"), MIGRATION);
  const journal = {
    version: "7",
    dialect: "mysql",
    entries: [{ idx: 0, version: "5", when: 1_700_000_000_000, tag: "0000_users", breakpoints: true }],
  };
  await writeFile(join(migrationsFolder, "meta", "_journal.json"), JSON.stringify(journal));
});

afterAll(async () => {
  await fixture?.close();
  if (migrationsFolder) await rm(migrationsFolder, { recursive: true, force: true });
});

describe("drizzle-orm/planetscale-serverless", () => {
  it("migrates inside a transaction, once", async () => {
    await migrate(db, { migrationsFolder });
    await migrate(db, { migrationsFolder });
    const [applied] = await fixture.mysql.query("SELECT hash FROM __drizzle_migrations");
    expect(applied).toHaveLength(1);
    const [columns] = await fixture.mysql.query("SHOW COLUMNS FROM users");
    expect(columns).toHaveLength(3);
  });

  it("inserts with $returningId() and selects back", async () => {
    const ids = await db
      .insert(users)
      .values([
        { email: "a@example.com", createdAt: "2024-05-06 07:08:09.010" },
        { email: "b@example.com", createdAt: "2024-05-06 07:08:09.020" },
      ])
      .$returningId();
    expect(ids).toEqual([{ id: 1 }, { id: 2 }]);
    const rows = await db.select().from(users).where(eq(users.email, "b@example.com"));
    expect(rows).toEqual([{ id: 2, email: "b@example.com", createdAt: "2024-05-06 07:08:09.020" }]);
  });

  it("reports updated rows and surfaces errno 1062 in the error's cause", async () => {
    const updated = await db.update(users).set({ createdAt: sql`created_at + INTERVAL 1 DAY` });
    expect(updated.rowsAffected).toBe(2);
    const duplicate = db.insert(users).values({ email: "a@example.com", createdAt: "2024-01-01 00:00:00" });
    await expect(duplicate).rejects.toMatchObject({
      cause: { body: { message: expect.stringMatching(/errno 1062/) } },
    });
  });

  it("rolls back transactions and savepoints", async () => {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ email: "kept@example.com", createdAt: "2024-01-01 00:00:00" });
      await tx
        .transaction(async (nested) => {
          await nested.insert(users).values({ email: "nested@example.com", createdAt: "2024-01-01 00:00:00" });
          nested.rollback();
        })
        .catch(() => {});
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ email: "dropped@example.com", createdAt: "2024-01-01 00:00:00" });
        tx.rollback();
      }),
    ).rejects.toThrow(/rollback/i);
    const emails = (await db.select({ email: users.email }).from(users)).map((row) => row.email);
    expect(emails.sort()).toEqual(["a@example.com", "b@example.com", "kept@example.com"]);
  });
});
