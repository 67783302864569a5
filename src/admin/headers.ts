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

/**
 * Adds ADMIN_HEADERS to every response. Pages show user data, so no cache may keep them: the app's
 * `Cache-Control: no-store` default (src/middleware/response-headers.ts) covers them, and the
 * stylesheet sets its own policy.
 */
export const adminHeaders = createMiddleware(async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(ADMIN_HEADERS)) c.res.headers.set(name, value);
});
