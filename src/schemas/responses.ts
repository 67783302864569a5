// What the APIs answer: the `/auth/` envelope and every shape a user or an audit entry takes, as
// functions that build them and as the Zod schemas that document them (schemas/openapi.ts).
import * as z from "zod";
import type { StoredAuditEntry } from "../db/audit";
import type { User } from "../db/schema";
import { API_KEY_PATTERN } from "../services/api-tokens";

/** The `/auth/` document's success envelope around `data`, with a message where it has one. */
export function envelope<T>(data: T, message?: string): { success: true; data: T; message?: string } {
  return { success: true, data, ...(message ? { message } : {}) };
}

/** The `/auth/` document's success envelope that carries only a message (logout, change-password). */
export function envelopeMessage(message: string): { success: true; message: string } {
  return { success: true, message };
}

/** The schema of `envelope(data)`: `json(envelopeOf(AuthUser), "...")`. */
export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.strictObject({ success: z.literal(true), data, message: z.string().optional() });
}

/** The schema of `envelopeMessage(message)`. */
export const EnvelopeMessage = z
  .strictObject({ success: z.literal(true), message: z.string() })
  .meta({ id: "EnvelopeMessage" });

/**
 * A stored picture's absolute URL, on the origin the request came to (the Worker serves it at
 * `/media/<key>`), or null when the user has none.
 */
export function pictureUrl(requestUrl: string, key: string | null): string | null {
  return key === null ? null : new URL(`/media/${key}`, requestUrl).href;
}

const timestamp = z.iso.datetime().meta({ description: "ISO-8601, UTC" });

/** The schema of `toAuthUser`, the `AuthUser` component. */
export const AuthUser = z
  .strictObject({
    id: z.number().int(),
    email: z.email(),
    fullName: z.string(),
    role: z.string().meta({ description: "One of the Worker's `ROLES`" }),
    bio: z.string(),
    profile_picture: z.url().nullable().meta({ description: "The picture's URL on this Worker, or null" }),
    created_at: timestamp,
    last_login: timestamp.nullable(),
  })
  .meta({ id: "AuthUser", description: "A user as the `/auth/` API shows it" });
export type AuthUser = z.infer<typeof AuthUser>;

/** A user as the `/auth/` document shows it: times in ISO-8601 UTC, `fullName` in camelCase. */
export function toAuthUser(user: User, requestUrl: string): AuthUser {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    bio: user.bio,
    profile_picture: pictureUrl(requestUrl, user.profilePicture),
    created_at: user.createdAt.toISOString(),
    last_login: user.lastLogin?.toISOString() ?? null,
  };
}

/** The caller's own account as GET /auth/profile/ shows it: the user and the account flags. */
export const AuthProfile = AuthUser.extend({
  is_active: z.boolean(),
  is_staff: z.boolean(),
  is_superuser: z.boolean(),
  email_verified: z.boolean().meta({ description: "Whether a verification link sent to `email` was used" }),
  pending_email: z.email().nullable().meta({
    description: "With REQUIRE_EMAIL_VERIFICATION: the new address waiting for its link, `email` stays the login",
  }),
}).meta({ id: "AuthProfile", description: "The caller's own account: the user and its flags" });
export type AuthProfile = z.infer<typeof AuthProfile>;

/** The profile adds the account flags. */
export function toAuthProfile(user: User, requestUrl: string): AuthProfile {
  return {
    ...toAuthUser(user, requestUrl),
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
    email_verified: user.emailVerifiedAt !== null,
    pending_email: user.pendingEmail,
  };
}

/** What a login and a refresh issue: an access token and the refresh token that replaces it. */
export const AuthTokens = z
  .strictObject({
    access: z.string().meta({ description: "A JWT for `Authorization: Bearer`, for `ACCESS_TOKEN_TTL` seconds" }),
    refresh: z.string().meta({
      description: "A JWT for one POST /auth/refresh/ or /auth/logout/, for `REFRESH_TOKEN_TTL` seconds",
    }),
  })
  .meta({ id: "AuthTokens", description: "A fresh token pair" });

/** A login's answer: the token pair and who it belongs to. */
export const AuthLogin = AuthTokens.extend({ user: AuthUser }).meta({
  id: "AuthLogin",
  description: "A fresh token pair and the user it was issued to",
});

