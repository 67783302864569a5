// Superusers are made from the command line only (scripts/createsuperuser.ts): registration refuses
// the admin role, so this is the one way in, and it holds the password to the same rules.
import type { Database } from "../db/client";
import type { User } from "../db/schema";
import { insertAccount } from "./accounts";
import { ValidationFailed } from "./domain-errors";
import { namesToStore } from "./names";
import { validatePassword } from "./password-validators";
import { hashPassword } from "./passwords";

const SUPERUSER_ROLE = "admin";

export interface NewSuperuser {
  email: string;
  password: string;
  fullName?: string;
}

/** Throws ValidationFailed when Django's validators refuse the password for this user. */
export function checkSuperuserPassword(input: NewSuperuser): void {
  const weaknesses = validatePassword(input.password, input);
  if (weaknesses.length > 0) throw new ValidationFailed({ password: weaknesses });
}

/**
 * Creates an active admin with Django's staff and superuser flags. The password is checked here
 * too, not only by the caller, so no path can store a weak one; a taken email is a field error.
 * Its role is confirmed by nobody in the app (`role_confirmed_by` null): the operator at the
 * command line chose it.
 */
export async function createSuperuser(db: Database, input: NewSuperuser): Promise<User> {
  checkSuperuserPassword(input);
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
