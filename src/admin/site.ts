import { Hono } from "hono";
import type { AdminEnv } from "./context";
import { adminHeaders } from "./headers";
import { loadFlash, requireCsrfToken, requireSameOrigin, requireStaff } from "./middleware";
import { sessionRoutes } from "./routes/session";
import { userChanges } from "./routes/user-changes";
import { userPages } from "./routes/users";
import { STYLESHEET, STYLESHEET_NAME } from "./static/stylesheet";

/**
 * The admin site, mounted at /admin: server-rendered pages for staff (hono/jsx, no client script).
 * Order matters: what is registered before `requireStaff` (the stylesheet, login and logout) is
 * reachable without a session; everything after it needs one and, to change anything, the
 * session's CSRF token. Errors become pages in the app's one renderer (src/errors.ts).
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
  .route("/", sessionRoutes)
  .use(requireStaff, requireCsrfToken)
  .get("/", (c) => c.redirect("/admin/users"))
  .route("/users", userPages)
  .route("/users", userChanges);
