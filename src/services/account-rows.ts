// The one insert that every way of making a user goes through (registration, the superuser CLI),
// apart from the account rules, which the callers apply: nothing here checks a password.
import type { Database } from "../db/client";
import { duplicateKeyName } from "../db/mysql-errors";
import type { NewUser, User } from "../db/schema";
import { insertUser, normalizeEmail } from "../db/users";
import { ValidationFailed } from "./domain-errors";

export const EMAIL_TAKEN = "A user with that email already exists.";
const EMAIL_KEY = "users_email_normalized_unique";

/** A write that collided with another user's email, as the field error both APIs show; else as it was. */
export function emailTakenOr(error: unknown): unknown {
  return duplicateKeyName(error) === EMAIL_KEY ? new ValidationFailed({ email: [EMAIL_TAKEN] }) : error;
}

// The email itself when it fits, as the documents' Django models do; a random suffix when an old
// address lives on in another user's username.
function usernameFor(email: string, attempt: number): string {
  const base = email.slice(0, 140);
  return attempt === 0 ? base : `${base}.${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Inserts an already validated and hashed account, deriving the normalized email and username.
 * A taken email is a field error even under a race; a username collision is retried.
 */
export async function insertAccount(
  db: Database,
  values: Omit<NewUser, "emailNormalized" | "username">,
): Promise<User> {
  const emailNormalized = normalizeEmail(values.email);
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertUser(db, { ...values, emailNormalized, username: usernameFor(emailNormalized, attempt) });
    } catch (error) {
      if (duplicateKeyName(error) !== "users_username_unique" || attempt >= 2) throw emailTakenOr(error);
    }
  }
}
