import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type AppEnv, Config } from "../env";
import { ApiError } from "../errors";

// The runtime hands every request of an isolate the same, immutable `env`: its parsed config is
// kept beside it rather than parsed again per request. Only a valid config is kept, so a bad one
// is logged on every request until it is fixed.
const parsedConfigs = new WeakMap<object, Config>();

/** Parses vars and secrets (once per `env`) and opens a per-request database handle. */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const cached = parsedConfigs.get(c.env);
  const parsed = cached ? { success: true as const, data: cached } : Config.safeParse(c.env);
  if (!parsed.success) {
    // Operators need to know which setting is wrong; callers only that the server is at fault.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    console.error(
      JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "invalid configuration", problems }),
    );
    throw new ApiError("MISCONFIGURED", { message: "The server is misconfigured. Please contact its operator." });
  }
  parsedConfigs.set(c.env, parsed.data);
  c.set("config", parsed.data);
  c.set("db", createDb(parsed.data.DATABASE_URL));
  await next();
});
