import type { Context } from "hono";
import type { User } from "../db/schema";
import type { AppEnv } from "../env";
import type { AdminContext } from "../services/administration";

/**
 * What the administration services need to act for `actor`: the API and the admin site build it
 * alike, so both get the same policy, guard rails and audit trail.
 */
export function adminContextFor(c: Context<AppEnv>, actor: User): AdminContext {
  return {
    db: c.var.db,
    bucket: c.env.MEDIA,
    actor,
    scopes: c.var.config.STAFF_SCOPES,
    roles: c.var.config.ROLES,
    requestId: c.var.requestId,
  };
}
