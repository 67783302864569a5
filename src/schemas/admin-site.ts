import * as z from "zod";
import { USER_ORDERINGS } from "../db/user-list";
import { bio, email, namePart, password, role } from "./account-requests";
import { pageNumber } from "./admin";

// The users page's query mirrors the administration API's; a link with a bad value still shows a
// page (the default for that parameter) rather than an error, as a person may have typed it.
const blankAsAbsent = z
  .string()
  .trim()
  .max(254)
  .transform((value) => value || undefined)
  .optional()
  .catch(undefined);
const yesNo = z
  .enum(["true", "false"])
  .transform((value) => value === "true")
  .optional()
  .catch(undefined);

/** A page number from a link, the users list's or the audit trail's: a bad one shows the first page. */
export const pageParam = pageNumber.catch(1);

export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export const AdminUserListQuery = z.object({
  search: blankAsAbsent,
  role: blankAsAbsent,
  is_active: yesNo,
  is_staff: yesNo,
  ordering: z.enum(USER_ORDERINGS).catch("-created_at"),
  page: pageParam,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).catch(DEFAULT_PAGE_SIZE),
});
export type AdminUserListQuery = z.infer<typeof AdminUserListQuery>;

/** A flag as `Checkbox` submits it; left out of the form, it is left unchanged. */
const flag = z
  .enum(["on", "off"])
  .transform((value) => value === "on")
  .optional();

/** The user page's edit form. */
export const AdminUserForm = z.object({
  first_name: namePart,
  last_name: namePart,
  email,
  role,
  bio,
  is_active: flag,
  is_staff: flag,
  is_superuser: flag,
});
export type AdminUserForm = z.infer<typeof AdminUserForm>;

/** The user page's set-password form; the validators run in the service, which knows the user. */
export const AdminPasswordForm = z
  .object({ password, password_confirm: password })
  .transform((form) => ({ password: form.password, passwordConfirm: form.password_confirm }));
