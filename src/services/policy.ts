// Who may do what to whom: the one place that decides, asked by every administration route and
// the admin site. Pure, so a unit test can walk the whole matrix.

export type Action =
  | "list_users"
  | "view_user"
  | "update_user"
  /** Grant or revoke `admin`, `is_staff` or `is_superuser`. */
  | "grant_privileges"
  /** Give a staff role chosen at registration the scope STAFF_SCOPES names for it. */
  | "confirm_role"
  | "delete_user"
  | "revoke_sessions"
  | "set_password"
  /** Mail the user a password reset link. */
  | "send_password_reset"
  /** Record that the user's email address is verified. */
  | "verify_email"
  | "view_audit";

export const ACTIONS: readonly Action[] = [
  "list_users",
  "view_user",
  "update_user",
  "grant_privileges",
  "confirm_role",
  "delete_user",
  "revoke_sessions",
  "set_password",
  "send_password_reset",
  "verify_email",
  "view_audit",
];

export interface Principal {
  id: number;
  role: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /** When an administrator confirmed `role`; null when nobody has (e.g. chosen at registration). */
  roleConfirmedAt: Date | null;
}

/** Staff role -> the roles it looks after, e.g. `{teacher: ["student"], doctor: ["patient"]}`. */
export type StaffScopes = Readonly<Record<string, readonly string[]>>;

export const ADMIN_ROLE = "admin";

/** An administrator: the `admin` role or Django's staff or superuser flag, and active. */
export function isAdmin(user: Principal): boolean {
  return user.isActive && (user.role === ADMIN_ROLE || user.isStaff || user.isSuperuser);
}

/** Holds any privilege that only a superuser may grant or take away. */
export function isPrivileged(user: Principal): boolean {
  return user.role === ADMIN_ROLE || user.isStaff || user.isSuperuser;
}

/** A role STAFF_SCOPES gives a scope to, which an administrator must confirm before it counts. */
export function isStaffRole(role: string, scopes: StaffScopes): boolean {
  return Object.hasOwn(scopes, role);
}

/**
 * The roles a caller may list: every role (`"all"`), the roles a staff role looks after, or none.
 * Registration lets anyone pick a staff role, so its scope counts only once an administrator has
 * confirmed it; until then the caller sees only themselves, as a student does.
 */
export function listableRoles(actor: Principal, scopes: StaffScopes): "all" | readonly string[] {
  if (isAdmin(actor)) return "all";
  return (actor.isActive && actor.roleConfirmedAt !== null && scopes[actor.role]) || [];
}

/**
 * Whether `actor` may do `action` (to `target`, for actions on a user). Admins manage every user,
 * but only superusers touch privileges or the accounts of other privileged users (else an admin
 * could take over a superuser by setting their password). Staff roles read the roles they look
 * after, once confirmed. Everyone sees themselves.
 */
export function can(actor: Principal, action: Action, target: Principal | undefined, scopes: StaffScopes): boolean {
  if (!actor.isActive) return false;
  if (action === "list_users") return listableRoles(actor, scopes).length > 0;
  if (action === "view_audit") return isAdmin(actor);
  if (!target) return false;
  const self = actor.id === target.id;
  if (action === "view_user") {
    if (self || isAdmin(actor)) return true;
    const roles = listableRoles(actor, scopes);
    return roles !== "all" && roles.includes(target.role);
  }
  if (!isAdmin(actor)) return false;
  if (action === "grant_privileges") return actor.isSuperuser;
  if (actor.isSuperuser || self) return true;
  return !isPrivileged(target);
}

/**
 * Whether `actor` may rotate or revoke the token signing keys: a superuser only, since a key
 * decides whose tokens every service believes. Not an action on a user, so outside `can()`.
 */
export function canManageSigningKeys(actor: Principal): boolean {
  return actor.isActive && actor.isSuperuser;
}
