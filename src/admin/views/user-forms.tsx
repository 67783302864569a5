import { Checkbox, CsrfField, type FieldErrors, FormErrors, SelectField, TextArea, TextField } from "./fields";

/** What the edit form shows: the user's values, or what was submitted when it was refused. */
export interface EditValues {
  first_name: string;
  last_name: string;
  email: string;
  role: string;
  bio: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
}

const EDIT_FIELDS = ["first_name", "last_name", "email", "role", "bio", "is_active", "is_staff", "is_superuser"];

export function EditForm(props: {
  action: string;
  csrfToken: string;
  values: EditValues;
  errors?: FieldErrors;
  roles: readonly string[];
  /** Whether the reader may change the staff and superuser flags (the policy's grant_privileges). */
  mayGrantPrivileges: boolean;
}) {
  const { action, csrfToken, values, errors, roles, mayGrantPrivileges } = props;
  return (
    <section class="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit account</h2>
      <form method="post" action={action} novalidate>
        <FormErrors errors={errors} fields={EDIT_FIELDS} />
        <CsrfField token={csrfToken} />
        <div class="grid">
          <TextField name="first_name" label="First name" value={values.first_name} maxlength={150} errors={errors} />
          <TextField name="last_name" label="Last name" value={values.last_name} maxlength={150} errors={errors} />
        </div>
        <TextField name="email" label="Email address" type="email" value={values.email} required errors={errors} />
        <SelectField
          name="role"
          label="Role"
          value={values.role}
          choices={roles.map((role) => ({ value: role, label: role }))}
          errors={errors}
        />
        <TextArea name="bio" label="Bio" value={values.bio} maxlength={2000} errors={errors} />
        <Checkbox
          name="is_active"
          label="Active"
          checked={values.is_active}
          errors={errors}
          help="An inactive user cannot log in; deactivating signs them out everywhere at once."
        />
        {mayGrantPrivileges ? (
          <>
            <Checkbox
              name="is_staff"
              label="Staff"
              checked={values.is_staff}
              errors={errors}
              help="Staff can log in to this admin site."
            />
            <Checkbox
              name="is_superuser"
              label="Superuser"
              checked={values.is_superuser}
              errors={errors}
              help="Superusers may change anyone, including privileges."
            />
          </>
        ) : (
          <p class="help">
            Staff: {values.is_staff ? "yes" : "no"}; superuser: {values.is_superuser ? "yes" : "no"}. Only a superuser
            can change these, or give the admin role.
          </p>
        )}
        <button type="submit" class="button">
          Save changes
        </button>
      </form>
    </section>
  );
}

/** Django's validators, as its admin lists them beside the password field. */
const PASSWORD_RULES = [
  "It can’t be too similar to the user’s other personal information.",
  "It must contain at least 8 characters.",
  "It can’t be a commonly used password.",
  "It can’t be entirely numeric.",
];

export function PasswordForm(props: { action: string; csrfToken: string; email: string; errors?: FieldErrors }) {
  const { action, csrfToken, email, errors } = props;
  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Set a password</h2>
      <form method="post" action={action} novalidate>
        <FormErrors errors={errors} fields={["password", "password_confirm"]} />
        <CsrfField token={csrfToken} />
        {/* Whose password this is, for password managers; it has no name, so it is not sent. */}
        <input type="email" autocomplete="username" value={email} hidden readonly />
        <TextField
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          required
          errors={errors}
          help={
            <ul>
              {PASSWORD_RULES.map((rule) => (
                <li>{rule}</li>
              ))}
            </ul>
          }
        />
        <TextField
          name="password_confirm"
          label="New password again"
          type="password"
          autocomplete="new-password"
          required
          errors={errors}
        />
        <p class="help">The user is signed out everywhere when the password changes.</p>
        <button type="submit" class="button">
          Set password
        </button>
      </form>
    </section>
  );
}
