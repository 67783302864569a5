import { Client } from "@planetscale/database";
import { drizzle } from "drizzle-orm/planetscale-serverless";
import * as schema from "./schema";

/** A Drizzle handle over PlanetScale's HTTP driver; cheap to build, so one per request. */
export function createDb(url: string) {
  return drizzle({ client: new Client({ url }), schema });
}

export type Database = ReturnType<typeof createDb>;
type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What repository functions run on: the database, or a transaction on it. */
export type Executor = Database | Transaction;
