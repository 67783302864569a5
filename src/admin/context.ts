import type { Context } from "hono";
import type { User } from "../db/schema";
import type { AppEnv } from "../env";
import { adminContextFor } from "../middleware/admin-context";
import type { AdminContext } from "../services/administration";

/** The staff member a request comes from, once `requireStaff` has let it in. */
export interface StaffVisit {
  /** The session id from the cookie. */
  sessionId: string;
  user: User;
  /** What this session's forms carry in `csrf_token`. */
  csrfToken: string;
}

/** A one-time message shown on the page after a change (POST, redirect, GET). */
export interface Flash {
  kind: "success" | "error";
  text: string;
}

export interface AdminEnv {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & { staff?: StaffVisit; flash?: Flash };
}

/** The staff member of a route behind `requireStaff`. */
export function staffOf(c: Context<AdminEnv>): StaffVisit {
  const staff = c.var.staff;
  if (!staff) throw new Error("route mounted without requireStaff");
  return staff;
}

/** The administration services acting for this request's staff member. */
export function adminContext(c: Context<AdminEnv>): AdminContext {
  return adminContextFor(c, staffOf(c).user);
}
