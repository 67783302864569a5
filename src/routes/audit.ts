import { Hono } from "hono";
import { listAuditEntries } from "../db/audit";
import type { AppEnv } from "../env";
import { envelope } from "../envelope";
import { authenticateBearerOrToken } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { AuditQuery, paginate } from "../schemas/admin";
import { forbidden } from "../services/administration";
import { can } from "../services/policy";

/** `/auth/audit/`: the administration trail, newest first, for admins. */
export const audit = new Hono<AppEnv>()
  .use(authenticateBearerOrToken)
  .get("/", validate("query", AuditQuery), async (c) => {
    if (!can(c.var.user, "view_audit", undefined, c.var.config.STAFF_SCOPES)) throw forbidden();
    const query = c.req.valid("query");
    const { entries, total } = await listAuditEntries(c.var.db, {
      targetId: query.user_id,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
    const results = entries.map((entry) => ({
      id: entry.id,
      created_at: entry.createdAt.toISOString(),
      actor: { id: entry.actorId, email: entry.actorEmail },
      action: entry.action,
      target: { id: entry.targetId, email: entry.targetEmail },
      changes: entry.changes,
      request_id: entry.requestId,
    }));
    return c.json(envelope({ results, pagination: paginate(query, total) }));
  });
