// The pages a link sent by mail opens: plain forms that work without JavaScript, in the admin
// site's stylesheet, with each error beside its field.
import type { Child } from "hono/jsx";
import { FormErrors, TextField } from "../admin/views/fields";
import { PageHead } from "../admin/views/layout";
import type { FieldErrors } from "../services/domain-errors";

export function AccountLayout({ title, appName, children }: { title: string; appName: string; children?: Child }) {
  return (
    <html lang="en">
      <PageHead title={`${title} · ${appName}`} />
      <body>
        <header class="site-header">
          <div class="bar">
            <span class="site-name">{appName}</span>
          </div>
        </header>
        <main id="main" class="narrow">
          <div class="card">{children}</div>
        </main>
      </body>
    </html>
  );
}

const PASSWORD_FIELDS = ["new_password", "new_password_confirm"] as const;

/** The reset form; the token rides along in the body, never in a URL the page sends anywhere. */
export function ResetPasswordForm({ token, errors }: { token: string; errors?: FieldErrors }) {
  return (
    <>
      <h1>Choose a new password</h1>
      <FormErrors errors={errors} fields={PASSWORD_FIELDS} />
      <form method="post" action="/account/reset-password">
        <input type="hidden" name="token" value={token} />
        <TextField
          name="new_password"
          label="New password"
          type="password"
          autocomplete="new-password"
          required
          maxlength={128}
          errors={errors}
          help="At least 8 characters, not too common, not all digits, not like your email or name."
        />
        <TextField
          name="new_password_confirm"
          label="New password again"
          type="password"
          autocomplete="new-password"
          required
          maxlength={128}
          errors={errors}
        />
        <button type="submit" class="button">
          Set the new password
        </button>
      </form>
    </>
  );
}

/** The verification page: a GET shows this button, only its POST uses the token (mail scanners fetch links). */
export function VerifyEmailForm({ token }: { token: string }) {
  return (
    <>
      <h1>Confirm your email address</h1>
      <p>Press the button to confirm that this address is yours.</p>
      <form method="post" action="/account/verify-email">
        <input type="hidden" name="token" value={token} />
        <button type="submit" class="button">
          Confirm my email address
        </button>
      </form>
    </>
  );
}

/** An outcome: done, or a link that cannot be used. */
export function Notice({ heading, text }: { heading: string; text: string }) {
  return (
    <>
      <h1>{heading}</h1>
      <p>{text}</p>
    </>
  );
}
