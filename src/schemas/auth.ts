import * as z from "zod";

const email = z.string().trim().min(1).max(254).pipe(z.email());
// Passwords are taken as typed: trimming would silently change them.
const password = z.string().min(1).max(128);
const fullName = z.string().trim().min(1).max(255);

export const RegisterBody = z.object({
  email,
  password,
  password_confirm: password,
  fullName,
  role: z.string().trim().min(1).max(32),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.object({ email, password });

export const RefreshBody = z.object({ refresh: z.string().min(1).max(4096) });

/** PUT replaces both fields; anything else a client sends (role, flags, password) is ignored, as
 * DRF ignores read-only fields. */
export const ProfilePut = z.object({ fullName, email });
export const ProfilePatch = ProfilePut.partial();

export const ChangePasswordBody = z.object({
  old_password: password,
  new_password: password,
  new_password_confirm: password,
});

/** `npm run createsuperuser`'s input, held to the same field rules as registration. */
export const SuperuserInput = z.object({ email, password, fullName: fullName.optional() });
