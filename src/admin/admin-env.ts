// The admin wing's request types, apart from any service so that views can use them.
import type { Session, User } from "../db/schema";
import type { AppEnv } from "../env";

/** The staff member a request comes from, once `requireStaff` has let it in. */
export interface StaffVisit {
  /** The session id from the cookie. */
  sessionId: string;
  /** Its row. */
  session: Session;
  user: User;
  /** What this session's forms carry in `csrf_token`. */
  csrfToken: string;
}

/** A one-time message shown on the page after a change (POST, redirect, GET). */
export interface Flash {
  kind: "success" | "error";
  text: string;
}

/**
 * Every admin request: any page may show a flash message and, where someone is signed in, who.
 * Routes behind `requireStaff` see `staff` as always set (its middleware type says so).
 */
export interface AdminEnv {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & { staff?: StaffVisit; flash?: Flash };
}

/** A request that `requireStaff` let in. */
export type StaffEnv = AdminEnv & { Variables: { staff: StaffVisit } };
