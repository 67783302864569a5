import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../errors";
import type { AdminEnv } from "./admin-env";
import { ADMIN_HEADERS } from "./headers";
import { ErrorPage, errorTitle } from "./views/error-page";
import { Layout } from "./views/layout";

/** A page as an HTML document; views are synchronous, so the response is too. */
export function htmlDocument(
  c: Context,
  page: Child,
  status: ContentfulStatusCode = 200,
  headers?: Record<string, string>,
): Response {
  const html = page?.toString();
  if (typeof html !== "string") throw new Error("views must render synchronously");
  return c.html(`<!doctype html>${html}`, status, headers);
}

/**
 * Renders a page in the site's layout, with the signed-in staff member and the flash message taken
 * from the request. Views are synchronous, so the response is too (the error renderer needs that).
 */
export function renderPage<E extends AdminEnv>(
  c: Context<E>,
  title: string,
  content: Child,
  status: ContentfulStatusCode = 200,
  headers?: Record<string, string>,
): Response {
  const staff = c.var.staff;
  const page = (
    <Layout title={title} staff={staff && { email: staff.user.email, csrfToken: staff.csrfToken }} flash={c.var.flash}>
      {content}
    </Layout>
  );
  return htmlDocument(c, page, status, headers);
}

/**
 * An error as an admin page in the site's layout. It carries the site's headers itself, for errors
 * raised before the admin middleware ran (a bad configuration, an oversized body).
 */
export function renderAdminError<E extends AdminEnv>(c: Context<E>, err: ApiError): Response {
  const status = err.status as ContentfulStatusCode;
  const page = <ErrorPage status={status} message={err.message} signedIn={c.var.staff !== undefined} />;
  return renderPage(c, errorTitle(status), page, status, { ...ADMIN_HEADERS, ...err.headers });
}
