import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { User } from "../../db/schema";
import { toUserPage } from "../../schemas/admin";
import { AdminPasswordForm, AdminUserForm, AdminUserListQuery, pageParam } from "../../schemas/admin-site";
import { toFieldErrors } from "../../schemas/messages";
import { pictureUrl } from "../../schemas/responses";
import {
  type AdminContext,
  confirmRoleAsAdmin,
  deleteUserAsAdmin,
  listAuditFor,
  listUsersFor,
  loadTarget,
  markEmailVerifiedAsAdmin,
  revokeSessionAsAdmin,
  revokeSessionsAsAdmin,
  sendPasswordResetAsAdmin,
  setPasswordAsAdmin,
  type UserChanges,
  updateUserAsAdmin,
} from "../../services/administration";
import { Conflict, type FieldErrors, ValidationFailed } from "../../services/domain-errors";
import { type Action, ADMIN_ROLE, can, isStaffRole } from "../../services/policy";
import { sessionsOf } from "../../services/sessions";
import type { AdminEnv, StaffEnv } from "../admin-env";
import { setFlash } from "../cookies";
import { readForm, requireCsrfToken, requireStaff } from "../middleware";
import { renderPage } from "../render";
import { displayName, userPath } from "../views/format";
import type { EditValues } from "../views/user-forms";
import { DeletePage, UserPage, type UserPermissions } from "../views/user-page";
import { UsersPage } from "../views/users-page";

/** Ids in paths: digits only, short enough to stay an exact number. */
const USER_ID = ":id{[0-9]{1,15}}";

const AUDIT_PAGE_SIZE = 10;

/** The administration services acting for this request's staff member. */
const staffContext = (c: Context<StaffEnv>): AdminContext => c.var.services.adminContext(c.var.staff.user);

/** A refused form, to show again with its errors beside the fields. */
export interface RefusedForms {
  edit?: { submitted: Record<string, string>; errors: FieldErrors };
  password?: { errors: FieldErrors };
}

function permissionsOn(ctx: AdminContext, target: User): UserPermissions {
  const may = (action: Action) => can(ctx.actor, action, target, ctx.scopes);
  return {
    update: may("update_user"),
    grantPrivileges: may("grant_privileges"),
    // Offered only where it would change something: a staff role nobody has confirmed yet.
    confirmRole: may("confirm_role") && isStaffRole(target.role, ctx.scopes) && target.roleConfirmedAt === null,
    setPassword: may("set_password"),
    sendPasswordReset: may("send_password_reset") && target.isActive,
    // Offered only where it would change something.
    markVerified: may("verify_email") && target.emailVerifiedAt === null,
    revokeSessions: may("revoke_sessions"),
    delete: may("delete_user"),
    viewAudit: may("view_audit"),
  };
}

/** The user's values, or the submitted ones where a refused form sent them. */
function editValues(user: User, submitted: Record<string, string> = {}): EditValues {
  const flag = (name: string, current: boolean) => (name in submitted ? submitted[name] === "on" : current);
  return {
    first_name: submitted.first_name ?? user.firstName,
    last_name: submitted.last_name ?? user.lastName,
    email: submitted.email ?? user.email,
    role: submitted.role ?? user.role,
    bio: submitted.bio ?? user.bio,
    is_active: flag("is_active", user.isActive),
    is_staff: flag("is_staff", user.isStaff),
    is_superuser: flag("is_superuser", user.isSuperuser),
  };
}

async function auditPage(ctx: AdminContext, target: User, requested: string | undefined) {
  const page = pageParam.parse(requested);
  const { entries, total } = await listAuditFor(ctx, {
    targetId: target.id,
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
  });
  return { entries, total, page, pageSize: AUDIT_PAGE_SIZE };
}

/** Shows user `id` to the staff member asking, if the policy lets them see it (else 403 or 404). */
async function renderUserPage(
  c: Context<StaffEnv>,
  id: number,
  refused: RefusedForms = {},
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const ctx = staffContext(c);
  const user = await loadTarget(ctx, id, "view_user");
  const may = permissionsOn(ctx, user);
  // Giving or taking the admin role is a privilege too; the current role always stays on offer.
  const roles = ctx.roles.filter((role) => may.grantPrivileges || role !== ADMIN_ROLE || role === user.role);
  const [audit, sessions] = await Promise.all([
    may.viewAudit ? auditPage(ctx, user, c.req.query("audit_page")) : undefined,
    // The policy was asked above (may): the user read once.
    may.revokeSessions ? sessionsOf(ctx.sessions, id) : undefined,
  ]);
  const page = (
    <UserPage
      user={user}
      pictureUrl={pictureUrl(c.req.url, user.profilePicture)}
      may={may}
      csrfToken={c.var.staff.csrfToken}
      roles={roles}
      edit={{ values: editValues(user, refused.edit?.submitted), errors: refused.edit?.errors }}
      passwordErrors={refused.password?.errors}
      audit={audit}
      sessions={sessions}
    />
  );
  return renderPage(c, displayName(user), page, status);
}

const idOf = (c: Context) => Number(c.req.param("id"));

/**
 * Answers a change the way a form expects (POST, redirect, GET): success goes to `done` with a
 * flash message; a conflict with a guard rail (e.g. the last superuser) goes back with the reason as
 * a flash error; field errors show the form again. Forbidden and not found become their pages.
 */
