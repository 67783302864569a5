import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../errors";
import type { AdminEnv } from "./context";
import { ADMIN_HEADERS } from "./headers";
import { renderPage } from "./render";
import { ErrorPage, errorTitle } from "./views/error-page";

/** The admin site's paths: their errors are pages, not JSON. */
export const ADMIN_PATHS = /^\/admin(\/|$)/;

/**
 * An error as an admin page in the site's layout. It carries the site's headers itself, for errors
 * raised before the admin middleware ran (a bad configuration, an oversized body).
 */
export function renderAdminError(c: Context<AdminEnv>, err: ApiError): Response {
  const status = err.status as ContentfulStatusCode;
  const page = <ErrorPage status={status} message={err.message} signedIn={c.var.staff !== undefined} />;
  return renderPage(c, errorTitle(status), page, status, { ...ADMIN_HEADERS, ...err.headers });
}
