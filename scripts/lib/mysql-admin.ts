import mysql from "mysql2/promise";

/** Resolves when a MySQL server answers at the URL, rejects with the driver's error otherwise. */
export async function ping(serverUrl: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: serverUrl, connectTimeout: 3000 });
  await connection.end();
}

/** Runs administrative statements on one short-lived connection. */
async function withConnection<T>(serverUrl: string, run: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ uri: serverUrl, connectTimeout: 3000 });
  try {
    return await run(connection);
  } finally {
    await connection.end();
  }
}

/** Creates the database with the character set both documents ask for, if it does not exist. */
export function createDatabase(serverUrl: string, database: string): Promise<void> {
  return withConnection(serverUrl, async (c) => {
    await c.query(
      `CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  });
}

export function dropDatabase(serverUrl: string, database: string): Promise<void> {
  return withConnection(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
  });
}
