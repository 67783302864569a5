// The user page as a function of the request: routes that show it (GET) and routes that show it
// again with a refused form's errors (POST) share it.

import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { User } from "../db/schema";
import { pageParam } from "../schemas/admin-site";
import { pictureUrl } from "../schemas/users";
import { type AdminContext, listAuditFor, loadTarget } from "../services/administration";
import { type Action, ADMIN_ROLE, can, isStaffRole } from "../services/policy";
import { type AdminEnv, adminContext, staffOf } from "./context";
import { renderPage } from "./render";
import type { FieldErrors } from "./views/fields";
import { displayName } from "./views/format";
import type { EditValues } from "./views/user-forms";
import { UserPage, type UserPermissions } from "./views/user-page";

const AUDIT_PAGE_SIZE = 10;

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
export async function renderUserPage(
  c: Context<AdminEnv>,
  id: number,
  refused: RefusedForms = {},
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const ctx = adminContext(c);
  const user = await loadTarget(ctx, id, "view_user");
  const may = permissionsOn(ctx, user);
  // Giving or taking the admin role is a privilege too; the current role always stays on offer.
  const roles = ctx.roles.filter((role) => may.grantPrivileges || role !== ADMIN_ROLE || role === user.role);
  const audit = may.viewAudit ? await auditPage(ctx, user, c.req.query("audit_page")) : undefined;
  const page = (
    <UserPage
      user={user}
      pictureUrl={pictureUrl(c.req.url, user.profilePicture)}
      may={may}
      csrfToken={staffOf(c).csrfToken}
      roles={roles}
      edit={{ values: editValues(user, refused.edit?.submitted), errors: refused.edit?.errors }}
      passwordErrors={refused.password?.errors}
      audit={audit}
    />
  );
  return renderPage(c, displayName(user), page, status);
}