/** The schema of `toApiUser(user)`. */
export const ApiUser = z
  .strictObject({
    id: z.int(),
    email: z.email(),
    first_name: z.string(),
    last_name: z.string(),
    role: z.string(),
    profile_picture: z.url().nullable().meta({ description: "The picture's URL, null when there is none" }),
    bio: z.string(),
  })
  .meta({ id: "ApiUser", description: "A user as the `/api/users/` API shows it" });
export type ApiUser = z.infer<typeof ApiUser>;

/** A user as the `/api/users/` document's serializer shows it. */
export function toApiUser(user: User, requestUrl: string): ApiUser {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    role: user.role,
    profile_picture: pictureUrl(requestUrl, user.profilePicture),
    bio: user.bio,
  };
}

/** The caller's own account on `me`: the document's user and whether its address is verified. */
export const ApiMe = ApiUser.extend({
  email_verified: z.boolean().meta({ description: "Whether a verification link sent to `email` was used" }),
}).meta({ id: "ApiMe", description: "The caller's own account as `/api/users/me/` shows it" });

/** `me`: the user, and whether its address is verified (register and login keep the document's shape). */
export function toApiMe(user: User, requestUrl: string): z.infer<typeof ApiMe> {
  return { ...toApiUser(user, requestUrl), email_verified: user.emailVerifiedAt !== null };
}

/** What `POST /api/users/login/` answers: the user and a new key for `Authorization: Token <key>`. */
export const ApiLogin = z
  .strictObject({ user: ApiUser, token: z.string().regex(API_KEY_PATTERN) })
  .meta({ id: "ApiLogin" });

/** The shape of `toAdminUser()`. */
export const AdminUser = AuthProfile.extend({
  first_name: z.string(),
  last_name: z.string(),
  updated_at: timestamp,
  role_confirmed_at: timestamp.nullable(),
  role_confirmed_by: z.int().nullable().meta({
    description: "The confirming administrator's id; null while unconfirmed, or when an operator chose the role",
  }),
}).meta({ id: "AdminUser", description: "A user as the administration API shows them" });

/**
 * What an administrator sees of a user: the profile plus both name forms, the last change and who
 * confirmed the role when (a staff role's scope needs it).
 */
export function toAdminUser(user: User, requestUrl: string) {
  return {
    ...toAuthProfile(user, requestUrl),
    first_name: user.firstName,
    last_name: user.lastName,
    updated_at: user.updatedAt.toISOString(),
    role_confirmed_at: user.roleConfirmedAt?.toISOString() ?? null,
    role_confirmed_by: user.roleConfirmedBy,
  };
}

const AuditUser = z.strictObject({ id: z.int(), email: z.string() });

/** The shape of `toAuditEntry()`. */
export const AuditEntry = z
  .strictObject({
    id: z.int(),
    created_at: z.iso.datetime(),
    actor: AuditUser.meta({ description: "Who made the change, as they were then" }),
    action: z.string().meta({
      description:
        "`update_user`, `confirm_role`, `revoke_sessions`, `revoke_session`, `set_password`, `delete_user`, " +
        "`send_password_reset`, `verify_email`, `password_reset` (by the user, with a link sent by mail), " +
        "`refresh_reuse_detected` (by the system, the user as actor), or for the signing keys " +
        "`rotate_signing_keys` and `revoke_signing_key` (target id 0, no email: `changes` names each key)",
    }),
    target: AuditUser.meta({ description: "Whom it was made to, as they were then (they may be deleted since)" }),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).meta({
      description: "Before and after of each changed field; a password only as `(hidden)` and `(changed)`",
    }),
    request_id: z.string().meta({ description: "The `X-Request-Id` of the request that made the change" }),
  })
  .meta({ id: "AuditEntry" });

/** An audit entry as `/auth/audit/` lists it. */
export function toAuditEntry(entry: StoredAuditEntry) {
  return {
    id: entry.id,
    created_at: entry.createdAt.toISOString(),
    actor: { id: entry.actorId, email: entry.actorEmail },
    action: entry.action,
    target: { id: entry.targetId, email: entry.targetEmail },
    changes: entry.changes,
    request_id: entry.requestId,
  };
}

/** The shape of `paginate()` (schemas/admin.ts). */
export const Pagination = z
  .strictObject({ page: z.int(), limit: z.int(), total: z.int(), pages: z.int() })
  .meta({ id: "Pagination" });

/** A page of a list, `{results, pagination}`, as the administration API answers it. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ results: z.array(item), pagination: Pagination });
}
