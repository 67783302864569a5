import { ApiRouter, createRoute } from "../api-router";
import { authenticateBearerOrToken, callerContext } from "../middleware/authenticate";
import { AdminUserPatch, paginate, SetPasswordBody, toUserPage, UserId, UserListQuery } from "../schemas/admin";
import { BEARER_OR_TOKEN_AUTH, envelopeErrors, json, jsonBody } from "../schemas/openapi";
import {
  AdminUser,
  EnvelopeMessage,
  envelope,
  envelopeMessage,
  envelopeOf,
  pageOf,
  toAdminUser,
} from "../schemas/responses";
import { SESSION_EXAMPLE, SessionParam, SessionView } from "../schemas/sessions";
import {
  confirmRoleAsAdmin,
  deleteUserAsAdmin,
  listSessionsAsAdmin,
  listUsersFor,
  loadTarget,
  revokeSessionAsAdmin,
  revokeSessionsAsAdmin,
  sendPasswordResetAsAdmin,
  setPasswordAsAdmin,
  updateUserAsAdmin,
} from "../services/administration";

// Every route here takes either credential and authenticates before it validates anything, so a
// caller without one learns nothing about the request (401 before any 400).
const CALLER = {
  tags: ["Users"],
  security: BEARER_OR_TOKEN_AUTH,
  middleware: authenticateBearerOrToken,
};

const ADMINS_ONLY =
  "Admins only. An admin who is not a superuser may not act on another privileged user (role `admin`, " +
  "staff or superuser). An unknown id is a 404 for admins and a 403 for everyone else.";

const AdminUserEnvelope = envelopeOf(AdminUser);

const listUsers = createRoute({
  ...CALLER,
  method: "get",
  path: "/",
  operationId: "listUsers",
  summary: "List users, filtered, ordered and paginated",
  description:
    "Admins see every user; a staff role (teacher, doctor) that an administrator has confirmed sees the " +
    "roles it looks after (`STAFF_SCOPES`), read-only. Everyone else gets 403. `search` is a " +
    "case-insensitive substring of the email or a name.",
  request: { query: UserListQuery },
  responses: {
    200: json(envelopeOf(pageOf(AdminUser).meta({ id: "AdminUserPage" })), "A page of users"),
    ...envelopeErrors(400, 401, 403),
  },
});

const getUser = createRoute({
  ...CALLER,
  method: "get",
  path: "/{id}/",
  operationId: "getUser",
  summary: "One user",
  description:
    "Anyone may see themselves, admins everyone, a confirmed staff role the roles it looks after. An " +
    "unknown id is a 404 for admins and a 403 for everyone else, so ids cannot be probed.",
  request: { params: UserId },
  responses: { 200: json(AdminUserEnvelope, "The user"), ...envelopeErrors(400, 401, 403, 404) },
});

const updateUser = createRoute({
  ...CALLER,
  method: "patch",
  path: "/{id}/",
  operationId: "updateUser",
  summary: "Change a user",
  description:
    `${ADMINS_ONLY} Granting or revoking \`admin\`, \`is_staff\` or \`is_superuser\` is for superusers. ` +
    "A role an administrator sets is confirmed by them. Deactivating signs the user out everywhere at once. " +
    "409: the last active superuser, or the caller's own last admin seat, cannot be given up. Audited as " +
    "`update_user` (a change that changes nothing writes nothing).",
  request: { params: UserId, body: jsonBody(AdminUserPatch) },
  responses: {
    200: json(AdminUserEnvelope, "The user as changed"),
    ...envelopeErrors(400, 401, 403, 404, 409, 413, 415),
  },
});

const deleteUser = createRoute({
  ...CALLER,
  method: "delete",
  path: "/{id}/",
  operationId: "deleteUser",
  summary: "Delete a user, their tokens and their picture",
  description:
    `${ADMINS_ONLY} 409: the last active superuser, or the caller's own last admin seat, cannot be deleted. ` +
    "Audited as `delete_user`, with every field the user had but the password hash; the audit trail keeps " +
    "naming them.",
  request: { params: UserId },
  responses: { 200: json(EnvelopeMessage, "Deleted"), ...envelopeErrors(400, 401, 403, 404, 409) },
});

const confirmRole = createRoute({
  ...CALLER,
  method: "post",
  path: "/{id}/confirm-role/",
  operationId: "confirmUserRole",
  summary: "Confirm a user's staff role, giving it its scope",
  description:
    `${ADMINS_ONLY} 409: the role is not a staff role (\`STAFF_SCOPES\`), or it changed or was confirmed ` +
    "meanwhile. A confirmed role stays as it was. Audited as `confirm_role`.",
  request: { params: UserId },
  responses: { 200: json(AdminUserEnvelope, "The user, role confirmed"), ...envelopeErrors(400, 401, 403, 404, 409) },
});

// Both sign the user out in a transaction, which MySQL may roll back in a lock race: 409, retry.
const revokeSessions = createRoute({
  ...CALLER,
  method: "post",
  path: "/{id}/revoke-sessions/",
  operationId: "revokeUserSessions",
  summary: "Sign a user out of every session and token",
  description: `${ADMINS_ONLY} Audited as \`revoke_sessions\`.`,
  request: { params: UserId },
  responses: { 200: json(EnvelopeMessage, "Signed out everywhere"), ...envelopeErrors(400, 401, 403, 404, 409) },
});

