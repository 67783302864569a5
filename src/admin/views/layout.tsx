import type { Child } from "hono/jsx";
import type { Flash } from "../admin-env";
import { STYLESHEET_URL } from "../static/stylesheet";
import { CsrfField } from "./fields";

export interface LayoutProps {
  title: string;
  /** The signed-in staff member, for the navigation and the logout form. */
  staff?: { email: string; csrfToken: string };
  flash?: Flash;
  children?: Child;
}

/** The head of every server-rendered page (the admin site's and the account pages): kept out of search engines. */
export function PageHead({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex, nofollow" />
      <title>{title}</title>
      <link rel="stylesheet" href={STYLESHEET_URL} />
    </head>
  );
}

/** Every admin page: skip link, header with navigation, the flash message, then the page in <main>. */
export function Layout({ title, staff, flash, children }: LayoutProps) {
  return (
    <html lang="en">
      <PageHead title={`${title} · edge-auth admin`} />
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class="bar">
            <a class="site-name" href="/admin/">
              edge-auth admin
            </a>
            {staff && (
              <nav class="site-nav" aria-label="Main">
                <a href="/admin/users">Users</a>
                <span class="who">{staff.email}</span>
                <form method="post" action="/admin/logout">
                  <CsrfField token={staff.csrfToken} />
                  <button type="submit" class="button secondary">
                    Log out
                  </button>
                </form>
              </nav>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {flash && (
            <div class={`flash flash-${flash.kind}`} role={flash.kind === "error" ? "alert" : "status"}>
              {flash.text}
            </div>
          )}
          {children}
        </main>
      </body>
    </html>
  );
}
