import { Hono } from "hono";
import type { AppEnv } from "../env";
import { authenticateBearerOrToken } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { AuditQuery, paginate } from "../schemas/admin";
import { envelope, toAuditEntry } from "../schemas/responses";
import { listAuditFor } from "../services/administration";

/** `/auth/audit/`: the administration trail, newest first, for admins. */
export const authAudit = new Hono<AppEnv>()
  .use(authenticateBearerOrToken)
  .get("/", validate("query", AuditQuery), async (c) => {
    const query = c.req.valid("query");
    const { entries, total } = await listAuditFor(c.var.services.adminContext(c.var.user), {
      targetId: query.user_id,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
    return c.json(envelope({ results: entries.map(toAuditEntry), pagination: paginate(query, total) }));
  });
