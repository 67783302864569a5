// The user-administration use cases, shared by the `/auth/users/` API and the admin site: each asks
// the policy, applies its change and writes its audit entry in one transaction.

import { type AuditChanges, insertAuditEntry, listAuditEntries } from "../db/audit";
import type { Database, Executor } from "../db/client";
import { revokeUserTokens } from "../db/one-time-tokens";
import type { User } from "../db/schema";
import { revokeSessions } from "../db/sessions";
import { listUsers, type UserListQuery } from "../db/user-list";
import {
  confirmRole,
  countOtherActive,
  deleteUserRows,
  findUserById,
  normalizeEmail,
  signOutEverywhere,
  updateUser,
} from "../db/users";
import { type MailingDeps, mailLater, notifyPasswordChanged } from "./account-links";
import { emailTakenOr } from "./account-rows";
import { newPasswordErrors } from "./accounts";
import type { BreachCheck } from "./breached-passwords";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "./domain-errors";
import { type Names, namesToStore } from "./names";
import { passwordResetFor } from "./password-reset";
import { hashPassword } from "./passwords";
import { type Action, ADMIN_ROLE, can, isAdmin, isStaffRole, listableRoles, type StaffScopes } from "./policy";
import { type SessionStore, type SessionView, sessionsOf } from "./sessions";

export interface AdminContext extends MailingDeps {
  db: Database;
  bucket: R2Bucket;
  actor: User;
  scopes: StaffScopes;
  roles: readonly string[];
  /** The breached-password check a password set for someone goes through. */
  breaches: BreachCheck;
  requestId: string;
  /** The session rows, for listing and ending a user's. */
  sessions: SessionStore;
}

export type UserChanges = Partial<Names> & {
  email?: string;
  role?: string;
  bio?: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
};

// Column -> the name the APIs and the audit trail use for it.
const FIELD_NAMES: Record<keyof UserChanges, string> = {
  fullName: "fullName",
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  role: "role",
  bio: "bio",
  isActive: "is_active",
  isStaff: "is_staff",
  isSuperuser: "is_superuser",
};

function authorize(ctx: AdminContext, action: Action, target?: User): void {
  if (!can(ctx.actor, action, target, ctx.scopes)) throw new Forbidden();
}

/**
 * The user `id` if the caller may do `action` to them. A missing user is a 404 for admins and a
 * 403 for everyone else, so ids cannot be probed.
 */
export async function loadTarget(ctx: AdminContext, id: number, action: Action): Promise<User> {
  const target = await findUserById(ctx.db, id);
  if (!target) {
    if (isAdmin(ctx.actor)) throw new NotFound("No user with that id.");
    throw new Forbidden();
  }
  authorize(ctx, action, target);
  return target;
}

export type UserPage = Omit<UserListQuery, "roles">;

/** The users the caller may see, filtered, ordered and paginated. */
export async function listUsersFor(ctx: AdminContext, query: UserPage) {
  authorize(ctx, "list_users");
  const roles = listableRoles(ctx.actor, ctx.scopes);
  return listUsers(ctx.db, { ...query, roles: roles === "all" ? undefined : roles });
}

function audit(tx: Executor, ctx: AdminContext, action: string, target: User, changes: AuditChanges) {
  return insertAuditEntry(tx, {
    actorId: ctx.actor.id,
    actorEmail: ctx.actor.email,
    action,
    targetId: target.id,
    targetEmail: target.email,
    changes,
    requestId: ctx.requestId,
  });
}

const holdsSuperuserSeat = (user: Pick<User, "isActive" | "isSuperuser">) => user.isActive && user.isSuperuser;

/**
 * The guard rails, checked inside the change's transaction with the other seats locked: the last
 * active superuser stays, and nobody demotes or deactivates themselves out of the last admin seat.
 */
async function keepSeatsFilled(tx: Executor, ctx: AdminContext, before: User, after: User | undefined) {
  if (holdsSuperuserSeat(before) && !(after && holdsSuperuserSeat(after))) {
    if ((await countOtherActive(tx, "superuser", before.id)) === 0) {
      throw new Conflict("The last active superuser cannot be removed or demoted.");
    }
  }
  if (ctx.actor.id === before.id && isAdmin(before) && !(after && isAdmin(after))) {
    if ((await countOtherActive(tx, "admin", before.id)) === 0) {
      throw new Conflict("You hold the last admin seat: you cannot leave it.");
    }
  }
}

