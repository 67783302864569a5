import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type AppEnv, Config } from "../env";
import { ApiError } from "../errors";

/** Parses vars and secrets and opens a per-request database handle; nothing is shared across requests. */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const parsed = Config.safeParse(c.env);
  if (!parsed.success) {
    // Operators need to know which setting is wrong; callers only that the server is at fault.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    console.error(
      JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "invalid configuration", problems }),
    );
    throw new ApiError("MISCONFIGURED", { message: "The server is misconfigured. Please contact its operator." });
  }
  c.set("config", parsed.data);
  c.set("db", createDb(parsed.data.DATABASE_URL));
  await next();
});
