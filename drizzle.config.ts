import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are applied by `npm run db:migrate`, which speaks
// PlanetScale's HTTP protocol so that the same path serves production and local MariaDB.
export default defineConfig({
  dialect: "mysql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
