import { setTimeout as sleep } from "node:timers/promises";
import { Client, connect } from "@planetscale/database";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { start } from "../../scripts/psdb/server";
import {
  CREATE_SESSION,
  EXECUTE,
  openPsdbFixture,
  PASSWORD,
  type PsdbFixture,
  post,
  USERNAME,
} from "./helpers/psdb-fixture";

let fixture: PsdbFixture;
let client: Client;

beforeAll(async () => {
  fixture = await openPsdbFixture();
  client = new Client({ url: fixture.url });
  await client.execute("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(50) NOT NULL)");
});

afterAll(() => fixture?.close());

beforeEach(() => client.execute("DELETE FROM notes"));

// What another session (any pooled connection) sees.
async function bodies(): Promise<string[]> {
  const { rows } = await client.execute<{ body: string }>("SELECT body FROM notes ORDER BY id");
  return rows.map((row) => row.body);
}

// Resolves once MySQL is running the statement, so that what follows surely overlaps it.
async function running(sql: string): Promise<void> {
  const processlist = "SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO = ?";
  while (((await fixture.mysql.query(processlist, [sql]))[0] as unknown[]).length === 0) await sleep(5);
}

describe("transactions", () => {
  it("commits what transaction() wrote, unseen by other sessions until then", async () => {
    await client.transaction(async (tx) => {
      await tx.execute("INSERT INTO notes (body) VALUES (?)", ["kept"]);
      expect((await tx.execute("SELECT body FROM notes")).rows).toEqual([{ body: "kept" }]);
      expect(await bodies()).toEqual([]);
    });
    expect(await bodies()).toEqual(["kept"]);
  });

  it("rolls back when the transaction's function throws", async () => {
    const failing = client.transaction(async (tx) => {
      await tx.execute("INSERT INTO notes (body) VALUES ('dropped')");
      throw new Error("changed my mind");
    });
    await expect(failing).rejects.toThrow("changed my mind");
    expect(await bodies()).toEqual([]);
  });

  it("keeps the transaction open across savepoints, whatever the statements' case and semicolons", async () => {
    const connection = connect({ url: fixture.url });
    await connection.execute("  start transaction; ");
    await connection.execute("INSERT INTO notes (body) VALUES ('first')");
    await connection.execute("SAVEPOINT sp1");
    await connection.execute("INSERT INTO notes (body) VALUES ('second')");
    await connection.execute("ROLLBACK TO SAVEPOINT sp1");
    expect(await bodies()).toEqual([]);
    await connection.execute("Commit;");
    expect(await bodies()).toEqual(["first"]);
  });

  it("refuses a session already running a statement", async () => {
    const connection = connect({ url: fixture.url });
    await connection.execute("BEGIN");
    const outcomes = await Promise.allSettled([
      connection.execute("SELECT SLEEP(0.2)"),
      running("SELECT SLEEP(0.2)").then(() => connection.execute("SELECT 1")),
    ]);
    expect(outcomes[0].status).toBe("fulfilled");
    expect(outcomes[1]).toMatchObject({ status: "rejected", reason: { body: { message: "session already in use" } } });
    await connection.execute("ROLLBACK");
  });
});

describe("session values", () => {
  it("hands out opaque sessions that the next statement can use", async () => {
    const created = await post(fixture, CREATE_SESSION, "{}");
    expect(created.json).toEqual({ session: expect.any(String) });
    const begun = await post(fixture, EXECUTE, JSON.stringify({ query: "BEGIN", session: created.json.session }));
    expect(begun.json.session).toBe(created.json.session);
    await post(fixture, EXECUTE, JSON.stringify({ query: "ROLLBACK", session: created.json.session }));
  });

  it.each([
    ["a stranger's string", "not-one-of-ours"],
    ["an object", { signature: "x", vitessSession: {} }],
    ["a number", 42],
  ])("treats %s as a new session", async (_, session) => {
    const answer = await post(fixture, EXECUTE, JSON.stringify({ query: "SELECT 1 AS one", session }));
    expect(answer.status).toBe(200);
    expect(answer.json.session).toMatch(/^[\w-]{22}$/);
    expect(answer.json.result).toMatchObject({ rows: [{ lengths: ["1"] }] });
  });
});

describe("an abandoned transaction", () => {
  it("is rolled back after the idle timeout and its connection given back", async () => {
    // One pooled connection: the statement after the timeout can only run if it was given back.
    const server = await start({
      port: 0,
      mysqlUrl: `${fixture.mysqlUrl}?connectionLimit=1`,
      username: USERNAME,
      password: PASSWORD,
      transactionIdleTimeoutMs: 200,
    });
    try {
      const abandoned = connect({ url: server.url });
      await abandoned.execute("BEGIN");
      await abandoned.execute("INSERT INTO notes (body) VALUES ('abandoned')");
      await sleep(400);

      const other = new Client({ url: server.url });
      expect((await other.execute("SELECT COUNT(*) AS n FROM notes")).rows).toEqual([{ n: "0" }]);
      await expect(abandoned.execute("SELECT 1")).rejects.toMatchObject({
        body: { message: expect.stringMatching(/^transaction aborted: idle for more than 200 ms/), code: "ABORTED" },
      });
      await abandoned.execute("ROLLBACK");
      expect((await abandoned.execute("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await server.close();
    }
  });
});

describe("close()", () => {
  it("rolls back open transactions and waits for running statements", async () => {
    const server = await start({ port: 0, mysqlUrl: fixture.mysqlUrl, username: USERNAME, password: PASSWORD });
    const open = connect({ url: server.url });
    await open.execute("BEGIN");
    await open.execute("INSERT INTO notes (body) VALUES ('uncommitted')");
    const slow = new Client({ url: server.url }).execute("SELECT SLEEP(0.2) AS slept");
    await running("SELECT SLEEP(0.2) AS slept");
    await server.close();
    expect((await slow).rows).toEqual([{ slept: 0 }]);
    expect(await bodies()).toEqual([]);
  });
});
