import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isLockConflict } from "./db/mysql-errors";
import {
  Conflict,
  DomainError,
  EmailNotVerified,
  type FieldErrors,
  Forbidden,
  NotFound,
  Throttled,
  TokenRejected,
  ValidationFailed,
} from "./services/domain-errors";

export type { FieldErrors };

const STATUS_BY_CODE = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  MISCONFIGURED: 500,
  DATABASE_UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

interface ApiErrorOptions {
  message: string;
  /** Per-field messages; errors not tied to a field go under `detail`. */
  errors?: FieldErrors;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one exception type handlers throw; `app.onError` renders it in the caller's API shape. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly errors: FieldErrors;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, { message, errors, headers, cause }: ApiErrorOptions) {
    super(STATUS_BY_CODE[code], { message, cause });
    this.code = code;
    this.errors = errors ?? { detail: [message] };
    this.headers = headers ?? {};
  }
}

/** Builds a 400 whose messages belong to fields, as a serializer would report them. */
export function validationError(errors: FieldErrors, message = "Invalid request data"): ApiError {
  return new ApiError("BAD_REQUEST", { message, errors });
}

/** The 415 for a body of a media type the route does not take, in DRF's words. */
export function unsupportedMediaType(mediaType: string): ApiError {
  return new ApiError("UNSUPPORTED_MEDIA_TYPE", { message: `Unsupported media type "${mediaType}" in request.` });
}

/** Hono's own exceptions (malformed JSON, body limits) mapped onto our codes by status. */
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "INVALID_JSON",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** A domain error as its HTTP answer: the one place that decides each one's status. */
function fromDomainError(err: DomainError): ApiError {
  if (err instanceof ValidationFailed) return validationError(err.errors);
  if (err instanceof NotFound) return new ApiError("NOT_FOUND", { message: err.message, cause: err });
  if (err instanceof Forbidden) return new ApiError("FORBIDDEN", { message: err.message, cause: err });
  if (err instanceof EmailNotVerified) {
    return new ApiError("EMAIL_NOT_VERIFIED", { message: err.message, cause: err });
  }
  if (err instanceof Conflict) return new ApiError("CONFLICT", { message: err.message, cause: err });
  if (err instanceof Throttled) {
    const wait = Math.max(1, Math.ceil(err.retryAfterSeconds));
    // DRF's Throttled wording, which both documents' clients know: "... in 1 second." / "... in N seconds."
    const message = `${err.message} Expected available in ${wait} ${wait === 1 ? "second" : "seconds"}.`;
    return new ApiError("TOO_MANY_REQUESTS", { message, headers: { "Retry-After": String(wait) }, cause: err });
  }
  if (err instanceof TokenRejected) {
    return new ApiError("UNAUTHORIZED", { message: "Given token not valid for any token type", cause: err });
  }
  return new ApiError("INTERNAL_SERVER_ERROR", { message: "Internal server error", cause: err });
}

/** Anything thrown, as an ApiError: unknown failures become a 500 that reveals nothing. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return fromDomainError(err);
  if (err instanceof HTTPException) {
    const code = CODE_BY_STATUS[err.status];
    if (code) return new ApiError(code, { message: err.message || "Bad request", cause: err });
  }
  if (isLockConflict(err)) {
    return new ApiError("CONFLICT", { message: "The change collided with another one; try again.", cause: err });
  }
  return new ApiError("INTERNAL_SERVER_ERROR", { message: "Internal server error", cause: err });
}

// The `/api/users/` document is a Django REST Framework API; its clients parse DRF's shapes.
const DRF_PATHS = /^\/(api|media)\//;

/** True when the ApiError carries messages for fields rather than one general message. */
const hasFieldErrors = (err: ApiError) => Object.keys(err.errors).some((field) => field !== "detail");

/**
 * The JSON error renderer, in the shape of the API the request belongs to:
 * - `/auth/`: the envelope `{success:false, code, errors:{field:[...]}, message}`;
 * - `/api/` and `/media/`: DRF's `{field:[...], non_field_errors:[...]}` or `{detail}`.
 * The admin site renders its own errors as pages (src/admin/site.ts).
 */
export function renderError(c: Context, err: ApiError): Response {
  const status = err.status as ContentfulStatusCode;
  if (DRF_PATHS.test(c.req.path)) {
    return c.json(hasFieldErrors(err) ? err.errors : { detail: err.message }, status, err.headers);
  }
  const body = { success: false, code: err.code, errors: err.errors, message: err.message };
  return c.json(body, status, err.headers);
}

/** Anything thrown as an ApiError (toApiError), logged first when it is a fault of ours (logFault). */
export function loggedApiError(err: unknown, c: Context): ApiError {
  const apiError = toApiError(err);
  logFault(c, apiError);
  return apiError;
}

/** Logs a server-side failure (5xx) with what operators need to find it; a 4xx is the caller's. */
function logFault(c: Context, err: ApiError): void {
  if (err.status < 500) return;
  const cause = err.cause instanceof Error ? (err.cause.stack ?? err.cause.message) : String(err.cause);
  // The client's own id, if it sent one, helps match its report to this line; cut to a sane length.
  const clientRequestId = c.req.header("X-Request-Id")?.slice(0, 64);
  console.error(
    JSON.stringify({ level: "error", requestId: c.get("requestId"), clientRequestId, code: err.code, cause }),
  );
}
