/** `npm run db:migrate`: applies pending migrations to the database DATABASE_URL names. */
import { DatabaseUnreachableError, openDatabase } from "./lib/local-database";
import { migrateOverHttp } from "./lib/migrate";

try {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    await migrateOverHttp(database.url);
    console.log(`Migrations applied to ${database.description}`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof DatabaseUnreachableError ? error.message : error);
  process.exitCode = 1;
}
