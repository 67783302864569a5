import { Hono } from "hono";
import type { AppEnv } from "../env";
import { envelope } from "../envelope";
import { adminContextFor } from "../middleware/admin-context";
import { authenticateBearerOrToken } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { AuditQuery, paginate } from "../schemas/admin";
import { listAuditFor } from "../services/administration";

/** `/auth/audit/`: the administration trail, newest first, for admins. */
export const audit = new Hono<AppEnv>()
  .use(authenticateBearerOrToken)
  .get("/", validate("query", AuditQuery), async (c) => {
    const query = c.req.valid("query");
    const { entries, total } = await listAuditFor(adminContextFor(c, c.var.user), {
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
