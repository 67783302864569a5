// Request bodies of the account endpoints of both APIs, and the field rules they share.
import * as z from "zod";

// Field rules shared by every schema that takes account fields, sized to the columns they are stored in.
export const email = z.string().trim().min(1).max(254).pipe(z.email());
// Passwords are taken as typed: trimming would silently change them.
export const password = z.string().min(1).max(128);
export const role = z.string().trim().min(1).max(32);
export const fullName = z.string().trim().min(1).max(255);
// Django's first_name/last_name are `blank=True`: an empty name is allowed.
export const namePart = z.string().trim().max(150);
export const bio = z.string().trim().max(2000);

// The `/auth/` document.

export const RegisterBody = z.object({ email, password, password_confirm: password, fullName, role });
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.object({ email, password });

export const RefreshBody = z.object({ refresh: z.string().min(1).max(4096) });

/** PUT replaces the document's two fields (bio, shared with `/api/users/`, may come too); anything
 * else a client sends (role, flags, password) is ignored, as DRF ignores read-only fields. */
export const ProfilePut = z.object({ fullName, email, bio: bio.optional() });
export const ProfilePatch = ProfilePut.partial();

/** Both APIs' change-password body, handed to the service in its own names. */
export const ChangePasswordBody = z
  .object({ old_password: password, new_password: password, new_password_confirm: password })
  .transform((body) => ({
    oldPassword: body.old_password,
    newPassword: body.new_password,
    newPasswordConfirm: body.new_password_confirm,
  }));

// The `/api/users/` document.
/** The `/api/users/` document's registration; names and bio may be left out or blank. */
export const ApiRegisterBody = z.object({
  email,
  password,
  password_confirm: password,
  first_name: namePart.optional(),
  last_name: namePart.optional(),
  role,
  bio: bio.optional(),
});

/** What a user may change about themselves on `me`; read-only fields sent along are ignored. */
export const ApiProfilePatch = z.object({
  first_name: namePart.optional(),
  last_name: namePart.optional(),
  bio: bio.optional(),
});

/** `npm run createsuperuser`'s input, held to the same field rules as registration. */
export const SuperuserInput = z.object({ email, password, fullName: fullName.optional() });
