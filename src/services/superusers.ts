// Superusers are made from the command line only (scripts/createsuperuser.ts): registration refuses
// the admin role, so this is the one way in, and it holds the password to the same rules.
import type { Database } from "../db/client";
import type { User } from "../db/schema";
import { insertAccount } from "./account-rows";
import { type BreachCheck, newPasswordProblems } from "./breached-passwords";
import { ValidationFailed } from "./domain-errors";
import { namesToStore } from "./names";
import { hashPassword } from "./passwords";

const SUPERUSER_ROLE = "admin";

export interface NewSuperuser {
  email: string;
  password: string;
  fullName?: string;
}

/** Throws ValidationFailed when Django's validators or the breach check refuse the password for this user. */
export async function checkSuperuserPassword(breaches: BreachCheck, input: NewSuperuser): Promise<void> {
  const weaknesses = await newPasswordProblems(breaches, input.password, input);
  if (weaknesses.length > 0) throw new ValidationFailed({ password: weaknesses });
}

/**
 * Creates an active admin with Django's staff and superuser flags. The password is checked here
 * too, not only by the caller, so no path can store a weak one; a taken email is a field error.
 * Its role is confirmed by nobody in the app (`role_confirmed_by` null): the operator at the
 * command line chose it.
 */
export async function createSuperuser(db: Database, breaches: BreachCheck, input: NewSuperuser): Promise<User> {
  await checkSuperuserPassword(breaches, input);
  return insertAccount(db, {
    email: input.email,
    password: await hashPassword(input.password),
    role: SUPERUSER_ROLE,
    ...namesToStore({ fullName: input.fullName }),
    isActive: true,
    isStaff: true,
    isSuperuser: true,
    roleConfirmedAt: new Date(),
    roleConfirmedBy: null,
  });
}
