import { fileURLToPath } from "node:url";
import { Client } from "@planetscale/database";
import { drizzle } from "drizzle-orm/planetscale-serverless";
import { migrate } from "drizzle-orm/planetscale-serverless/migrator";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Applies pending migrations over PlanetScale's HTTP protocol, the path production takes too.
 * Drizzle records what ran in `__drizzle_migrations`, so a second run does nothing.
 */
export async function migrateOverHttp(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  await migrate(drizzle({ client: new Client({ url }) }), { migrationsFolder });
}
