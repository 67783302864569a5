import { type Context, Hono } from "hono";
import { ApiError, loggedApiError } from "../errors";
import type { AdminEnv } from "./admin-env";
import { adminHeaders } from "./headers";
import { loadFlash, requireCsrfToken, requireSameOrigin, requireStaff } from "./middleware";
import { renderAdminError } from "./render";
import { login } from "./routes/admin-login";
import { users } from "./routes/admin-users";
import { STYLESHEET, STYLESHEET_NAME } from "./static/stylesheet";

/** The admin site's paths: their errors are pages, not JSON. */
export const ADMIN_PATHS = /^\/admin(\/|$)/;

/** An admin page for anything thrown: the site's own error renderer. */
export function renderAdminFailure<E extends AdminEnv>(err: unknown, c: Context<E>): Response {
  const apiError = loggedApiError(err, c);
  return renderAdminError(c, apiError);
}

/**
 * The admin site, mounted at /admin: server-rendered pages for staff (hono/jsx, no client script).
 * The stylesheet and the login routes need no session; the users router asks for one itself, and
 * for the session's CSRF token on every change. Errors are pages of the site, rendered here.
 */
export const adminSite = new Hono<AdminEnv>()
  .use(adminHeaders)
  .use(requireSameOrigin)
  .get("/static/:name", (c) => {
    if (c.req.param("name") !== STYLESHEET_NAME) return c.notFound();
    // The name carries the content's hash: a new stylesheet is a new URL.
    return c.body(STYLESHEET, 200, {
      "Content-Type": "text/css; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  })
  .use(loadFlash)
  .route("/", login)
  .get("/", requireStaff, (c) => c.redirect("/admin/users"))
  .route("/users", users)
  // Any other path needs a session as well: a visitor is sent to the login page, not told what exists.
  .use(requireStaff, requireCsrfToken);

adminSite.notFound((c) => renderAdminError(c, new ApiError("NOT_FOUND", { message: "Not found." })));
adminSite.onError(renderAdminFailure);
