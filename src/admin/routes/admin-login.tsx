import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { User } from "../../db/schema";
import { LoginBody } from "../../schemas/account-requests";
import { toFieldErrors } from "../../schemas/messages";
import { authenticateWithPassword } from "../../services/accounts";
import { randomHex } from "../../services/hex";
import { clearAccountFailures, loginWaits, recordLoginFailure } from "../../services/login-throttle";
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

// Cloudflare sets CF-Connecting-IP on every request it passes on; only local runs lack it.
const clientIp = (c: Context) => c.req.header("CF-Connecting-IP") ?? "local";

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

/** A new session id at every login (no fixation): the one the browser held before is ended. */
async function startStaffSession(c: Context<AdminEnv>, user: User): Promise<void> {
  const store = c.var.services.staffSessions;
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await endAdminSession(store, previous);
  const id = await createAdminSession(store, user);
  setCookie(c, SESSION_COOKIE, id, cookieOptions(c, store.idleSeconds));
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
    const throttle = c.var.services.loginThrottle;
    const source = { email, ip: clientIp(c) };
    const throttled = (wait: number) =>
      refuse({ detail: [INVALID_LOGIN, THROTTLED] }, 429, { "Retry-After": String(wait) });
    // A throttled address is refused before the password is looked at: it costs no PBKDF2 work, and
    // the answer is the same whether the account exists or not.
    const waits = await loginWaits(throttle, source);
    if (waits.address > 0) return throttled(waits.address);
    // A full account count never refuses the right password (see throttle.ts), only wrong ones.
    const user = await authenticateWithPassword(c.var.services.db, email, password, mayUseAdminSite);
    if (!user) {
      await recordLoginFailure(throttle, source);
      return waits.account > 0 ? throttled(waits.account) : refuse({ detail: [INVALID_LOGIN] }, 400);
    }
    await clearAccountFailures(throttle, email);
    await startStaffSession(c, user);
    clearLoginNonce(c);
    return c.redirect(next, 303);
  })
  .post("/logout", requireStaff, requireCsrfToken, async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await endAdminSession(c.var.services.staffSessions, id);
    clearCookie(c, SESSION_COOKIE);
    setFlash(c, { kind: "success", text: "You have been logged out." });
    return c.redirect("/admin/login", 303);
  });
