import type { Database } from "../db/client";
import { revokeUserTokens } from "../db/one-time-tokens";
import type { NewUser, User } from "../db/schema";
import { findUserByEmail, normalizeEmail, replacePassword, updateUser, upgradePasswordHash } from "../db/users";
import { type MailingDeps, notifyPasswordChanged } from "./account-links";
import { EMAIL_TAKEN, emailTakenOr, insertAccount } from "./account-rows";
import { type BreachCheck, newPasswordProblems } from "./breached-passwords";
import type { HashLimits } from "./django-hashes";
import { type FieldErrors, ValidationFailed } from "./domain-errors";
import { announceEmailChange, requireVerifiedEmail, sendVerification } from "./email-verification";
import { guardCredential, guardRequest, type LimiterDeps } from "./limiter";
import { type Names, namesToStore } from "./names";
import type { PasswordUser } from "./password-validators";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords";

export const OLD_PASSWORD_WRONG = "Your old password was entered incorrectly. Please enter it again.";
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

/** What registering needs: the database, and the breach check for the new password. */
export interface RegistrationDeps {
  db: Database;
  breaches: BreachCheck;
}

/** What checking a password needs: the database, and how costly an imported hash may be. */
export interface PasswordCheckDeps {
  db: Database;
  hashLimits: HashLimits;
}

/** What changing one's own password needs: the limits on guessing the old one, and mail for the notice. */
export interface PasswordChangeDeps extends RegistrationDeps, MailingDeps {
  limiter: LimiterDeps;
  hashLimits: HashLimits;
}

/**
 * A new password's problems as field errors: Django's validators (against this user's details)
 * and the breach check under `field`, a differing confirmation under `confirmField`.
 */
export async function newPasswordErrors(
  breaches: BreachCheck,
  password: string,
  confirmation: string,
  user: PasswordUser,
  [field, confirmField] = ["password", "password_confirm"],
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const weaknesses = await newPasswordProblems(breaches, password, user);
  if (weaknesses.length > 0) errors[field] = weaknesses;
  if (password !== confirmation) errors[confirmField] = [MISMATCH];
  return errors;
}

async function checkRegistration(breaches: BreachCheck, input: Registration, roles: readonly string[]): Promise<void> {
  const errors: FieldErrors = {};
  if (!roles.includes(input.role)) errors.role = [`"${input.role}" is not a valid choice.`];
  else if (SELF_SERVICE_FORBIDDEN_ROLES.has(input.role))
    errors.role = [`You cannot register with the role "${input.role}".`];
  Object.assign(errors, await newPasswordErrors(breaches, input.password, input.passwordConfirm, input));
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
}

/** Creates a user after the documents' rules; a taken email is a field error even under a race. */
export async function registerUser(
  { db, breaches }: RegistrationDeps,
  roles: readonly string[],
  input: Registration,
): Promise<User> {
  await checkRegistration(breaches, input, roles);
  return insertAccount(db, {
    email: input.email,
    password: await hashPassword(input.password),
    role: input.role,
    ...namesToStore(input),
    bio: input.bio ?? "",
  });
}

/** What signing up needs: registering, the limit on registrations per address, and mail for the link. */
export interface SignUpDeps extends RegistrationDeps, MailingDeps {
  limiter: LimiterDeps;
}

/**
 * Registration as both documents offer it: counted against the client's address first (429 past
 * its limit), then the user is created and their address gets a verification link after the response.
 */
export async function signUp(deps: SignUpDeps, roles: readonly string[], input: Registration): Promise<User> {
  await guardRequest(deps.limiter, "registration");
  const user = await registerUser(deps, roles, input);
  sendVerification(deps, user, user.email);
  return user;
}

/** What a login needs: checking the password under the attempt limits, and the verification rule. */
export interface LogInDeps extends PasswordCheckDeps {
  limiter: LimiterDeps;
  mail: { requireEmailVerification: boolean };
}

/**
 * A password login as both documents offer it: the user these credentials belong to, checked under
 * the attempt limits, or undefined. An unverified address that must be verified first is refused
 * (EmailNotVerified) only once the password proved right, so the refusal tells a guesser nothing.
 */
export async function logIn(deps: LogInDeps, email: string, password: string): Promise<User | undefined> {
  const user = await guardCredential(deps.limiter, email, () => authenticateWithPassword(deps, email, password));
  if (user) requireVerifiedEmail(deps, user);
  return user;
}

