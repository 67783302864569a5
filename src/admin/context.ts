import type { Context } from "hono";
import type { User } from "../db/schema";
import type { AppEnv } from "../env";
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

/** What the administration services need: the same ones, policy and audit trail as the API's. */
export function adminContext(c: Context<AdminEnv>): AdminContext {
  return {
    db: c.var.db,
    bucket: c.env.MEDIA,
    actor: staffOf(c).user,
    scopes: c.var.config.STAFF_SCOPES,
    roles: c.var.config.ROLES,
    requestId: c.var.requestId,
  };
}
