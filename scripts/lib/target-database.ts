// The database a CLI writes to, picked as `npm run dev` picks it (DATABASE_URL; see README "Create a
// superuser"): createsuperuser and import:django share this.
import { Client } from "@planetscale/database";
import { type DatabaseTarget, resolveDatabaseTarget } from "./database-url";
import { DatabaseUnreachableError, type OpenDatabase, openDatabase } from "./local-database";
import { migrateOverHttp } from "./migrate";

/** A refusal to report as it is, without a stack trace. */
export class Refusal extends Error {}

// "fetch failed: connect ECONNREFUSED ..." says more than the outermost message alone.
function describeChain(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.join(": ") || String(error);
}

/** What DATABASE_URL names, or a Refusal saying why it cannot be used. */
export function resolveTarget(databaseUrl: string | undefined): DatabaseTarget {
  try {
    return resolveDatabaseTarget(databaseUrl);
  } catch (error) {
    throw new Refusal((error as Error).message);
  }
}

/**
 * Opens the target. Unlike `npm run dev`, no private MySQL instance is started when nothing answers:
 * a server that is merely down (or a mistyped port) must be an error, not rows written to a new,
 * empty data directory. A developer whose MySQL is dev's private instance runs the CLI while dev runs.
 */
function openTarget(databaseUrl: string | undefined): Promise<OpenDatabase> {
  return openDatabase({ databaseUrl }).catch((error: unknown) => {
    if (!(error instanceof DatabaseUnreachableError)) throw error;
    throw new Refusal(`${error.message}\n(This command never starts a private instance itself.)`);
  });
}

/**
 * A local database is migrated first, as `npm run dev` does. A PlanetScale one is left as it is:
 * its schema moves with deploys (`npm run db:migrate`), not as a side effect of a CLI; one query
 * there tells an unreachable or refusing endpoint apart from a failed write.
 */
async function prepareTarget(database: OpenDatabase, target: DatabaseTarget, migrate = true): Promise<void> {
  if (target.kind === "mysql" && migrate) {
    await migrateOverHttp(database.url).catch((error: unknown) => {
      throw new Refusal(`Migrating ${database.description} failed: ${describeChain(error)}`);
    });
  } else {
    await new Client({ url: database.url }).execute("SELECT 1").catch((error: unknown) => {
      throw new Refusal(`The database at ${database.description} cannot be reached: ${describeChain(error)}`);
    });
  }
}

/**
 * Opens and prepares the target (migrated unless `migrate` is false), runs `use` on it, and closes
 * it whatever happens.
 */
export async function withTargetDatabase<T>(
  databaseUrl: string | undefined,
  use: (database: OpenDatabase, target: DatabaseTarget) => Promise<T>,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<T> {
  const database = await openTarget(databaseUrl);
  try {
    const target = resolveTarget(databaseUrl);
    await prepareTarget(database, target, migrate);
    return await use(database, target);
  } finally {
    await database.close();
  }
}
