// The errors that services and repositories throw, in the domain's words. They know nothing of
// HTTP: `toApiError` (src/errors.ts) gives each its status once, and each wing renders it in its
// own shape.

/** Field name -> messages, the shape both documents use for validation errors. */
export type FieldErrors = Record<string, string[]>;

/** Every domain error; anything else thrown is a fault (a 500). */
export abstract class DomainError extends Error {}

/** A request that is well-formed but breaks a rule, with the messages for each field. */
export class ValidationFailed extends DomainError {
  constructor(readonly errors: FieldErrors) {
    super("validation failed");
  }
}

/** What was asked for does not exist (or the caller may not learn that it does). */
export class NotFound extends DomainError {}

/** The caller may not do this. */
export class Forbidden extends DomainError {
  constructor(message = "You do not have permission to perform this action.") {
    super(message);
  }
}

/** A right password on an account whose address is unverified, while REQUIRE_EMAIL_VERIFICATION holds. */
export class EmailNotVerified extends DomainError {
  constructor() {
    super("E-mail is not verified.");
  }
}

/** The change collides with the state it found: a guard rail, or a concurrent change. */
export class Conflict extends DomainError {}

/** Why a token was refused; callers answer every reason with the same 401. */
export type TokenRejection = "malformed" | "expired" | "invalid" | "wrong_type";

/** A token (JWT, API key, refresh token) that proves nothing. */
export class TokenRejected extends DomainError {
  constructor(readonly reason: TokenRejection) {
    super(`token rejected: ${reason}`);
  }
}

/** Too many attempts: the caller may try again after `retryAfterSeconds`. */
export class Throttled extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = "Request was throttled.",
  ) {
    super(message);
  }
}
