import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { User } from "../db/schema";
import { recordUse } from "../middleware/authenticate";
import { Forbidden } from "../services/domain-errors";
import { endAdminSession, resumeAdminSession } from "../services/staff-sessions";
import type { AdminEnv, StaffEnv } from "./admin-env";
import { clearCookie, cookieOptions, SESSION_COOKIE, takeFlash } from "./cookies";
import { csrfToken, isSameToken } from "./csrf";

// Django's admin rule: the site is for active staff; superusers without the staff flag stay out too.
export const mayUseAdminSite = (user: User) => user.isActive && user.isStaff;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const csrfRefused = () =>
  new Forbidden(
    "CSRF verification failed: the form did not come from this site or has expired. Reload the page and try again.",
  );

const originCheck = csrf();

/**
 * Hono's check of `Origin` (or `Sec-Fetch-Site`) on every state-changing request; a request with
 * neither header is refused, before anything is read, with `refusal()` in place of its bare 403.
 */
export const sameOriginOr = (refusal: () => Error) =>
  createMiddleware(async (c, next) => {
    try {
      await originCheck(c, async () => {});
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) throw refusal();
      throw error;
    }
    await next();
  });

/** The admin site's forms: a cross-site one is our CSRF error page. */
export const requireSameOrigin = sameOriginOr(csrfRefused);

/** Shows the flash message left by the last change on the page that follows it. */
export const loadFlash = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.req.method === "GET") c.set("flash", takeFlash(c));
  await next();
});

function toLogin(c: Context<StaffEnv>): Response {
  const url = new URL(c.req.url);
  const next = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
  return c.redirect(`/admin/login${next}`, c.req.method === "GET" ? 302 : 303);
}

/**
 * Lets in a live session of a user who is still active staff, read with its user in one statement on
 * every request: a deactivated or demoted staff member, or one whose sessions were revoked or
 * password changed, is out at once. Everyone else goes to the login page.
 */
export const requireStaff = createMiddleware<StaffEnv>(async (c, next) => {
  const id = getCookie(c, SESSION_COOKIE);
  const store = c.var.services.staffSessions;
  const live = id ? await resumeAdminSession(store, id) : undefined;
  if (!id || !live || !mayUseAdminSite(live.user)) {
    if (live && id) await endAdminSession(store, id);
    if (id) clearCookie(c, SESSION_COOKIE);
    return toLogin(c);
  }
  // The cookie's Max-Age moves on with the idle deadline, as often as the row's `last_seen_at` does.
  if (live.touch) setCookie(c, SESSION_COOKIE, id, cookieOptions(c, store.adminIdleSeconds));
  recordUse(c.var.services, live.touch);
  const csrf = await csrfToken(c.var.config.JWT_SECRET, "session", id);
  c.set("staff", { sessionId: id, session: live.session, user: live.user, csrfToken: csrf });
  await next();
});

/** Every state-changing request of a session carries that session's token in `csrf_token`. */
export const requireCsrfToken = createMiddleware<StaffEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const { csrf_token } = await readForm(c);
    // requireStaff already computed this session's token for the page's forms.
    if (!isSameToken(c.var.staff.csrfToken, csrf_token)) throw csrfRefused();
  }
  await next();
});

/**
 * A submitted form as name -> value. A name sent twice keeps its last value (see `Checkbox`); files
 * and bodies that are not forms read as nothing, so a JSON body carries no CSRF token either.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true }).catch(() => ({}));
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === "string") form[name] = last;
  }
  return form;
}
