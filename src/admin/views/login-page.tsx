import { type FieldErrors, FormErrors, TextField } from "./fields";

export interface LoginPageProps {
  csrfToken: string;
  /** Where to go once logged in (a path under /admin/). */
  next: string;
  email?: string;
  errors?: FieldErrors;
}

export function LoginPage({ csrfToken, next, email, errors }: LoginPageProps) {
  return (
    <div class="card narrow">
      <h1>Log in</h1>
      <p>For staff accounts only.</p>
      <form method="post" action="/admin/login" novalidate>
        <FormErrors errors={errors} fields={["email", "password"]} />
        <input type="hidden" name="csrf_token" value={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <TextField
          name="email"
          label="Email address"
          type="email"
          value={email}
          autocomplete="username"
          required
          errors={errors}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          errors={errors}
        />
        <button type="submit" class="button">
          Log in
        </button>
      </form>
    </div>
  );
}
