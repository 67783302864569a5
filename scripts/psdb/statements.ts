import type { Connection, FieldPacket, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { toVitessField, type VitessField } from "./vitess-types";

export interface VitessRow {
  lengths: string[];
  values: string;
}

/** What Execute answers for a statement that ran, protobuf JSON style (empty members left out). */
export interface QueryResult {
  rowsAffected?: string;
  insertId?: string;
  fields?: VitessField[];
  rows?: VitessRow[];
}

/** What Execute answers for a statement that failed. */
export interface VitessError {
  message: string;
  code: string;
}

/** The pool or one of its connections (the one pinned to a transaction). */
export type Queryable = Pick<Connection, "query">;

// One row as mysql2 hands it over with `rowsAsArray` and `typeCast: false`: a Buffer per cell
// holding MySQL's own text representation (raw bytes for binary columns), null for SQL NULL.
type RawRow = (Buffer | null)[];

/** Runs one statement as it is (values arrive inlined) and encodes MySQL's answer for the driver. */
export async function runStatement(target: Queryable, sql: string): Promise<QueryResult> {
  const [result, columns] = await target.query<RowDataPacket[] | ResultSetHeader>({
    sql,
    rowsAsArray: true,
    typeCast: false,
  });
  if (!Array.isArray(result)) return okResult(result);
  return rowsResult(columns, result as unknown as RawRow[]);
}

function okResult({ affectedRows, insertId }: ResultSetHeader): QueryResult {
  const rowsAffected = BigInt(affectedRows);
  // mysql2 reads the insert id as signed (and as a string when big); Vitess reports a uint64.
  const id = BigInt.asUintN(64, BigInt(insertId));
  return {
    ...(rowsAffected > 0n && { rowsAffected: rowsAffected.toString() }),
    ...(id > 0n && { insertId: id.toString() }),
  };
}

function rowsResult(columns: FieldPacket[], rows: RawRow[]): QueryResult {
  return {
    fields: columns.map(toVitessField),
    ...(rows.length > 0 && { rows: rows.map(encodeRow) }),
  };
}

function encodeRow(cells: RawRow): VitessRow {
  const present = cells.filter((cell): cell is Buffer => cell !== null);
  return {
    lengths: cells.map((cell) => (cell === null ? "-1" : String(cell.length))),
    values: Buffer.concat(present).toString("base64"),
  };
}

// A few MySQL error numbers with the gRPC code Vitess gives them (vttablet's convertErrorCode);
// everything else is UNKNOWN, as it is there. Applications should match on the errno in the
// message, which is what this server and PlanetScale agree on exactly.
const CODE_BY_ERRNO: Readonly<Record<number, string>> = {
  1007: "ALREADY_EXISTS", // database exists
  1050: "ALREADY_EXISTS", // table exists
  1062: "ALREADY_EXISTS", // duplicate entry
  1048: "INVALID_ARGUMENT", // column cannot be null
  1054: "INVALID_ARGUMENT", // unknown column
  1064: "INVALID_ARGUMENT", // syntax error
  1136: "INVALID_ARGUMENT", // column count does not match value count
  1366: "INVALID_ARGUMENT", // incorrect value for column
  1406: "INVALID_ARGUMENT", // data too long
  1146: "NOT_FOUND", // no such table
  1451: "FAILED_PRECONDITION", // row is referenced by a foreign key
  1452: "FAILED_PRECONDITION", // referenced row missing
  1205: "DEADLINE_EXCEEDED", // lock wait timeout
  1213: "ABORTED", // deadlock, transaction rolled back
};

interface MysqlError {
  message: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

/**
 * Words a failed statement the way PlanetScale does, ending in `(errno N) (sqlstate S)`, so that
 * one piece of application code recognises e.g. a duplicate key (errno 1062) in both places.
 */
export function toVitessError(error: unknown): VitessError {
  const { message, errno, sqlState, sqlMessage, fatal } = error as MysqlError;
  if (sqlState === undefined || errno === undefined) {
    // Not an answer from MySQL; mysql2 marks a lost or refused connection as fatal.
    return { message: `target: local.-.primary: vttablet: ${message}`, code: fatal ? "UNAVAILABLE" : "UNKNOWN" };
  }
  return {
    message: `target: local.-.primary: vttablet: ${sqlMessage ?? message} (errno ${errno}) (sqlstate ${sqlState})`,
    code: CODE_BY_ERRNO[errno] ?? "UNKNOWN",
  };
}
