import { eq } from "drizzle-orm";
import { users } from "../../src/db/schema";
import { api, registerAndLogin, testDb } from "./api";

export interface Account {
  id: number;
  email: string;
  password: string;
  access: string;
}

type Flags = {
  isStaff?: boolean;
  isSuperuser?: boolean;
  isActive?: boolean;
  roleConfirmedAt?: Date;
  fullName?: string;
};

/**
 * A logged-in user with any role and flags. Registration refuses `admin`, so the row is set
 * directly, as `createsuperuser` or another admin would have.
 */
export async function accountWith(role: string, flags: Flags = {}): Promise<Account> {
  const session = await registerAndLogin({
    role: role === "admin" ? "student" : role,
    fullName: flags.fullName ?? "Test Person",
  });
  const { fullName: _name, ...columns } = flags;
  await testDb()
    .update(users)
    .set({ role, ...columns })
    .where(eq(users.id, session.user.id));
  return { id: session.user.id, email: session.email, password: session.password, access: session.access };
}

export const superuser = () => accountWith("admin", { isStaff: true, isSuperuser: true });
export const admin = () => accountWith("admin");
/** A staff role (teacher, doctor) as an administrator has confirmed it: with its scope. */
export const confirmedStaff = (role: string) => accountWith(role, { roleConfirmedAt: new Date() });

/** Sends a request as this account with its Bearer access token. */
export function as(account: Account, method: string, path: string, body?: unknown) {
  return api(method, path, { token: account.access, body });
}
