import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "./context";
import { Layout } from "./views/layout";

/**
 * Renders a page in the site's layout, with the signed-in staff member and the flash message taken
 * from the request. Views are synchronous, so the response is too (the error renderer needs that).
 */
export function renderPage(
  c: Context<AdminEnv>,
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
  const html = page.toString();
  if (typeof html !== "string") throw new Error("admin views must render synchronously");
  return c.html(`<!doctype html>${html}`, status, headers);
}
