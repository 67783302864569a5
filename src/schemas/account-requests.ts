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

// Links sent by mail: the token is 43 base64url characters; anything far longer is not one.
const linkToken = z.string().trim().min(1).max(128);

/** Either API's reset request and DRF's verification resend: an address, known or not. */
export const EmailBody = z.object({ email });

/** The `/auth/` confirmation, handed to the service in its own names with the fields' names. */
export const PasswordResetConfirmBody = z
  .object({ token: linkToken, new_password: password, new_password_confirm: password })
  .transform(({ token, new_password, new_password_confirm }) => ({
    token,
    password: new_password,
    passwordConfirm: new_password_confirm,
    fields: ["new_password", "new_password_confirm"] as [string, string],
  }));

export const VerifyEmailBody = z.object({ token: linkToken });

// The `/api/users/` document.

/** dj-rest-auth's PasswordResetConfirmSerializer: `uid` is the id as Django's urlsafe_base64_encode writes it. */
export const ApiPasswordResetConfirmBody = z
  .object({ uid: z.string().trim().min(1).max(32), token: linkToken, new_password1: password, new_password2: password })
  .transform(({ new_password1, new_password2, ...tokenAndUid }) => ({
    ...tokenAndUid,
    password: new_password1,
    passwordConfirm: new_password2,
    fields: ["new_password1", "new_password2"] as [string, string],
  }));

/** dj-rest-auth's VerifyEmailSerializer. */
export const ApiVerifyEmailBody = z.object({ key: linkToken });
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

/** What a token in a mailed link looks like (32 random bytes, base64url), for the document's examples. */
export const LINK_TOKEN_EXAMPLE = "3q2-7wEXAMPLEexampleEXAMPLEexampleEXAMPLEex0";