/** The fields of `proposed` that really change `target`; undefined means "leave as it is". */
function changedFields(target: User, proposed: UserChanges): UserChanges {
  const entries = Object.entries(proposed) as [keyof UserChanges, unknown][];
  return Object.fromEntries(entries.filter(([key, value]) => value !== undefined && value !== target[key]));
}

/** Before and after of each changed field, under the names the APIs use. */
function auditChanges(target: User, changed: UserChanges): AuditChanges {
  const entries = Object.entries(changed) as [keyof UserChanges, unknown][];
  return Object.fromEntries(entries.map(([key, after]) => [FIELD_NAMES[key], { before: target[key], after }]));
}

/** The actor's confirmation of a user's role, as stored, at `now`. */
function confirmationBy(ctx: AdminContext, now: Date) {
  return { roleConfirmedAt: now, roleConfirmedBy: ctx.actor.id };
}

function confirmationChanges(target: User, confirmation: ReturnType<typeof confirmationBy>): AuditChanges {
  return {
    role_confirmed_at: { before: target.roleConfirmedAt, after: confirmation.roleConfirmedAt },
    role_confirmed_by: { before: target.roleConfirmedBy, after: confirmation.roleConfirmedBy },
  };
}

function checkChanges(ctx: AdminContext, target: User, changes: UserChanges): void {
  if (changes.role !== undefined && !ctx.roles.includes(changes.role)) {
    throw new ValidationFailed({ role: [`"${changes.role}" is not a valid choice.`] });
  }
  const privileged =
    (changes.role !== undefined && (changes.role === ADMIN_ROLE) !== (target.role === ADMIN_ROLE)) ||
    (changes.isStaff !== undefined && changes.isStaff !== target.isStaff) ||
    (changes.isSuperuser !== undefined && changes.isSuperuser !== target.isSuperuser);
  if (privileged) authorize(ctx, "grant_privileges", target);
}

/**
 * Changes a user's names, email, role, bio and flags within the policy. Deactivating signs the
 * user out everywhere at once: their next request with any token gets 401. A role an administrator
 * gives is confirmed by them: it needs no separate confirmation.
 */
export async function updateUserAsAdmin(ctx: AdminContext, id: number, input: UserChanges): Promise<User> {
  const target = await loadTarget(ctx, id, "update_user");
  checkChanges(ctx, target, input);
  const { fullName, firstName, lastName, ...rest } = input;
  const changed = changedFields(target, { ...rest, ...namesToStore({ fullName, firstName, lastName }, target) });
  if (Object.keys(changed).length === 0) return target;
  const now = new Date();
  const confirmation = changed.role !== undefined ? confirmationBy(ctx, now) : undefined;
  const row = {
    ...changed,
    // An address an administrator types is not verified by anyone: it starts unverified.
    ...(changed.email !== undefined
      ? { emailNormalized: normalizeEmail(changed.email), emailVerifiedAt: null, pendingEmail: null }
      : {}),
    ...confirmation,
    updatedAt: now,
  };
  const after = { ...target, ...row };
  const changes = { ...auditChanges(target, changed), ...(confirmation && confirmationChanges(target, confirmation)) };
  try {
    await ctx.db.transaction(async (tx) => {
      await keepSeatsFilled(tx, ctx, target, after);
      if (target.isActive && !after.isActive) {
        await signOutEverywhere(tx, id, "deactivated", { now: row.updatedAt, changes: row });
      } else await updateUser(tx, id, row);
      await audit(tx, ctx, "update_user", target, changes);
    });
  } catch (error) {
    throw emailTakenOr(error);
  }
  return after;
}

/**
 * Confirms a staff role chosen at registration, so that it gets the scope STAFF_SCOPES names for
 * it. A role that is already confirmed stays as it was; a role with no scope has nothing to confirm.
 */
export async function confirmRoleAsAdmin(ctx: AdminContext, id: number): Promise<User> {
  const target = await loadTarget(ctx, id, "confirm_role");
  if (!isStaffRole(target.role, ctx.scopes)) {
    throw new Conflict(`The role "${target.role}" has no scope to confirm.`);
  }
  if (target.roleConfirmedAt !== null) return target;
  const confirmation = confirmationBy(ctx, new Date());
  await ctx.db.transaction(async (tx) => {
    if (!(await confirmRole(tx, id, target.role, confirmation))) {
      throw new Conflict("The user's role changed or was confirmed meanwhile: look again.");
    }
    await audit(tx, ctx, "confirm_role", target, confirmationChanges(target, confirmation));
  });
  return { ...target, ...confirmation, updatedAt: confirmation.roleConfirmedAt };
}

