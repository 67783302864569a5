// The `/auth/` document's own examples (its README's requests and answers), as the document's
// `example`s. Its users lack `bio` and `profile_picture`, which ours carry (shared with
// `/api/users/`), and its refresh answers an access token alone, where ours rotates the pair.
import type { AuthProfile, AuthUser } from "./responses";

// The document shortens its tokens so.
const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...";

export const CREDENTIALS_EXAMPLE = { email: "student@example.com", password: "password123" };

export const REGISTER_EXAMPLE = {
  ...CREDENTIALS_EXAMPLE,
  password_confirm: "password123",
  fullName: "Nguyen Van A",
  role: "student",
};

export const USER_EXAMPLE: AuthUser = {
  id: 1,
  email: "student@example.com",
  fullName: "Nguyen Van A",
  role: "student",
  bio: "",
  profile_picture: null,
  created_at: "2024-01-15T08:00:00Z",
  last_login: "2024-01-15T10:30:00Z",
};

export const PROFILE_EXAMPLE: AuthProfile = {
  ...USER_EXAMPLE,
  is_active: true,
  is_staff: false,
  is_superuser: false,
  email_verified: true,
  pending_email: null,
};

export const TOKENS_EXAMPLE = { access: TOKEN, refresh: TOKEN };

export const REFRESH_EXAMPLE = { refresh: TOKEN };

export const PROFILE_UPDATE_EXAMPLE = { fullName: "Nguyen Van B", email: "newemail@example.com" };

export const CHANGE_PASSWORD_EXAMPLE = {
  old_password: "password123",
  new_password: "newpassword123",
  new_password_confirm: "newpassword123",
};
