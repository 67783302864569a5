import { Client, DatabaseError } from "@planetscale/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, EXECUTE, openPsdbFixture, type PsdbFixture, post, USERNAME } from "./helpers/psdb-fixture";

const MAX_BODY_BYTES = 64 * 1024;

let fixture: PsdbFixture;
let client: Client;

beforeAll(async () => {
  fixture = await openPsdbFixture({ maxBodyBytes: MAX_BODY_BYTES });
  client = new Client({ url: fixture.url });
  await client.execute("CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL)");
  await client.execute("CREATE UNIQUE INDEX users_email_unique ON users (email)");
});

afterAll(() => fixture?.close());

async function stillServing(): Promise<void> {
  expect((await client.execute("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
}

describe("SQL errors", () => {
  it("words a duplicate key like PlanetScale, errno and sqlstate included", async () => {
    await client.execute("INSERT INTO users (email) VALUES (?)", ["a@b.c"]);
    const error = await client.execute("INSERT INTO users (email) VALUES (?)", ["a@b.c"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).body).toEqual({
      message: expect.stringMatching(
        /Duplicate entry 'a@b\.c' for key '(users\.)?users_email_unique' \(errno 1062\) \(sqlstate 23000\)$/,
      ),
      code: "ALREADY_EXISTS",
    });
  });

  it("answers other failures with their own errno and a fitting code", async () => {
    await expect(client.execute("SELEC 1")).rejects.toMatchObject({
      body: { message: expect.stringMatching(/\(errno 1064\) \(sqlstate 42000\)$/), code: "INVALID_ARGUMENT" },
    });
    await expect(client.execute("SELECT * FROM nowhere")).rejects.toMatchObject({
      body: { message: expect.stringMatching(/\(errno 1146\)/), code: "NOT_FOUND" },
    });
  });

  it("runs one statement per request", async () => {
    await expect(client.execute("SELECT 1; SELECT 2")).rejects.toMatchObject({
      body: { message: expect.stringMatching(/errno 1064/) },
    });
  });
});

describe("credentials", () => {
  it("refuses a wrong password with a 401 the driver reports as an error", async () => {
    const url = new URL(fixture.url);
    url.password = "wrong";
    const error = await new Client({ url: url.toString() }).execute("SELECT 1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ status: 401, body: { code: "unauthenticated" } });
  });

  it("answers 401 in JSON, with or without an Authorization header", async () => {
    const body = JSON.stringify({ query: "SELECT 1" });
    for (const authorization of [basicAuth(USERNAME, "wrong"), "Bearer x", ""]) {
      const answer = await post(fixture, EXECUTE, body, { Authorization: authorization });
      expect(answer.status).toBe(401);
      expect(answer.contentType).toBe("application/json");
      expect(answer.json).toEqual({ error: { message: expect.any(String), code: "unauthenticated" } });
    }
    await stillServing();
  });
});

describe("bad requests", () => {
  it("answers malformed JSON and bodies that are no Execute request with 400", async () => {
    for (const body of ["{not json", "[]", "null", JSON.stringify({ session: null }), JSON.stringify({ query: 1 })]) {
      const answer = await post(fixture, EXECUTE, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: { message: expect.any(String), code: expect.any(String) } });
    }
    await stillServing();
  });

  it("answers an oversized body with 413, the driver included", async () => {
    const answer = await post(fixture, EXECUTE, JSON.stringify({ query: `SELECT '${"x".repeat(MAX_BODY_BYTES)}'` }));
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ error: { message: expect.any(String), code: "resource_exhausted" } });
    await expect(client.execute("SELECT ?", ["y".repeat(MAX_BODY_BYTES)])).rejects.toMatchObject({ status: 413 });
    await stillServing();
  });

  it("answers unknown paths with 404 and other methods with 405", async () => {
    const unknown = await post(fixture, "/psdb.v1alpha1.Database/Nope", "{}");
    expect([unknown.status, unknown.json.error]).toEqual([404, expect.objectContaining({ code: "bad_route" })]);
    const get = await fetch(`http://127.0.0.1:${fixture.server.port}${EXECUTE}`, {
      headers: { Authorization: basicAuth() },
    });
    expect([get.status, await get.json()]).toEqual([405, { error: expect.objectContaining({ code: "bad_route" }) }]);
    await stillServing();
  });
});

describe("statement counter", () => {
  it("counts every Execute request, for the bench, and tells nothing else", async () => {
    const stats = async () => (await fetch(`http://127.0.0.1:${fixture.server.port}/stats`)).json();
    const before = (await stats()) as { statements: number };
    await client.execute("SELECT 1");
    await client.transaction(async (tx) => tx.execute("SELECT 2"));
    // SELECT 1, then BEGIN, SELECT 2, COMMIT: a transaction's round trips count too.
    expect(await stats()).toEqual({ statements: before.statements + 4 });
  });
});
