import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  try {
    await c.var.services.db.execute(sql`SELECT 1`);
  } catch (cause) {
    console.error(
      JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "database unreachable", cause: String(cause) }),
    );
    throw new ApiError("DATABASE_UNAVAILABLE", {
      message: "Database unavailable",
      errors: { db: ["unreachable"] },
      cause,
    });
  }
  return c.json({ success: true, data: { db: "ok" } });
});
