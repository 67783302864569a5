import { ApiRouter, createRoute } from "../api-router";
import { authenticateBearerOrToken, callerContext } from "../middleware/authenticate";
import { AuditQuery, paginate } from "../schemas/admin";
import { BEARER_OR_TOKEN_AUTH, envelopeErrors, json } from "../schemas/openapi";
import { AuditEntry, envelope, envelopeOf, pageOf, toAuditEntry } from "../schemas/responses";
import { listAuditFor } from "../services/administration";

const listAudit = createRoute({
  method: "get",
  path: "/",
  operationId: "listAuditEntries",
  tags: ["Audit"],
  summary: "The administration trail, newest first",
  description:
    "Admins only. Every change made through the administration API or the admin site, with who made " +
    "it, to whom and the request's id; `user_id` keeps the entries about one user.",
  security: BEARER_OR_TOKEN_AUTH,
  middleware: authenticateBearerOrToken,
  request: { query: AuditQuery },
  responses: {
    200: json(envelopeOf(pageOf(AuditEntry).meta({ id: "AuditEntryPage" })), "A page of the trail"),
    ...envelopeErrors(400, 401, 403),
  },
});

/** `/auth/audit/`: the administration trail, newest first, for admins. */
export const authAudit = new ApiRouter()
  .openapi(listAudit, async (c) => {
    const query = c.req.valid("query");
    const { entries, total } = await listAuditFor(callerContext(c), {
      targetId: query.user_id,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
    return c.json(envelope({ results: entries.map(toAuditEntry), pagination: paginate(query, total) }), 200);
  })
  // As on /auth/users/: another method or an unknown path needs credentials before its 405 or 404.
  .use(authenticateBearerOrToken);
