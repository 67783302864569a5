import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ADMIN_HEADERS } from "../admin/headers";
import { readForm, sameOriginOr } from "../admin/middleware";
import { htmlDocument } from "../admin/render";
import type { AppEnv } from "../env";
import { ApiError, loggedApiError } from "../errors";
import { INVALID_TOKEN } from "../services/account-links";
import { ValidationFailed } from "../services/domain-errors";
import { verifyEmail } from "../services/email-verification";
import { resetPassword } from "../services/password-reset";
import { AccountLayout, Notice, ResetPasswordForm, VerifyEmailForm } from "./views";

/** The pages links in mail open: their errors are pages too. */
export const ACCOUNT_PATHS = /^\/account(\/|$)/;

// The admin site's policy (no script, no inline style, forms to this origin only), but no referrer
// at all: the page's own URL holds the token.
const ACCOUNT_HEADERS = { ...ADMIN_HEADERS, "Referrer-Policy": "no-referrer" };

const BAD_LINK = "This link is invalid, used or expired. Ask for a new one and use the newest link you get.";

function renderAccountPage(
  c: Context<AppEnv>,
  title: string,
  content: Child,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
): Response {
  const page = (
    <AccountLayout title={title} appName={c.var.config?.APP_NAME ?? "Account"}>
      {content}
    </AccountLayout>
  );
  return htmlDocument(c, page, status, { ...ACCOUNT_HEADERS, ...headers });
}

/** Anything thrown on these pages, as a page: a refusal's message, a fault's generic one. */
export function renderAccountFailure(err: unknown, c: Context<AppEnv>): Response {
  const apiError = loggedApiError(err, c);
  const status = apiError.status as ContentfulStatusCode;
  const heading = status === 429 ? "Too many attempts" : status >= 500 ? "Something went wrong" : "Request refused";
  return renderAccountPage(c, heading, <Notice heading={heading} text={apiError.message} />, status, apiError.headers);
}

/** The forms' POSTs: a cross-site one is refused before anything is read. */
const requireSameOrigin = sameOriginOr(
  () => new ApiError("FORBIDDEN", { message: "This form must be sent from this site." }),
);

const tokenOf = (c: Context) => c.req.query("token")?.slice(0, 128) ?? "";

/**
 * `/account/`: the Worker's own pages for the links it mails (unless PASSWORD_RESET_URL or
 * EMAIL_VERIFY_URL send users elsewhere). A GET only shows a form; the token is used by its POST.
 */
export const accountSite = new Hono<AppEnv>()
  .use(requireSameOrigin)
  .get("/reset-password", (c) => {
    const token = tokenOf(c);
    if (!token) return renderAccountPage(c, "Reset link", <Notice heading="Link incomplete" text={BAD_LINK} />, 400);
    return renderAccountPage(c, "Choose a new password", <ResetPasswordForm token={token} />);
  })
  .post("/reset-password", async (c) => {
    const form = await readForm(c);
    const token = form.token ?? "";
    try {
      await resetPassword(c.var.services, {
        token,
        password: form.new_password ?? "",
        passwordConfirm: form.new_password_confirm ?? "",
        fields: ["new_password", "new_password_confirm"],
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const errors = error.errors.token ? { token: [BAD_LINK] } : error.errors;
      return renderAccountPage(c, "Choose a new password", <ResetPasswordForm token={token} errors={errors} />, 400);
    }
    const done = "Your password has been reset and every session signed out. Log in with the new password.";
    return renderAccountPage(c, "Password reset", <Notice heading="Password reset" text={done} />);
  })
  .get("/verify-email", (c) => {
    const token = tokenOf(c);
    if (!token)
      return renderAccountPage(c, "Verification link", <Notice heading="Link incomplete" text={BAD_LINK} />, 400);
    return renderAccountPage(c, "Confirm your email address", <VerifyEmailForm token={token} />);
  })
  .post("/verify-email", async (c) => {
    const form = await readForm(c);
    try {
      const user = await verifyEmail(c.var.services, (form.token ?? "").slice(0, 128), "token");
      const text = `${user.email} is confirmed as the address of your account.`;
      return renderAccountPage(c, "Email confirmed", <Notice heading="Email address confirmed" text={text} />);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const text = error.errors.token?.[0] === INVALID_TOKEN ? BAD_LINK : Object.values(error.errors).flat().join(" ");
      return renderAccountPage(c, "Verification link", <Notice heading="Link not used" text={text} />, 400);
    }
  });

accountSite.notFound((c) => renderAccountFailure(new ApiError("NOT_FOUND", { message: "Not found." }), c));
accountSite.onError(renderAccountFailure);
