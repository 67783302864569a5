import type { Database } from "../db/client";
import { duplicateKeyName } from "../db/mysql-errors";
import type { NewUser, User } from "../db/schema";
import {
  findUserByEmail,
  insertUser,
  normalizeEmail,
  replacePassword,
  updateUser,
  upgradePasswordHash,
} from "../db/users";
import { type FieldErrors, ValidationFailed } from "./domain-errors";
import { type Names, namesToStore } from "./names";
import { type PasswordUser, validatePassword } from "./password-validators";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords";

export const EMAIL_TAKEN = "A user with that email already exists.";
export const OLD_PASSWORD_WRONG = "Your old password was entered incorrectly. Please enter it again.";
const EMAIL_KEY = "users_email_normalized_unique";
const MISMATCH = "Passwords do not match.";
// Granting oneself admin is privilege escalation: admins are made by admins or the CLI.
const SELF_SERVICE_FORBIDDEN_ROLES = new Set(["admin"]);

export interface Registration {
  email: string;
  password: string;
  passwordConfirm: string;
  role: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  bio?: string;
}

/**
 * A new password's problems as field errors: Django's validators (against this user's details)
 * under `field`, a differing confirmation under `confirmField`.
 */
export function newPasswordErrors(
  password: string,
  confirmation: string,
  user: PasswordUser,
  [field, confirmField] = ["password", "password_confirm"],
): FieldErrors {
  const errors: FieldErrors = {};
  const weaknesses = validatePassword(password, user);
  if (weaknesses.length > 0) errors[field] = weaknesses;
  if (password !== confirmation) errors[confirmField] = [MISMATCH];
  return errors;
}

/** A write that collided with another user's email, as the field error both APIs show; else as it was. */
export function emailTakenOr(error: unknown): unknown {
  return duplicateKeyName(error) === EMAIL_KEY ? new ValidationFailed({ email: [EMAIL_TAKEN] }) : error;
}

function checkRegistration(input: Registration, roles: readonly string[]): void {
  const errors: FieldErrors = {};
  if (!roles.includes(input.role)) errors.role = [`"${input.role}" is not a valid choice.`];
  else if (SELF_SERVICE_FORBIDDEN_ROLES.has(input.role))
    errors.role = [`You cannot register with the role "${input.role}".`];
  Object.assign(errors, newPasswordErrors(input.password, input.passwordConfirm, input));
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
}

// The email itself when it fits, as the documents' Django models do; a random suffix when an old
// address lives on in another user's username.
function usernameFor(email: string, attempt: number): string {
  const base = email.slice(0, 140);
  return attempt === 0 ? base : `${base}.${crypto.randomUUID().slice(0, 8)}`;
}

/** Creates a user after the documents' rules; a taken email is a field error even under a race. */
export async function registerUser(db: Database, roles: readonly string[], input: Registration): Promise<User> {
  checkRegistration(input, roles);
  return insertAccount(db, {
    email: input.email,
    password: await hashPassword(input.password),
    role: input.role,
    ...namesToStore(input),
    bio: input.bio ?? "",
  });
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

/**
 * The user these credentials belong to, or undefined. Unknown emails cost the same PBKDF2 work as
 * wrong passwords, and inactive users (or those `admit` turns away, e.g. non-staff at the admin
 * site) are refused after the check, so neither shows in timing. Records the login and upgrades an
 * outdated hash, unless a password change has replaced it since the read.
 */
export async function authenticateWithPassword(
  db: Database,
  email: string,
  password: string,
  admit: (user: User) => boolean = () => true,
): Promise<User | undefined> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyAgainstDummy(password);
    return undefined;
  }
  const { valid, needsRehash } = await verifyPassword(password, user.password);
  if (!valid || !user.isActive || !admit(user)) return undefined;
  const lastLogin = new Date();
  await updateUser(db, user.id, { lastLogin });
  // Once per outdated hash, so the second round trip is rare.
  if (needsRehash) await upgradePasswordHash(db, user.id, user.password, await hashPassword(password));
  return { ...user, lastLogin };
}

/** Changes a password after checking the old one; every token issued before stops working. */
export async function changePassword(
  db: Database,
  user: User,
  input: { oldPassword: string; newPassword: string; newPasswordConfirm: string },
): Promise<void> {
  const errors: FieldErrors = {};
  if (!(await verifyPassword(input.oldPassword, user.password)).valid) {
    errors.old_password = [OLD_PASSWORD_WRONG];
  }
  Object.assign(
    errors,
    newPasswordErrors(input.newPassword, input.newPasswordConfirm, user, ["new_password", "new_password_confirm"]),
  );
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
  await replacePassword(db, user.id, await hashPassword(input.newPassword));
}

export type ProfileChanges = Partial<Names> & { email?: string; bio?: string };

/** Changes what a user may change about themselves: email (kept unique, case-insensitively), names, bio. */
export async function updateProfile(db: Database, user: User, changes: ProfileChanges): Promise<User> {
  const { email, bio, ...names } = changes;
  const values = {
    ...namesToStore(names, user),
    ...(bio !== undefined ? { bio } : {}),
    ...(email !== undefined ? { email, emailNormalized: normalizeEmail(email) } : {}),
  };
  if (Object.keys(values).length === 0) return user;
  try {
    await updateUser(db, user.id, values);
  } catch (error) {
    throw emailTakenOr(error);
  }
  return { ...user, ...values };
}
