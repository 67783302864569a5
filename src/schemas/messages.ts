import * as z from "zod";
import type { FieldErrors } from "../services/domain-errors";

/** Zod issues worded the way Django REST Framework words them, which both documents' clients show. */
const drfErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "This field is required.";
      if (issue.input === null) return "This field may not be null.";
      return issue.expected === "boolean" ? "Must be a valid boolean." : `Not a valid ${issue.expected}.`;
    case "too_small":
      if (issue.origin === "string") {
        return issue.minimum === 1
          ? "This field may not be blank."
          : `Ensure this field has at least ${issue.minimum} characters.`;
      }
      return `Ensure this value is greater than or equal to ${issue.minimum}.`;
    case "too_big":
      return issue.origin === "string"
        ? `Ensure this field has no more than ${issue.maximum} characters.`
        : `Ensure this value is less than or equal to ${issue.maximum}.`;
    case "invalid_format":
      return issue.format === "email" ? "Enter a valid email address." : undefined;
    case "invalid_value":
      return `"${String(issue.input)}" is not a valid choice.`;
    default:
      return undefined;
  }
};

/** Field path -> messages; issues about the whole object go under `non_field_errors`, as in DRF. */
export function toFieldErrors(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "non_field_errors";
    errors[field] ??= [];
    errors[field].push(issue.message);
  }
  return errors;
}

// Set once at load, before any schema parses: every schema of ours speaks DRF's words.
z.config({ customError: drfErrorMap });
