import * as z from "zod";
import { bio, email, namePart, password, role } from "./fields";

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
