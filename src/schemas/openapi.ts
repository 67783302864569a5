import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import * as z from "zod";
import type { ErrorCode, FieldErrors } from "../errors";

// The pieces every route's `createRoute({...})` shares: the error shapes of both APIs as named
// components, the two ways to authenticate, and helpers that spell out a response once.
// `.meta({ id })` makes a schema a component under that name, referenced wherever it is used.

const Messages = z.array(z.string()).min(1);

/** The `/auth/` envelope's error, for every status (and for /health). */
export const EnvelopeError = z
  .strictObject({
    success: z.literal(false),
    code: z.string().meta({ description: "What went wrong, e.g. `BAD_REQUEST` or `UNAUTHORIZED`" }),
    errors: z.record(z.string(), Messages).meta({
      description:
        "Messages per field; those not tied to a field under `detail` (`non_field_errors` for a failed login)",
    }),
    message: z.string(),
  })
  .meta({ id: "EnvelopeError", description: "The `/auth/` API's error envelope" });

/** Django REST Framework's validation error: messages per field, `non_field_errors` for the rest. */
export const DrfFieldErrors = z.record(z.string(), Messages).meta({
  id: "DrfFieldErrors",
  description: "Messages per field; messages about the request as a whole under `non_field_errors`",
});

/** Django REST Framework's error that is not about a field. */
export const DrfDetail = z.strictObject({ detail: z.string() }).meta({ id: "DrfDetail" });

const ERRORS = {
  400: { code: "BAD_REQUEST", description: "Invalid request data" },
  401: { code: "UNAUTHORIZED", description: "Missing, invalid or expired credentials" },
  403: { code: "FORBIDDEN", description: "Not allowed for this user" },
  404: { code: "NOT_FOUND", description: "Not found" },
  409: { code: "CONFLICT", description: "Conflicts with the current state or with a change made at the same time" },
  412: { code: "PRECONDITION_FAILED", description: "An `If-Match` or `If-Unmodified-Since` condition failed" },
  413: { code: "PAYLOAD_TOO_LARGE", description: "Request body too large" },
  415: { code: "UNSUPPORTED_MEDIA_TYPE", description: "The body is not JSON (`Content-Type: application/json`)" },
  429: { code: "TOO_MANY_REQUESTS", description: "Too many failed attempts: wait" },
  500: { code: "INTERNAL_SERVER_ERROR", description: "Server fault or misconfiguration" },
  503: { code: "DATABASE_UNAVAILABLE", description: "Database unavailable" },
} as const satisfies Record<number, { code: ErrorCode; description: string }>;

type ErrorStatus = keyof typeof ERRORS;

// What a 400 looks like in the examples; every other status shows its description as the message.
const FIELD_ERRORS_EXAMPLE = { email: ["Enter a valid email address."] };

/** A JSON response, with an example if given: `200: json(User, "The user", example)`. */
export function json<T extends z.ZodType>(schema: T, description: string, example?: z.input<T>) {
  return { description, content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } } };
}

/** A required JSON request body, with an example if given: `request: { body: jsonBody(LoginBody) }`. */
export function jsonBody<T extends z.ZodType>(schema: T, example?: z.input<T>) {
  return { required: true, content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } } };
}

/** An optional JSON body: sent without one (no `Content-Type`), the route validates `{}`. */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { required: false, content: { "application/json": { schema } } };
}

/** Bytes that are not JSON (an uploaded or served picture), as OpenAPI describes a file. */
export const Binary = z.string().meta({ format: "binary" });

// A 429 says when to try again, in whole seconds (RFC 9110 section 10.2.3).
const RETRY_AFTER = {
  "Retry-After": { description: "Seconds until the next attempt is counted", schema: { type: "integer" as const } },
};

type ErrorResponses<Status extends ErrorStatus, Shape extends z.ZodType> = {
  [S in Status | 500]: { description: string; content: { "application/json": { schema: Shape; example: unknown } } };
};