/**
 * The user these credentials belong to, or undefined. Unknown emails cost the same PBKDF2 work as
 * wrong passwords, and inactive users (or those `admit` turns away, e.g. non-staff at the admin
 * site) are refused after the check, so neither shows in timing. Records the login and upgrades an
 * outdated hash, unless a password change has replaced it since the read: an imported Django hash
 * costs its slow check once per user.
 */
export async function authenticateWithPassword(
  { db, hashLimits }: PasswordCheckDeps,
  email: string,
  password: string,
  admit: (user: User) => boolean = () => true,
): Promise<User | undefined> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyAgainstDummy(password);
    return undefined;
  }
  const { valid, needsRehash } = await verifyPassword(password, user.password, hashLimits);
  if (!valid || !user.isActive || !admit(user)) return undefined;
  const lastLogin = new Date();
  await updateUser(db, user.id, { lastLogin });
  // Once per outdated hash, so the second round trip is rare.
  if (needsRehash) await upgradePasswordHash(db, user.id, user.password, await hashPassword(password));
  return { ...user, lastLogin };
}

/**
 * Changes a password after checking the old one, under the same attempt limits as a login (a
 * stolen session must not become a way to guess it); every session ends, the one asking included.
 */
export async function changePassword(
  deps: PasswordChangeDeps,
  user: User,
  input: { oldPassword: string; newPassword: string; newPasswordConfirm: string },
): Promise<void> {
  const { db, breaches, limiter, hashLimits } = deps;
  const errors: FieldErrors = {};
  const oldPasswordValid = await guardCredential(
    limiter,
    user.email,
    async () => (await verifyPassword(input.oldPassword, user.password, hashLimits)).valid,
  );
  if (!oldPasswordValid) {
    errors.old_password = [OLD_PASSWORD_WRONG];
  }
  const newPasswordFields: [string, string] = ["new_password", "new_password_confirm"];
  Object.assign(
    errors,
    await newPasswordErrors(breaches, input.newPassword, input.newPasswordConfirm, user, newPasswordFields),
  );
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
  await replacePassword(db, user.id, await hashPassword(input.newPassword), "password_change");
  notifyPasswordChanged(deps, user);
}

export type ProfileChanges = Partial<Names> & { email?: string; bio?: string };

/**
 * The columns a new email address writes. Another letter case of the same address is only shown
 * differently. A new address starts unverified; while REQUIRE_EMAIL_VERIFICATION holds it waits
 * as the pending address and the old one stays the login.
 */
async function emailChange(db: Database, user: User, email: string, pending: boolean): Promise<Partial<NewUser>> {
  const emailNormalized = normalizeEmail(email);
  if (emailNormalized === user.emailNormalized) return email === user.email ? {} : { email, pendingEmail: null };
  if (!pending) return { email, emailNormalized, emailVerifiedAt: null, pendingEmail: null };
  // The UNIQUE index guards only the login column, so a taken address is looked for here; whoever
  // takes it before the link is used makes that use fail the same way.
  const holder = await findUserByEmail(db, email);
  if (holder && holder.id !== user.id) throw new ValidationFailed({ email: [EMAIL_TAKEN] });
  return { pendingEmail: email };
}

/**
 * Changes what a user may change about themselves: email (kept unique, case-insensitively), names,
 * bio. A new address gets a verification link and the old one a notice, after the response; reset
 * links sent to the old address stop working.
 */
export async function updateProfile(deps: MailingDeps, user: User, changes: ProfileChanges): Promise<User> {
  const { email, bio, ...names } = changes;
  const pending = deps.mail.requireEmailVerification;
  const values = {
    ...namesToStore(names, user),
    ...(bio !== undefined ? { bio } : {}),
    ...(email !== undefined ? await emailChange(deps.db, user, email, pending) : {}),
  };
  if (Object.keys(values).length === 0) return user;
  const moving = values.emailNormalized !== undefined || values.pendingEmail;
  try {
    await deps.db.transaction(async (tx) => {
      await updateUser(tx, user.id, values);
      if (moving) await revokeUserTokens(tx, user.id, "password_reset", deps.now());
    });
  } catch (error) {
    throw emailTakenOr(error);
  }
  const after = { ...user, ...values };
  if (moving) announceEmailChange(deps, user, after, pending);
  return after;
}
