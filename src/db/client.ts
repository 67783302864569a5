import { Client } from "@planetscale/database";
import { drizzle } from "drizzle-orm/planetscale-serverless";
import * as schema from "./schema";

/** A Drizzle handle over PlanetScale's HTTP driver. */
export function createDb(url: string) {
  return drizzle({ client: new Client({ url }), schema });
}

export type Database = ReturnType<typeof createDb>;
type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What repository functions run on: the database, or a transaction on it. */
export type Executor = Database | Transaction;

// The driver holds no I/O object between queries (each query or transaction is a fetch of its
// own), so one handle can serve every request of an isolate; keyed by URL, for a changed secret.
const databases = new Map<string, Database>();

/** The isolate's handle for `url`, built on first use. */
export function databaseFor(url: string): Database {
  let db = databases.get(url);
  if (!db) {
    db = createDb(url);
    databases.set(url, db);
  }
  return db;
}
