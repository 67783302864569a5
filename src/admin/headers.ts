import { createMiddleware } from "hono/factory";

// No inline script or style anywhere, so the policy can forbid them: the one stylesheet comes from
// /admin/static/, pictures from /media/. form-action also covers where a form's redirect leads.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Sent with every admin response, error pages included. */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Cross-Origin-Opener-Policy": "same-origin",
};

// Pages show user data: no cache, shared or private, may keep them. The stylesheet sets its own.
const NO_STORE = "no-store";

/** Adds ADMIN_HEADERS and `Cache-Control: no-store` (unless the route chose a policy) to every response. */
export const adminHeaders = createMiddleware(async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(ADMIN_HEADERS)) c.res.headers.set(name, value);
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", NO_STORE);
});

/** The headers of an admin page rendered outside the admin site's middleware (an early error). */
export function adminPageHeaders(): Record<string, string> {
  return { ...ADMIN_HEADERS, "Cache-Control": NO_STORE };
}