/** A change on a user's page comes back to that page, done or refused. */
const backToUser = (id: number) => ({ done: userPath(id), back: userPath(id) });

async function answer(
  c: Context<StaffEnv>,
  to: { done: string; back: string },
  change: () => Promise<string>,
  showInvalid?: (errors: FieldErrors) => Promise<Response>,
): Promise<Response> {
  try {
    setFlash(c, { kind: "success", text: await change() });
    return c.redirect(to.done, 303);
  } catch (error) {
    if (error instanceof ValidationFailed && showInvalid) return showInvalid(error.errors);
    if (!(error instanceof Conflict)) throw error;
    setFlash(c, { kind: "error", text: error.message });
    return c.redirect(to.back, 303);
  }
}

/** The form's changes in the service's terms; flags the form left out stay as they are. */
function toChanges(form: AdminUserForm): UserChanges {
  const changes: UserChanges = {
    firstName: form.first_name,
    lastName: form.last_name,
    email: form.email,
    role: form.role,
    bio: form.bio,
    isActive: form.is_active,
    isStaff: form.is_staff,
    isSuperuser: form.is_superuser,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/**
 * `/admin/users`: the list, a user's page and the confirmation before a deletion, and the user
 * page's forms. Every page needs a staff session, and every change its CSRF token; every change
 * goes through the administration services, so the policy, guard rails and audit are the API's.
 */
export const users = new Hono<AdminEnv>()
  .use(requireStaff, requireCsrfToken)
  .get("/", async (c) => {
    const query = AdminUserListQuery.parse(c.req.query());
    const ctx = staffContext(c);
    const { users, total } = await listUsersFor(ctx, toUserPage(query));
    return renderPage(c, "Users", <UsersPage query={query} users={users} total={total} roles={ctx.roles} />);
  })
  .get(`/${USER_ID}`, (c) => renderUserPage(c, Number(c.req.param("id"))))
  .get(`/${USER_ID}/delete`, async (c) => {
    const user = await loadTarget(staffContext(c), Number(c.req.param("id")), "delete_user");
    return renderPage(c, `Delete ${displayName(user)}`, <DeletePage user={user} csrfToken={c.var.staff.csrfToken} />);
  })
  .post(`/${USER_ID}`, async (c) => {
    const id = idOf(c);
    const submitted = await readForm(c);
    const showInvalid = (errors: FieldErrors) => renderUserPage(c, id, { edit: { submitted, errors } }, 400);
    const parsed = AdminUserForm.safeParse(submitted);
    if (!parsed.success) return showInvalid(toFieldErrors(parsed.error));
    const here = backToUser(id);
    return answer(
      c,
      here,
      async () => {
        const user = await updateUserAsAdmin(staffContext(c), id, toChanges(parsed.data));
        return `Saved the changes to ${user.email}.`;
      },
      showInvalid,
    );
  })
  .post(`/${USER_ID}/password`, async (c) => {
    const id = idOf(c);
    const showInvalid = (errors: FieldErrors) => renderUserPage(c, id, { password: { errors } }, 400);
    const parsed = AdminPasswordForm.safeParse(await readForm(c));
    if (!parsed.success) return showInvalid(toFieldErrors(parsed.error));
    const here = backToUser(id);
    return answer(
      c,
      here,
      async () => {
        await setPasswordAsAdmin(staffContext(c), id, parsed.data);
        return "The password was changed, and the user signed out everywhere.";
      },
      showInvalid,
    );
  })
  .post(`/${USER_ID}/confirm-role`, (c) => {
    const id = idOf(c);
    return answer(c, backToUser(id), async () => {
      const { role, email } = await confirmRoleAsAdmin(staffContext(c), id);
      return `Confirmed the ${role} role of ${email}.`;
    });
  })
  .post(`/${USER_ID}/revoke-sessions`, (c) => {
    const id = idOf(c);
    return answer(c, backToUser(id), async () => {
      await revokeSessionsAsAdmin(staffContext(c), id);
      return "The user was signed out everywhere.";
    });
  })
  .post(`/${USER_ID}/sessions/:sessionId{[0-9a-f-]{36}}/revoke`, (c) => {
    const id = idOf(c);
    return answer(c, backToUser(id), async () => {
      await revokeSessionAsAdmin(staffContext(c), id, c.req.param("sessionId"));
      return "The session was revoked.";
    });
  })
  .post(`/${USER_ID}/send-password-reset`, (c) => {
    const id = idOf(c);
    return answer(c, backToUser(id), async () => {
      const { email } = await sendPasswordResetAsAdmin(staffContext(c), id);
      return `A password reset link is on its way to ${email}.`;
    });
  })
  .post(`/${USER_ID}/mark-verified`, (c) => {
    const id = idOf(c);
    return answer(c, backToUser(id), async () => {
      const { email } = await markEmailVerifiedAsAdmin(staffContext(c), id);
      return `Marked ${email} as verified.`;
    });
  })
  .post(`/${USER_ID}/delete`, (c) => {
    const id = idOf(c);
    return answer(c, { done: "/admin/users", back: userPath(id) }, async () => {
      const { email } = await deleteUserAsAdmin(staffContext(c), id);
      return `Deleted the user ${email}.`;
    });
  });
