import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { User } from "../../db/schema";
import { LoginBody } from "../../schemas/account-requests";
import { toFieldErrors } from "../../schemas/messages";
import { authenticateWithPassword } from "../../services/accounts";
import { Throttled } from "../../services/domain-errors";
import { randomHex } from "../../services/hex";
import { guardCredential } from "../../services/limiter";
import { createAdminSession, endAdminSession } from "../../services/staff-sessions";
import type { AdminEnv } from "../admin-env";
import {
  clearCookie,
  clearLoginNonce,
  cookieOptions,
  getLoginNonce,
  SESSION_COOKIE,
  setFlash,
  setLoginNonce,
} from "../cookies";
import { csrfToken, isValidCsrfToken } from "../csrf";
import { csrfRefused, mayUseAdminSite, readForm, requireCsrfToken, requireStaff } from "../middleware";
import { renderPage } from "../render";
import type { FieldErrors } from "../views/fields";
import { LoginPage } from "../views/login-page";

// Django admin's wording: unknown email, wrong password, inactive and non-staff accounts read alike.
const INVALID_LOGIN =
  "Please enter the correct email address and password for a staff account. Note that the password is case-sensitive.";
const THROTTLED = "Too many failed attempts: please try again later.";
const NONCE = /^[0-9a-f]{64}$/;
const HOME = "/admin/users";

/**
 * `next` if it is a page of this site's admin, else the users page: no open redirect. Whatever a
 * link carries is only a wish, so one that is not a URL at all ends on the users page too.
 */
function safeNext(c: Context, next: string | undefined): string {
  const target = next ? URL.parse(next, c.req.url) : null;
  if (!target) return HOME;
  return target.origin === new URL(c.req.url).origin && target.pathname.startsWith("/admin/")
    ? target.pathname + target.search
    : HOME;
}

/** The login form's CSRF nonce from its cookie, or a new one (kept for the browser session). */
function loginNonce(c: Context<AdminEnv>): string {
  const current = getLoginNonce(c);
  if (current && NONCE.test(current)) return current;
  const nonce = randomHex(32);
  setLoginNonce(c, nonce);
  return nonce;
}

async function showLogin(
  c: Context<AdminEnv>,
  nonce: string,
  form: { next: string; email?: string; errors?: FieldErrors },
  status: ContentfulStatusCode = 200,
  headers?: Record<string, string>,
): Promise<Response> {
  const token = await csrfToken(c.var.config.JWT_SECRET, "login", nonce);
  return renderPage(c, "Log in", <LoginPage csrfToken={token} {...form} />, status, headers);
}

/**
 * A new session id at every login (no fixation): the one the browser held before is ended. False
 * if the user was signed out everywhere while the password was checked: nothing was started.
 */
async function startStaffSession(c: Context<AdminEnv>, user: User): Promise<boolean> {
  const store = c.var.services.staffSessions;
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await endAdminSession(store, previous);
  const id = await createAdminSession(store, user);
  if (id) setCookie(c, SESSION_COOKIE, id, cookieOptions(c, store.adminIdleSeconds));
  return id !== undefined;
}

/** Logging in and out of the admin site. */
export const login = new Hono<AdminEnv>()
  .get("/login", (c) => showLogin(c, loginNonce(c), { next: safeNext(c, c.req.query("next")) }))
  .post("/login", async (c) => {
    const form = await readForm(c);
    const nonce = getLoginNonce(c) ?? "";
    if (!NONCE.test(nonce) || !(await isValidCsrfToken(c.var.config.JWT_SECRET, "login", nonce, form.csrf_token))) {
      throw csrfRefused();
    }
    const next = safeNext(c, form.next);
    const refuse = (errors: FieldErrors, status: ContentfulStatusCode, headers?: Record<string, string>) =>
      showLogin(c, nonce, { next, email: form.email, errors }, status, headers);
    const parsed = LoginBody.safeParse(form);
    if (!parsed.success) return refuse(toFieldErrors(parsed.error), 400);
    const { email, password } = parsed.data;
    const { limiter } = c.var.services;
    let user: User | undefined;
    try {
      user = await guardCredential(limiter, email, () =>
        authenticateWithPassword(c.var.services, email, password, mayUseAdminSite),
      );
    } catch (error) {
      if (!(error instanceof Throttled)) throw error;
      // The login form again, with the wait, rather than an error page: the next try is made there.
      return refuse({ detail: [INVALID_LOGIN, THROTTLED] }, 429, { "Retry-After": String(error.retryAfterSeconds) });
    }
    if (!user || !(await startStaffSession(c, user))) return refuse({ detail: [INVALID_LOGIN] }, 400);
    clearLoginNonce(c);
    return c.redirect(next, 303);
  })
  .post("/logout", requireStaff, requireCsrfToken, async (c) => {
    await endAdminSession(c.var.services.staffSessions, c.var.staff.sessionId);
    clearCookie(c, SESSION_COOKIE);
    setFlash(c, { kind: "success", text: "You have been logged out." });
    return c.redirect("/admin/login", 303);
  });
