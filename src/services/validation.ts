/** Field name -> messages, the shape both documents use for validation errors. */
export type FieldErrors = Record<string, string[]>;

/** A request that is well-formed but breaks a rule; rendered as a 400 with these field errors. */
export class ValidationFailed extends Error {
  constructor(readonly errors: FieldErrors) {
    super("validation failed");
  }
}