function errorResponses<Status extends ErrorStatus, Shape extends z.ZodType>(
  statuses: Status[],
  shape: (status: ErrorStatus) => Shape,
  example: (status: ErrorStatus) => unknown,
): ErrorResponses<Status, Shape> {
  // Any route can fail with 500 (a bug, or a misconfigured Worker), so every route documents it.
  const all = [...new Set<ErrorStatus>([...statuses, 500])];
  const response = (status: ErrorStatus) => ({
    description: ERRORS[status].description,
    content: { "application/json": { schema: shape(status), example: example(status) } },
    ...(status === 429 ? { headers: RETRY_AFTER } : {}),
  });
  return Object.fromEntries(all.map((status) => [status, response(status)])) as ErrorResponses<Status, Shape>;
}

/**
 * One envelope error whose example is the route's own answer rather than the generic one (the
 * message, unless given, is the status's description, as a 400's is):
 * `401: envelopeError(401, "Wrong email or password", { non_field_errors: [message] }, message)`.
 */
export function envelopeError(
  status: ErrorStatus,
  description: string,
  errors: FieldErrors,
  message: string = ERRORS[status].description,
) {
  const example = { success: false, code: ERRORS[status].code, errors, message };
  return { description, content: { "application/json": { schema: EnvelopeError, example } } };
}

/** The envelope errors of an `/auth/` route (and /health), plus 500: `...envelopeErrors(400, 401)`. */
export function envelopeErrors<Status extends ErrorStatus>(...statuses: Status[]) {
  return errorResponses(
    statuses,
    () => EnvelopeError,
    (status) => {
      const { code, description } = ERRORS[status];
      const errors = status === 400 ? FIELD_ERRORS_EXAMPLE : { detail: [description] };
      return { success: false, code, errors, message: description };
    },
  );
}

// DRF answers these with field errors, or with `{detail}` when the fault is not a field's (a
// malformed body, a body over the limit): uploads too large for their field are a 413.
const FIELD_ERROR_STATUSES: readonly ErrorStatus[] = [400, 413];
const DrfError = z.union([DrfFieldErrors, DrfDetail]);

/** The errors of an `/api/users/` route, plus 500: `...drfErrors(400, 401)`. */
export function drfErrors<Status extends ErrorStatus>(...statuses: Status[]) {
  return errorResponses(
    statuses,
    (status): z.ZodType => (FIELD_ERROR_STATUSES.includes(status) ? DrfError : DrfDetail),
    (status) => (status === 400 ? FIELD_ERRORS_EXAMPLE : { detail: ERRORS[status].description }),
  );
}

const SECURITY_SCHEMES = {
  BearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "`Authorization: Bearer <access token>`, the `access` token of POST /auth/login/ or /auth/refresh/",
  },
  TokenAuth: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description:
      "`Authorization: Token <40 hex characters>`, the `token` of POST /api/users/login/ (DRF's TokenAuthentication)",
  },
} as const;

/** `security: BEARER_AUTH` on a route that needs `Authorization: Bearer <JWT>`. */
export const BEARER_AUTH = [{ BearerAuth: [] }];
/** `security: TOKEN_AUTH` on a route that needs `Authorization: Token <key>`. */
export const TOKEN_AUTH = [{ TokenAuth: [] }];
/** `security: BEARER_OR_TOKEN_AUTH` on a route that takes either (`authenticateBearerOrToken`). */
export const BEARER_OR_TOKEN_AUTH = [...BEARER_AUTH, ...TOKEN_AUTH];

/**
 * Names the error shapes and both security schemes as components of the app's document, whether or
 * not a route refers to them yet.
 */
export function registerComponents(registry: Pick<OpenAPIRegistry, "register" | "registerComponent">): void {
  for (const [name, schema] of Object.entries({ EnvelopeError, DrfFieldErrors, DrfDetail })) {
    registry.register(name, schema);
  }
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    registry.registerComponent("securitySchemes", name, scheme);
  }
}
