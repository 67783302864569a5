import * as z from "zod";
import { bio, email, fullName, password, role } from "./fields";

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

/** `npm run createsuperuser`'s input, held to the same field rules as registration. */
export const SuperuserInput = z.object({ email, password, fullName: fullName.optional() });
