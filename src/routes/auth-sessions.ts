import { ApiRouter, createRoute } from "../api-router";
import { authenticate } from "../middleware/authenticate";
import { BEARER_AUTH, envelopeErrors, json } from "../schemas/openapi";
import { EnvelopeMessage, envelope, envelopeMessage, envelopeOf } from "../schemas/responses";
import { SESSION_EXAMPLE, SessionParam, SessionView } from "../schemas/sessions";
import { endSessionOf, sessionsOf } from "../services/sessions";

const SESSION_ENDED = "Session ended";
const OWN = { tags: ["Sessions"], security: BEARER_AUTH, middleware: authenticate };

const list = createRoute({
  ...OWN,
  method: "get",
  path: "/",
  operationId: "authListSessions",
  summary: "The caller's live sessions of every kind, newest first",
  responses: {
    200: json(envelopeOf(SessionView.array()), "The sessions; `current` marks this one", envelope([SESSION_EXAMPLE])),
    ...envelopeErrors(401),
  },
});

const end = createRoute({
  ...OWN,
  method: "delete",
  path: "/{sessionId}/",
  operationId: "authEndSession",
  summary: "End one of the caller's sessions",
  description: "Its tokens, key or cookie stop working at once. Another user's session is a 404.",
  request: { params: SessionParam },
  responses: {
    200: json(EnvelopeMessage, "Ended", envelopeMessage(SESSION_ENDED)),
    ...envelopeErrors(400, 401, 404),
  },
});

/** `/auth/sessions/`: where the caller is signed in, and ending any of it. */
export const authSessions = new ApiRouter()
  .openapi(list, async (c) => {
    const views = await sessionsOf(c.var.services.sessions, c.var.user.id, c.var.sessionId);
    return c.json(envelope(views), 200);
  })
  .openapi(end, async (c) => {
    await endSessionOf(c.var.services.sessions, c.var.user.id, c.req.valid("param").sessionId, "logout");
    return c.json(envelopeMessage(SESSION_ENDED), 200);
  });
