import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";

/**
 * HSTS, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` on every response.
 * Hono's other defaults are for HTML pages, which the admin site sets for itself (and
 * Cross-Origin-Resource-Policy: same-origin would keep the documents' front ends on other origins
 * from showing profile pictures). A header a route or wing already chose is left alone: the admin
 * site's stricter set and the pictures' own headers stay as they are.
 */
export const securityHeaders = secureHeaders({
  strictTransportSecurity: true,
  xContentTypeOptions: true,
  referrerPolicy: true,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  overwrite: false,
});

/**
 * `Cache-Control: no-store` on every response that did not choose a policy (only pictures and the
 * admin stylesheet do). Everything else is one caller's data, an error, or carries tokens, which
 * RFC 6749 section 5.1 says no cache may keep; a default for all leaves no token answer to forget.
 */
export const noStoreByDefault = createMiddleware(async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});
