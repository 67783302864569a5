import type { User } from "../db/schema";

/** A user as the `/auth/` document shows it: times in ISO-8601 UTC, `fullName` in camelCase. */
export function toAuthUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    created_at: user.createdAt.toISOString(),
    last_login: user.lastLogin?.toISOString() ?? null,
  };
}

/** The profile adds the account flags. */
export function toAuthProfile(user: User) {
  return { ...toAuthUser(user), is_active: user.isActive, is_staff: user.isStaff, is_superuser: user.isSuperuser };
}
