import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { Executor } from "./client";
import { type apiTokens, type refreshTokens, users } from "./schema";

/**
 * Inserts a token row only while its user still has the token version the token was issued under:
 * `INSERT … SELECT <the row> FROM users WHERE id = ? AND token_version = ? FOR UPDATE`. A login
 * reads the user and checks the password (~20 ms) before it writes its token, and a sign-out (which
 * bumps the version, then revokes every row) may commit in between: then there is nothing to
 * insert. One still in flight holds the user's row, so the locking read waits for it and then finds
 * nothing, at any isolation level; one that starts later revokes the row written. True if written.
 */
export async function insertIfTokenVersion<T extends typeof apiTokens | typeof refreshTokens>(
  db: Executor,
  table: T,
  row: T["$inferInsert"],
  tokenVersion: number,
): Promise<boolean> {
  // Every column in the table's order, as Drizzle's INSERT … SELECT requires, each value encoded as
  // its column would encode it in a plain INSERT; one left out is NULL (these tables have no defaults).
  const values = Object.entries(getTableColumns(table)).map(([key, column]) => [
    key,
    sql`${sql.param(row[key as keyof typeof row] ?? null, column)}`,
  ]);
  const result = await db.insert(table).select((qb) =>
    qb
      .select(Object.fromEntries(values))
      .from(users)
      .where(and(eq(users.id, row.userId), eq(users.tokenVersion, tokenVersion)))
      .for("update"),
  );
  return result.rowsAffected === 1;
}
