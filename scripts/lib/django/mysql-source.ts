// A Django database on MySQL. Django's content types name every model as (app_label, model), and
// a model's default table is `<app_label>_<model>`: the user table is the one of those that has
// Django's user columns. DRF's tokens are in `authtoken_token` when that app is installed.
import mysql from "mysql2/promise";
import { redact } from "../database-url";
import { type DjangoExport, type DjangoUser, USER_MODEL_FIELDS } from "./django-records";

type Connection = mysql.Connection;

async function tableColumns(connection: Connection, table: string): Promise<Set<string>> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
    [table],
  );
  return new Set(rows.map((row) => String(row.name)));
}

async function findUsersTable(connection: Connection): Promise<string> {
  const [types] = await connection.query<mysql.RowDataPacket[]>("SELECT app_label, model FROM django_content_type");
  const matches: string[] = [];
  for (const { app_label, model } of types) {
    const table = `${app_label}_${model}`;
    const columns = await tableColumns(connection, table);
    if (USER_MODEL_FIELDS.every((column) => columns.has(column))) matches.push(table);
  }
  if (matches.length !== 1) {
    throw new Error(
      matches.length === 0
        ? "No model in django_content_type has a table with password, email and last_login: name it with --users-table."
        : `Several user-like tables (${matches.join(", ")}): pick one with --users-table.`,
    );
  }
  return matches[0] as string;
}

/** Reads the users (and DRF tokens, if any) of the Django database at `url`. */
export async function readDjangoDatabase(url: string, usersTable?: string): Promise<DjangoExport> {
  // Django writes UTC when USE_TZ is on (its default since 5.0, and both seeds'); DATETIME has no zone.
  const connection = await mysql.createConnection({ uri: url, timezone: "Z", dateStrings: false });
  try {
    const table = usersTable ?? (await findUsersTable(connection));
    if (!/^\w{1,64}$/.test(table)) throw new Error(`Unsupported table name "${table}"`);
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY id`);
    const users: DjangoUser[] = rows.map(({ id, ...fields }) => ({ legacyId: Number(id), fields }));
    const hasTokens = (await tableColumns(connection, "authtoken_token")).has("key");
    const [tokenRows] = hasTokens
      ? await connection.query<mysql.RowDataPacket[]>("SELECT `key`, user_id, created FROM authtoken_token")
      : [[]];
    const tokens = (tokenRows as mysql.RowDataPacket[]).map((row) => ({
      key: String(row.key),
      userLegacyId: Number(row.user_id),
      created: row.created as Date,
    }));
    return { description: `${redact(url)} (table ${table})`, users, tokens };
  } finally {
    await connection.end();
  }
}
