import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { authenticateBearerOrToken, type WithCaller } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { AdminUserPatch, paginate, SetPasswordBody, toUserPage, UserId, UserListQuery } from "../schemas/admin";
import { envelope, envelopeMessage, toAdminUser } from "../schemas/responses";
import {
  confirmRoleAsAdmin,
  deleteUserAsAdmin,
  listUsersFor,
  loadTarget,
  revokeSessionsAsAdmin,
  setPasswordAsAdmin,
  updateUserAsAdmin,
} from "../services/administration";

const adminContext = (c: Context<WithCaller>) => c.var.services.adminContext(c.var.user);

const byId = validate("param", UserId);

/** `/auth/users/`: user administration, every action decided by the policy. */
export const authUsers = new Hono<AppEnv>()
  .use(authenticateBearerOrToken)
  .get("/", validate("query", UserListQuery), async (c) => {
    const query = c.req.valid("query");
    const { users, total } = await listUsersFor(adminContext(c), toUserPage(query));
    const results = users.map((user) => toAdminUser(user, c.req.url));
    return c.json(envelope({ results, pagination: paginate(query, total) }));
  })
  .get("/:id", byId, async (c) => {
    const user = await loadTarget(adminContext(c), c.req.valid("param").id, "view_user");
    return c.json(envelope(toAdminUser(user, c.req.url)));
  })
  .patch("/:id", byId, validate("json", AdminUserPatch), async (c) => {
    const body = c.req.valid("json");
    const user = await updateUserAsAdmin(adminContext(c), c.req.valid("param").id, {
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
    return c.json(envelope(toAdminUser(user, c.req.url), "User updated"));
  })
  .delete("/:id", byId, async (c) => {
    await deleteUserAsAdmin(adminContext(c), c.req.valid("param").id);
    return c.json(envelopeMessage("User deleted"));
  })
  .post("/:id/confirm-role", byId, async (c) => {
    const user = await confirmRoleAsAdmin(adminContext(c), c.req.valid("param").id);
    return c.json(envelope(toAdminUser(user, c.req.url), "Role confirmed"));
  })
  .post("/:id/revoke-sessions", byId, async (c) => {
    await revokeSessionsAsAdmin(adminContext(c), c.req.valid("param").id);
    return c.json(envelopeMessage("Sessions revoked"));
  })
  .post("/:id/set-password", byId, validate("json", SetPasswordBody), async (c) => {
    const body = c.req.valid("json");
    await setPasswordAsAdmin(adminContext(c), c.req.valid("param").id, {
      password: body.password,
      passwordConfirm: body.password_confirm,
    });
    return c.json(envelopeMessage("Password set; sessions revoked"));
  });
