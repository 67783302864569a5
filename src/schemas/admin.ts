import * as z from "zod";
import { USER_ORDERINGS, type UserOrdering } from "../db/user-list";
import type { UserPage } from "../services/administration";
import { bio, email, fullName, namePart, password, role } from "./account-requests";

/** `?is_active=true`: query strings carry booleans as words. */
const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/**
 * A page number of any list, the API's or the admin site's. An OFFSET costs at most the rows there
 * are, so the bound is not about work: it keeps `(page - 1) * limit` (limit <= 100) an exact integer
 * that the driver writes in plain digits, where 1e21 and up would go out as `1e+21`, which MySQL
 * refuses, and Infinity not at all. 100,000 pages of 100 are 10 million rows, more than any list
 * here will hold.
 */
export const pageNumber = z.coerce.number().int().min(1).max(100_000);

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  page: pageNumber.default(1),
};

export const UserListQuery = z.object({
  ...page,
  search: z.string().trim().max(254).optional(),
  role: role.optional(),
  is_active: flag.optional(),
  is_staff: flag.optional(),
  ordering: z.enum(USER_ORDERINGS).default("-created_at"),
});

export const AuditQuery = z.object({ ...page, user_id: z.coerce.number().int().positive().optional() });

export const UserId = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** What an administrator may change; each field optional, flags as JSON booleans. */
export const AdminUserPatch = z.object({
  fullName: fullName.optional(),
  first_name: namePart.optional(),
  last_name: namePart.optional(),
  email: email.optional(),
  role: role.optional(),
  bio: bio.optional(),
  is_active: z.boolean().optional(),
  is_staff: z.boolean().optional(),
  is_superuser: z.boolean().optional(),
});

export const SetPasswordBody = z.object({ password, password_confirm: password });

/** Offset pagination as both the API and the admin site show it. */
export function paginate(query: { page: number; limit: number }, total: number) {
  return { page: query.page, limit: query.limit, total, pages: Math.max(1, Math.ceil(total / query.limit)) };
}

/** A users query in the API's and the site's names, as the administration service takes it. */
export function toUserPage(query: {
  search?: string;
  role?: string;
  is_active?: boolean;
  is_staff?: boolean;
  ordering: UserOrdering;
  page: number;
  limit: number;
}): UserPage {
  return {
    search: query.search || undefined,
    role: query.role,
    isActive: query.is_active,
    isStaff: query.is_staff,
    ordering: query.ordering,
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  };
}
