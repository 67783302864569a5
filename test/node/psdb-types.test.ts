import { Client } from "@planetscale/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vitessType } from "../../scripts/psdb/vitess-types";
import { EXECUTE, openPsdbFixture, type PsdbFixture, post } from "./helpers/psdb-fixture";

let fixture: PsdbFixture;
let client: Client;

beforeAll(async () => {
  fixture = await openPsdbFixture();
  client = new Client({ url: fixture.url });
});

afterAll(() => fixture?.close());

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
const longText = "Ünïcødé 👋 世界 ".repeat(500);

describe("values read back through @planetscale/database", () => {
  beforeAll(async () => {
    await client.execute(`CREATE TABLE samples (
      id INT AUTO_INCREMENT PRIMARY KEY,
      ti TINYINT, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
      de DECIMAL(30,10), fl FLOAT, db DOUBLE,
      dt DATETIME(3), ts TIMESTAMP(3) NULL, da DATE, tm TIME, yr YEAR,
      vc VARCHAR(100), vcb VARCHAR(100) COLLATE utf8mb4_bin, tx TEXT,
      vb VARBINARY(300), bl BLOB, js JSON, en ENUM('small', 'large'), st SET('a', 'b', 'c'), bt BIT(10),
      nu INT NULL)`);
    await client.execute(
      `INSERT INTO samples (ti, si, mi, i, iu, bi, bu, de, fl, db, dt, ts, da, tm, yr, vc, vcb, tx, vb, bl, js, en, st, bt, nu)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        -128,
        -32768,
        8388607,
        -2147483648,
        4294967295,
        "-9223372036854775808",
        "18446744073709551615",
        "12345678901234567890.0123456789",
        1.5,
        Math.PI,
        "2024-02-29 23:59:59.123",
        "2024-02-29 23:59:59.123",
        "2024-02-29",
        "838:59:59",
        2024,
        "héllo 👋 世界",
        "Case😀",
        longText,
        new Uint8Array([0, 255, 0x27, 0x5c, 0x0a, 0x0d, 0x22, 0x00]),
        everyByte,
        JSON.stringify({ a: [1, "two", null], b: { c: true }, emoji: "🎉" }),
        "large",
        "c,a",
        0b1010110011,
        null,
      ],
    );
  });

  it("casts each column as the driver does for PlanetScale", async () => {
    const { rows } = await client.execute("SELECT * FROM samples");
    expect(rows).toEqual([
      {
        id: 1,
        ti: -128,
        si: -32768,
        mi: 8388607,
        i: -2147483648,
        iu: 4294967295,
        bi: "-9223372036854775808",
        bu: "18446744073709551615",
        de: "12345678901234567890.0123456789",
        fl: 1.5,
        db: Math.PI,
        dt: "2024-02-29 23:59:59.123",
        ts: "2024-02-29 23:59:59.123",
        da: "2024-02-29",
        tm: "838:59:59",
        yr: 2024,
        vc: "héllo 👋 世界",
        vcb: "Case😀",
        tx: longText,
        vb: new Uint8Array([0, 255, 0x27, 0x5c, 0x0a, 0x0d, 0x22, 0x00]),
        bl: everyByte,
        js: { a: [1, "two", null], b: { c: true }, emoji: "🎉" },
        en: "large",
        st: "a,c",
        bt: new Uint8Array([0b10, 0b10110011]),
        nu: null,
      },
    ]);
  });

  it("names the Vitess types PlanetScale reports", async () => {
    const { types, fields } = await client.execute("SELECT * FROM samples");
    expect(types).toEqual({
      id: "INT32",
      ti: "INT8",
      si: "INT16",
      mi: "INT24",
      i: "INT32",
      iu: "UINT32",
      bi: "INT64",
      bu: "UINT64",
      de: "DECIMAL",
      fl: "FLOAT32",
      db: "FLOAT64",
      dt: "DATETIME",
      ts: "TIMESTAMP",
      da: "DATE",
      tm: "TIME",
      yr: "YEAR",
      vc: "VARCHAR",
      vcb: "VARBINARY",
      tx: "TEXT",
      vb: "VARBINARY",
      bl: "BLOB",
      js: "JSON",
      en: "ENUM",
      st: "SET",
      bt: "BIT",
      nu: "INT32",
    });
    const charsets = Object.fromEntries(fields.map((field) => [field.name, field.charset]));
    expect(charsets).toMatchObject({ vc: 255, vcb: 255, tx: 255, en: 255, vb: 63, bl: 63, bt: 63, i: 63 });
    expect(fields[0]).toMatchObject({ table: "samples", orgTable: "samples", orgName: "id" });
  });

  it("answers NULL without a type, and arrays when asked", async () => {
    const result = await client.execute("SELECT NULL AS n, 'x' AS s", null, { as: "array" });
    expect(result.types).toEqual({ n: "NULL", s: "VARCHAR" });
    expect(result.rows).toEqual([[null, "x"]]);
  });

  it("reads TIMESTAMPs in UTC", async () => {
    const { rows } = await client.execute("SELECT @@session.time_zone AS tz");
    expect(rows).toEqual([{ tz: "+00:00" }]);
  });
});

describe("insertId and rowsAffected", () => {
  beforeAll(async () => {
    await client.execute(
      "CREATE TABLE counters (id SERIAL PRIMARY KEY, name VARCHAR(20) NOT NULL, hits INT NOT NULL DEFAULT 0)",
    );
  });

  it("reports the first generated id and the rows written", async () => {
    const one = await client.execute("INSERT INTO counters (name) VALUES (?)", ["a"]);
    expect([one.insertId, one.rowsAffected]).toEqual(["1", 1]);
    const three = await client.execute("INSERT INTO counters (name) VALUES ('b'), ('c'), ('d')");
    expect([three.insertId, three.rowsAffected]).toEqual(["2", 3]);
  });

  it("counts changed rows, as PlanetScale does, and zero as zero", async () => {
    const updated = await client.execute("UPDATE counters SET hits = hits + 1 WHERE name IN ('a', 'b')");
    expect([updated.insertId, updated.rowsAffected]).toEqual(["0", 2]);
    const unchanged = await client.execute("UPDATE counters SET hits = 1 WHERE name = 'a'");
    expect(unchanged.rowsAffected).toBe(0);
    const missing = await client.execute("UPDATE counters SET hits = 9 WHERE name = 'nobody'");
    expect(missing.rowsAffected).toBe(0);
  });

  it("passes uint64 ids on exactly", async () => {
    await client.execute("ALTER TABLE counters AUTO_INCREMENT = 18446744073709551610");
    const { insertId } = await client.execute("INSERT INTO counters (name) VALUES ('big')");
    expect(insertId).toBe("18446744073709551610");
  });

  it("leaves empty members out, as protobuf JSON does", async () => {
    const write = await post(fixture, EXECUTE, JSON.stringify({ query: "DELETE FROM counters WHERE name = 'x'" }));
    expect(write.json).toEqual({ session: expect.any(String), result: {}, timing: expect.any(Number) });
    const read = await post(fixture, EXECUTE, JSON.stringify({ query: "SELECT NULL AS n, '' AS e, 'ab' AS s" }));
    expect(read.json.result).toMatchObject({ rows: [{ lengths: ["-1", "0", "2"], values: btoa("ab") }] });
    const empty = await post(fixture, EXECUTE, JSON.stringify({ query: "SELECT id FROM counters WHERE id = 0" }));
    expect(empty.json.result).toEqual({ fields: [expect.objectContaining({ name: "id", type: "UINT64" })] });
  });
});

describe("vitessType", () => {
  // Metadata MariaDB never sends but MySQL 8 does, and flag combinations that must not confuse it.
  it.each([
    ["MySQL 8's native JSON", 245, 144, "JSON"],
    ["an ENUM sent as CHAR", 254, 256, "ENUM"],
    ["a SET sent as CHAR", 254, 2048, "SET"],
    ["a utf8mb4_bin CHAR", 254, 128, "BINARY"],
    ["YEAR, flagged unsigned", 13, 96, "YEAR"],
    ["BIT, flagged unsigned", 16, 32, "BIT"],
    ["an unsigned MEDIUMINT", 9, 32, "UINT24"],
    ["NULL", 6, 128, undefined],
    ["a type Vitess has no name for", 242, 0, undefined],
  ])("names %s", (_, columnType, flags, expected) => {
    expect(vitessType(columnType, flags)).toBe(expected);
  });
});
