import type { FieldPacket } from "mysql2";

/** A column as Vitess describes it in protobuf JSON (zero and empty members left out). */
export interface VitessField {
  name: string;
  type?: string;
  table?: string;
  orgTable?: string;
  database?: string;
  orgName?: string;
  columnLength?: number;
  charset: number;
  decimals?: number;
  flags?: number;
}

// The character set number MySQL uses for binary data; the driver returns these columns as bytes.
const BINARY_CHARSET = 63;
// utf8mb4_0900_ai_ci, what PlanetScale reports for text. The pool speaks utf8mb4, so every text
// value we pass on is utf8mb4 whatever collation number the server gives the column.
const UTF8MB4_CHARSET = 255;

const UNSIGNED_FLAG = 32;
const BINARY_FLAG = 128;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;

// MySQL protocol column types -> Vitess names, as vitess/go/sqltypes maps them. NULL (6) has no
// entry: Vitess calls it NULL_TYPE, the zero value, which protobuf JSON leaves out.
const BY_COLUMN_TYPE: Readonly<Record<number, string>> = {
  0: "DECIMAL",
  1: "INT8",
  2: "INT16",
  3: "INT32",
  4: "FLOAT32",
  5: "FLOAT64",
  7: "TIMESTAMP",
  8: "INT64",
  9: "INT24",
  10: "DATE",
  11: "TIME",
  12: "DATETIME",
  13: "YEAR",
  14: "DATE",
  15: "VARCHAR",
  16: "BIT",
  245: "JSON",
  246: "DECIMAL",
  247: "ENUM",
  248: "SET",
  249: "TEXT",
  250: "TEXT",
  251: "TEXT",
  252: "TEXT",
  253: "VARCHAR",
  254: "CHAR",
  255: "GEOMETRY",
};

const UNSIGNED_VARIANT: Readonly<Record<string, string>> = {
  INT8: "UINT8",
  INT16: "UINT16",
  INT24: "UINT24",
  INT32: "UINT32",
  INT64: "UINT64",
};

// Vitess names a string column by its BINARY flag (a utf8mb4_bin VARCHAR is VARBINARY) while the
// driver decides bytes-or-text by charset alone, so both are kept as MySQL reports them.
const BINARY_VARIANT: Readonly<Record<string, string>> = { TEXT: "BLOB", VARCHAR: "VARBINARY", CHAR: "BINARY" };

/**
 * The Vitess type name for a MySQL column, or undefined for NULL and types Vitess has no name for.
 * `extendedFormat` is MariaDB's extended metadata: its JSON columns are LONGTEXT on the wire.
 */
export function vitessType(columnType: number, flags: number, extendedFormat?: string): string | undefined {
  if (extendedFormat === "json") return "JSON";
  const base = BY_COLUMN_TYPE[columnType];
  if (base === undefined) return undefined;
  if (flags & UNSIGNED_FLAG && UNSIGNED_VARIANT[base]) return UNSIGNED_VARIANT[base];
  // MySQL sends ENUM and SET columns as CHAR with a flag.
  if (base === "CHAR" && flags & ENUM_FLAG) return "ENUM";
  if (base === "CHAR" && flags & SET_FLAG) return "SET";
  if (flags & BINARY_FLAG && BINARY_VARIANT[base]) return BINARY_VARIANT[base];
  return base;
}

/** Describes one mysql2 result column the way PlanetScale's `fields` do. */
export function toVitessField(column: FieldPacket): VitessField {
  // mysql2's typings allow string flags for old protocol versions; the text protocol gives numbers.
  const flags = typeof column.flags === "number" ? column.flags : 0;
  return {
    name: column.name,
    charset: column.characterSet === BINARY_CHARSET ? BINARY_CHARSET : UTF8MB4_CHARSET,
    ...omitEmpty({
      type: column.columnType === undefined ? undefined : vitessType(column.columnType, flags, column.extendedFormat),
      table: column.table,
      orgTable: column.orgTable,
      database: column.schema,
      orgName: column.orgName,
      columnLength: column.columnLength,
      decimals: column.decimals,
      flags,
    }),
  };
}

// Protobuf JSON leaves out members holding their zero value.
function omitEmpty<T extends object>(members: T): Partial<T> {
  const kept = Object.entries(members).filter(([, value]) => value !== undefined && value !== "" && value !== 0);
  return Object.fromEntries(kept) as Partial<T>;
}
