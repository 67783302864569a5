// Form controls that carry their label, their errors and the ARIA that ties them together, so
// every form of the site reads the same to a screen reader: the errors are announced with the field.

import type { Child } from "hono/jsx";
import type { FieldErrors } from "../../services/domain-errors";

export type { FieldErrors };

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  /** Shown under the control and read with it. */
  help?: Child;
}

const errorsId = (name: string) => `${name}-errors`;
const helpId = (name: string) => `${name}-help`;

function describedBy(name: string, errors: string[] | undefined, help: Child | undefined): string | undefined {
  const ids = [errors?.length ? errorsId(name) : "", help ? helpId(name) : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** The messages for one field, in a list the control points at with aria-describedby. */
export function ErrorList({ name, messages }: { name: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <ul class="errors" id={errorsId(name)}>
      {messages.map((message) => (
        <li>{message}</li>
      ))}
    </ul>
  );
}

function Help({ name, help }: { name: string; help?: Child }) {
  return help ? (
    <div class="help" id={helpId(name)}>
      {help}
    </div>
  ) : null;
}

/** What a field's control needs from its props: id, name, ARIA. */
function controlAttributes({ name, errors, help }: FieldProps) {
  const messages = errors?.[name];
  return {
    id: name,
    name,
    "aria-invalid": messages?.length ? "true" : undefined,
    "aria-describedby": describedBy(name, messages, help),
  };
}

export function TextField(
  props: FieldProps & {
    value?: string;
    type?: "text" | "email" | "password" | "search";
    autocomplete?: string;
    required?: boolean;
    maxlength?: number;
  },
) {
  const { name, label, errors, help, value, type = "text", autocomplete, required, maxlength } = props;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input
        {...controlAttributes(props)}
        type={type}
        value={type === "password" ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        maxlength={maxlength}
      />
      <Help name={name} help={help} />
      <ErrorList name={name} messages={errors?.[name]} />
    </div>
  );
}

export function TextArea(props: FieldProps & { value?: string; maxlength?: number }) {
  const { name, label, errors, help, value, maxlength } = props;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <textarea {...controlAttributes(props)} maxlength={maxlength}>
        {value ?? ""}
      </textarea>
      <Help name={name} help={help} />
      <ErrorList name={name} messages={errors?.[name]} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: FieldProps & { value?: string; choices: readonly Choice[] }) {
  const { name, label, errors, help, value, choices } = props;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <select {...controlAttributes(props)}>
        {choices.map((choice) => (
          <option value={choice.value} selected={choice.value === value}>
            {choice.label}
          </option>
        ))}
      </select>
      <Help name={name} help={help} />
      <ErrorList name={name} messages={errors?.[name]} />
    </div>
  );
}

/**
 * A checkbox that is always submitted: the hidden `off` comes first and a ticked box's `on` after it,
 * and the form reader keeps the last value. A flag left out of the form entirely is thereby told
 * apart from one unticked, so a form may omit the flags its reader may not change.
 */
export function Checkbox(props: FieldProps & { checked: boolean }) {
  const { name, label, errors, help, checked } = props;
  return (
    <div class="field">
      <input type="hidden" name={name} value="off" />
      <label class="checkbox" for={name}>
        <input {...controlAttributes(props)} type="checkbox" value="on" checked={checked} />
        {label}
      </label>
      <Help name={name} help={help} />
      <ErrorList name={name} messages={errors?.[name]} />
    </div>
  );
}

/** The session's CSRF token, which every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf_token" value={token} />;
}

/**
 * Above a form that was refused: a summary a screen reader announces, and the errors that belong to
 * no field (or to a field the form does not show).
 */
export function FormErrors({ errors, fields }: { errors?: FieldErrors; fields: readonly string[] }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  const unplaced = entries.filter(([field]) => !fields.includes(field)).flatMap(([, list]) => list);
  return (
    <div class="form-error" role="alert">
      {unplaced.length < entries.length && <p>Please correct the errors below.</p>}
      {unplaced.map((message) => (
        <p>{message}</p>
      ))}
    </div>
  );
}
