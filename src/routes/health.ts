import { sql } from "drizzle-orm";
import * as z from "zod";
import { ApiRouter, createRoute } from "../api-router";
import { ApiError } from "../errors";
import { envelopeErrors, json } from "../schemas/openapi";

const Health = z
  .strictObject({ success: z.literal(true), data: z.strictObject({ db: z.literal("ok") }) })
  .meta({ id: "Health" });

const route = createRoute({
  method: "get",
  path: "/",
  operationId: "getHealth",
  tags: ["Health"],
  summary: "Is the Worker up, and does it reach MySQL?",
  description: "Runs `SELECT 1` through Drizzle. No authentication; for load balancers and uptime checks.",
  responses: {
    200: json(Health, "The Worker answers and its database does too"),
    ...envelopeErrors(503),
  },
});

export const health = new ApiRouter().openapi(route, async (c) => {
  try {
    await c.var.services.db.execute(sql`SELECT 1`);
  } catch (cause) {
    // Logged once, with its stack, by logFault when the 503 is answered.
    throw new ApiError("DATABASE_UNAVAILABLE", {
      message: "Database unavailable",
      errors: { db: ["unreachable"] },
      cause,
    });
  }
  return c.json({ success: true, data: { db: "ok" } } as const, 200);
});
