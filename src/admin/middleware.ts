import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { User } from "../db/schema";
import { findUserById } from "../db/users";
import { ApiError } from "../errors";
import { type AdminEnv, staffOf } from "./context";
import { clearCookie, cookieOptions, SESSION_COOKIE, takeFlash } from "./cookies";
import { csrfToken, isSameToken } from "./csrf";
import { readForm } from "./forms";
import { type AdminSessionStore, endAdminSession, resumeAdminSession } from "./sessions";

// Django's admin rule: the site is for active staff; superusers without the staff flag stay out too.
export const mayUseAdminSite = (user: User) => user.isActive && user.isStaff;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const csrfRefused = () =>
  new ApiError("FORBIDDEN", {
    message:
      "CSRF verification failed: the form did not come from this site or has expired. Reload the page and try again.",
  });

export function sessionStore(c: Context<AdminEnv>): AdminSessionStore {
  const { ADMIN_SESSION_IDLE_SECONDS, ADMIN_SESSION_MAX_SECONDS } = c.var.config;
  return { kv: c.env.AUTH_KV, idleSeconds: ADMIN_SESSION_IDLE_SECONDS, maxSeconds: ADMIN_SESSION_MAX_SECONDS };
}

const originCheck = csrf();

/**
 * Hono's check of `Origin` (or `Sec-Fetch-Site`) on every state-changing request; a request with
 * neither header is refused. Its bare 403 becomes our CSRF error page.
 */
export const requireSameOrigin = createMiddleware<AdminEnv>(async (c, next) => {
  try {
    await originCheck(c, async () => {});
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403) throw csrfRefused();
    throw error;
  }
  await next();
});

/** Shows the flash message left by the last change on the page that follows it. */
export const loadFlash = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.req.method === "GET") c.set("flash", takeFlash(c));
  await next();
});

function toLogin(c: Context<AdminEnv>): Response {
  const url = new URL(c.req.url);
  const next = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
  return c.redirect(`/admin/login${next}`, c.req.method === "GET" ? 302 : 303);
}

/**
 * Lets in a live session of a user who is still active staff, re-read from the database on every
 * request: a deactivated or demoted staff member, or one whose sessions were revoked or password
 * changed, is out at once. Everyone else goes to the login page.
 */
export const requireStaff = createMiddleware<AdminEnv>(async (c, next) => {
  const id = getCookie(c, SESSION_COOKIE);
  const store = sessionStore(c);
  const live = id ? await resumeAdminSession(store, id) : undefined;
  const user = live ? await findUserById(c.var.db, live.record.userId) : undefined;
  if (!id || !live || !user || !mayUseAdminSite(user) || user.tokenVersion !== live.record.tokenVersion) {
    if (live && id) await endAdminSession(store, id);
    if (id) clearCookie(c, SESSION_COOKIE);
    return toLogin(c);
  }
  // The cookie's Max-Age moves on with the record's TTL.
  if (live.touched) setCookie(c, SESSION_COOKIE, id, cookieOptions(c, store.idleSeconds));
  c.set("staff", { sessionId: id, user, csrfToken: await csrfToken(c.var.config.JWT_SECRET, "session", id) });
  await next();
});

/** Every state-changing request of a session carries that session's token in `csrf_token`. */
export const requireCsrfToken = createMiddleware<AdminEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const { csrf_token } = await readForm(c);
    // requireStaff already computed this session's token for the page's forms.
    if (!isSameToken(staffOf(c).csrfToken, csrf_token)) throw csrfRefused();
  }
  await next();
});
