import { ApiRouter, createRoute } from "../api-router";
import { authenticateToken } from "../middleware/authenticate";
import { drfErrors, json, TOKEN_AUTH } from "../schemas/openapi";
import { SESSION_EXAMPLE, SessionParam, SessionView } from "../schemas/sessions";
import { endSessionOf, sessionsOf } from "../services/sessions";
import { TAGS } from "./api-users";

const OWN = { tags: TAGS, security: TOKEN_AUTH, middleware: authenticateToken };

const list = createRoute({
  ...OWN,
  method: "get",
  path: "/",
  operationId: "apiListSessions",
  summary: "The caller's live sessions of every kind, newest first",
  responses: {
    200: json(SessionView.array(), "The sessions; `current` marks this one", [
      { ...SESSION_EXAMPLE, kind: "token", expires_at: "2026-12-31T09:30:00.000Z" },
    ]),
    ...drfErrors(401),
  },
});

const end = createRoute({
  ...OWN,
  method: "delete",
  path: "/{sessionId}/",
  operationId: "apiEndSession",
  summary: "End one of the caller's sessions",
  description: "Its tokens, key or cookie stop working at once. Another user's session is a 404.",
  request: { params: SessionParam },
  responses: { 204: { description: "Ended" }, ...drfErrors(400, 401, 404) },
});

/** `/api/users/sessions/`: the same, in DRF's shapes. */
export const apiUsersSessions = new ApiRouter()
  .openapi(list, async (c) => c.json(await sessionsOf(c.var.services.sessions, c.var.user.id, c.var.sessionId), 200))
  .openapi(end, async (c) => {
    await endSessionOf(c.var.services.sessions, c.var.user.id, c.req.valid("param").sessionId, "logout");
    return c.body(null, 204);
  });