/** Signs a user out of every session and token. */
export async function revokeSessionsAsAdmin(ctx: AdminContext, id: number): Promise<void> {
  const target = await loadTarget(ctx, id, "revoke_sessions");
  await ctx.db.transaction(async (tx) => {
    await signOutEverywhere(tx, id, "admin");
    const version = { before: target.tokenVersion, after: target.tokenVersion + 1 };
    await audit(tx, ctx, "revoke_sessions", target, { token_version: version });
  });
}

/** A user's live sessions, for those who may end them. */
export async function listSessionsAsAdmin(ctx: AdminContext, id: number): Promise<SessionView[]> {
  await loadTarget(ctx, id, "revoke_sessions");
  return sessionsOf(ctx.sessions, id);
}

/** Ends one session of a user; one of someone else, or already ended, is not found. */
export async function revokeSessionAsAdmin(ctx: AdminContext, id: number, sessionId: string): Promise<void> {
  const target = await loadTarget(ctx, id, "revoke_sessions");
  const now = ctx.sessions.now();
  await ctx.db.transaction(async (tx) => {
    if ((await revokeSessions(tx, { userId: id, ids: [sessionId] }, "admin", now)) === 0) {
      throw new NotFound("No such session.");
    }
    await audit(tx, ctx, "revoke_session", target, { session: { before: sessionId, after: null } });
  });
}

/** Sets a password under the same validators, and signs the user out everywhere. */
export async function setPasswordAsAdmin(
  ctx: AdminContext,
  id: number,
  input: { password: string; passwordConfirm: string },
): Promise<void> {
  const target = await loadTarget(ctx, id, "set_password");
  const errors = await newPasswordErrors(ctx.breaches, input.password, input.passwordConfirm, target);
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
  const password = await hashPassword(input.password);
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    await signOutEverywhere(tx, id, "admin", { now, changes: { password, passwordChangedAt: now } });
    await revokeUserTokens(tx, id, "password_reset", now);
    // The audit trail records that the password changed, never a hash of it.
    await audit(tx, ctx, "set_password", target, { password: { before: "(hidden)", after: "(changed)" } });
  });
  notifyPasswordChanged(ctx, target);
}

/**
 * Mails the user a password reset link, as if they had asked for one (the limits on requests do
 * not apply: an administrator is not a stranger). Audited; the mail goes after the response.
 */
export async function sendPasswordResetAsAdmin(ctx: AdminContext, id: number): Promise<User> {
  const target = await loadTarget(ctx, id, "send_password_reset");
  // A reset refuses inactive accounts, so their link would only mislead.
  if (!target.isActive) throw new Conflict("The user is inactive: a reset link would not work.");
  await audit(ctx.db, ctx, "send_password_reset", target, { password_reset_link: { before: null, after: "(sent)" } });
  mailLater(ctx, () => passwordResetFor(ctx, target));
  return target;
}

/** Records the user's address as verified, as an administrator vouches for it. Audited. */
export async function markEmailVerifiedAsAdmin(ctx: AdminContext, id: number): Promise<User> {
  const target = await loadTarget(ctx, id, "verify_email");
  if (target.emailVerifiedAt !== null) return target;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await updateUser(tx, id, { emailVerifiedAt: now });
    await audit(tx, ctx, "verify_email", target, { email_verified_at: { before: null, after: now } });
  });
  return { ...target, emailVerifiedAt: now };
}

/**
 * Deletes a user, their tokens and their picture. The audit trail keeps the entry, with what the
 * user was, so the deletion stays accountable.
 */
export async function deleteUserAsAdmin(ctx: AdminContext, id: number): Promise<User> {
  const target = await loadTarget(ctx, id, "delete_user");
  await ctx.db.transaction(async (tx) => {
    await keepSeatsFilled(tx, ctx, target, undefined);
    await deleteUserRows(tx, id);
    const { password: _hash, ...kept } = target;
    const changes = Object.fromEntries(Object.entries(kept).map(([key, before]) => [key, { before, after: null }]));
    await audit(tx, ctx, "delete_user", target, changes);
  });
  if (target.profilePicture) await ctx.bucket.delete(target.profilePicture);
  return target;
}

/** The audit trail, newest first, optionally about one user; for those who may read it. */
export async function listAuditFor(ctx: AdminContext, query: { targetId?: number; limit: number; offset: number }) {
  authorize(ctx, "view_audit");
  return listAuditEntries(ctx.db, query);
}