const setPassword = createRoute({
  ...CALLER,
  method: "post",
  path: "/{id}/set-password/",
  operationId: "setUserPassword",
  summary: "Set a user's password, and sign them out everywhere",
  description: `${ADMINS_ONLY} Django's password validators apply. Audited as \`set_password\`, never as a hash.`,
  request: { params: UserId, body: jsonBody(SetPasswordBody) },
  responses: {
    200: json(EnvelopeMessage, "Password set, signed out everywhere"),
    ...envelopeErrors(400, 401, 403, 404, 409, 413, 415),
  },
});

const listSessions = createRoute({
  ...CALLER,
  method: "get",
  path: "/{id}/sessions/",
  operationId: "listUserSessions",
  summary: "A user's live sessions, newest first",
  description: `${ADMINS_ONLY} Under the policy of \`revoke_sessions\`.`,
  request: { params: UserId },
  responses: {
    200: json(envelopeOf(SessionView.array()), "The sessions", envelope([{ ...SESSION_EXAMPLE, current: false }])),
    ...envelopeErrors(400, 401, 403, 404),
  },
});

const revokeSession = createRoute({
  ...CALLER,
  method: "delete",
  path: "/{id}/sessions/{sessionId}/",
  operationId: "revokeUserSession",
  summary: "End one session of a user",
  description: `${ADMINS_ONLY} A session of another user is a 404. Audited as \`revoke_session\`.`,
  request: { params: UserId.extend(SessionParam.shape) },
  responses: { 200: json(EnvelopeMessage, "Ended"), ...envelopeErrors(400, 401, 403, 404, 409) },
});

const sendPasswordReset = createRoute({
  ...CALLER,
  method: "post",
  path: "/{id}/send-password-reset/",
  operationId: "sendUserPasswordReset",
  summary: "Mail a user a password reset link",
  description:
    `${ADMINS_ONLY} The link is the one POST /auth/password-reset/ sends, mailed after the response; the ` +
    "requests limits do not apply. 409: the user is inactive. Audited as `send_password_reset`.",
  request: { params: UserId },
  responses: { 200: json(EnvelopeMessage, "The link is on its way"), ...envelopeErrors(400, 401, 403, 404, 409) },
});

/** `/auth/users/`: user administration, every action decided by the policy. */
export const authUsers = new ApiRouter()
  .openapi(listUsers, async (c) => {
    const query = c.req.valid("query");
    const { users, total } = await listUsersFor(callerContext(c), toUserPage(query));
    const results = users.map((user) => toAdminUser(user, c.req.url));
    return c.json(envelope({ results, pagination: paginate(query, total) }), 200);
  })
  .openapi(getUser, async (c) => {
    const user = await loadTarget(callerContext(c), c.req.valid("param").id, "view_user");
    return c.json(envelope(toAdminUser(user, c.req.url)), 200);
  })
  .openapi(updateUser, async (c) => {
    const body = c.req.valid("json");
    const user = await updateUserAsAdmin(callerContext(c), c.req.valid("param").id, {
      fullName: body.fullName,
      firstName: body.first_name,
      lastName: body.last_name,
      email: body.email,
      role: body.role,
      bio: body.bio,
      isActive: body.is_active,
      isStaff: body.is_staff,
      isSuperuser: body.is_superuser,
    });
    return c.json(envelope(toAdminUser(user, c.req.url), "User updated"), 200);
  })
  .openapi(deleteUser, async (c) => {
    await deleteUserAsAdmin(callerContext(c), c.req.valid("param").id);
    return c.json(envelopeMessage("User deleted"), 200);
  })
  .openapi(confirmRole, async (c) => {
    const user = await confirmRoleAsAdmin(callerContext(c), c.req.valid("param").id);
    return c.json(envelope(toAdminUser(user, c.req.url), "Role confirmed"), 200);
  })
  .openapi(revokeSessions, async (c) => {
    await revokeSessionsAsAdmin(callerContext(c), c.req.valid("param").id);
    return c.json(envelopeMessage("Sessions revoked"), 200);
  })
  .openapi(listSessions, async (c) => {
    return c.json(envelope(await listSessionsAsAdmin(callerContext(c), c.req.valid("param").id)), 200);
  })
  .openapi(revokeSession, async (c) => {
    const { id, sessionId } = c.req.valid("param");
    await revokeSessionAsAdmin(callerContext(c), id, sessionId);
    return c.json(envelopeMessage("Session revoked"), 200);
  })
  .openapi(setPassword, async (c) => {
    const body = c.req.valid("json");
    await setPasswordAsAdmin(callerContext(c), c.req.valid("param").id, {
      password: body.password,
      passwordConfirm: body.password_confirm,
    });
    return c.json(envelopeMessage("Password set; sessions revoked"), 200);
  })
  .openapi(sendPasswordReset, async (c) => {
    await sendPasswordResetAsAdmin(callerContext(c), c.req.valid("param").id);
    return c.json(envelopeMessage("Password reset link sent"), 200);
  })
  // Reached only by requests no route above answers (another method, an unknown path): they too
  // need credentials before their 405 or 404, as DRF checks permissions before the method.
  .use(authenticateBearerOrToken);
