import { ApiRouter, createRoute } from "../api-router";
import { ApiError } from "../errors";
import { authenticate } from "../middleware/authenticate";
import { LoginBody, RefreshBody, RegisterBody } from "../schemas/account-requests";
import {
  CREDENTIALS_EXAMPLE,
  REFRESH_EXAMPLE,
  REGISTER_EXAMPLE,
  TOKENS_EXAMPLE,
  USER_EXAMPLE,
} from "../schemas/auth-examples";
import { BEARER_AUTH, envelopeError, envelopeErrors, json, jsonBody, optionalJsonBody } from "../schemas/openapi";
import {
  AuthLogin,
  AuthTokens,
  AuthUser,
  EnvelopeMessage,
  envelope,
  envelopeMessage,
  envelopeOf,
  toAuthUser,
} from "../schemas/responses";
import { LogoutAllBody } from "../schemas/sessions";
import { EMAIL_TAKEN } from "../services/account-rows";
import { logIn, signUp } from "../services/accounts";
import { TokenRejected } from "../services/domain-errors";
import { endSession, NOT_OWN_REFRESH, rotateSession, startSession } from "../services/jwt-sessions";
import { endAllSessionsOf } from "../services/sessions";

const INVALID_CREDENTIALS = "Invalid email or password.";
const EMAIL_NOT_VERIFIED = "E-mail is not verified.";
const INVALID_REFRESH = "Token is invalid or expired";
const LOGGED_OUT_EVERYWHERE = "Logged out of every session";
// Each answer's message, written once for the handler and the document's example.
const REGISTERED = "User registered successfully";
const LOGGED_IN = "Login successful";
const REFRESHED = "Token refreshed successfully";
const LOGGED_OUT = "Logout successful";
const tags = ["Auth"];

/** Runs a refresh-token step, answering every refusal with the same 401. */
async function withRefreshToken<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    throw new ApiError("UNAUTHORIZED", { message: INVALID_REFRESH, errors: { refresh: [INVALID_REFRESH] } });
  }
}

const refreshRefused = (description: string) =>
  envelopeError(401, description, { refresh: [INVALID_REFRESH] }, INVALID_REFRESH);

const register = createRoute({
  method: "post",
  path: "/register/",
  operationId: "authRegister",
  tags,
  summary: "Register a user",
  description:
    "Any role of `ROLES` but `admin`. A staff role (`teacher`, `doctor`) is accepted and echoed, and gives its scope once an administrator confirms it. The password must pass Django's four default validators.",
  request: { body: jsonBody(RegisterBody, REGISTER_EXAMPLE) },
  responses: {
    201: json(
      envelopeOf(AuthUser),
      "The user, registered",
      envelope({ ...USER_EXAMPLE, last_login: null }, REGISTERED),
    ),
    400: envelopeError(400, "Invalid fields, a weak password, the `admin` role or an email already taken", {
      email: [EMAIL_TAKEN],
    }),
    ...envelopeErrors(413, 415, 429),
  },
});

const login = createRoute({
  method: "post",
  path: "/login/",
  operationId: "authLogin",
  tags,
  summary: "Log in: a token pair for email and password",
  request: { body: jsonBody(LoginBody, CREDENTIALS_EXAMPLE) },
  responses: {
    200: json(
      envelopeOf(AuthLogin),
      "A fresh token pair and the user",
      envelope({ ...TOKENS_EXAMPLE, user: USER_EXAMPLE }, LOGGED_IN),
    ),
    ...envelopeErrors(400, 413, 415, 429),
    401: envelopeError(
      401,
      "Wrong email or password, or an inactive account: one answer for all",
      { non_field_errors: [INVALID_CREDENTIALS] },
      INVALID_CREDENTIALS,
    ),
    403: envelopeError(
      403,
      "REQUIRE_EMAIL_VERIFICATION holds, the password is right and the address unverified (code `EMAIL_NOT_VERIFIED`)",
      { detail: [EMAIL_NOT_VERIFIED] },
      EMAIL_NOT_VERIFIED,
    ),
  },
});

const refresh = createRoute({
  method: "post",
  path: "/refresh/",
  operationId: "authRefresh",
  tags,
  summary: "Trade a refresh token for a new pair",
  description: "The refresh token sent is spent: it is blacklisted, and works no more (rotation).",
  request: { body: jsonBody(RefreshBody, REFRESH_EXAMPLE) },
  responses: {
    200: json(envelopeOf(AuthTokens), "A fresh token pair", envelope(TOKENS_EXAMPLE, REFRESHED)),
    ...envelopeErrors(400, 413, 415),
    401: refreshRefused("The refresh token is invalid, expired, spent or revoked"),
  },
});

const logout = createRoute({
  method: "post",
  path: "/logout/",
  operationId: "authLogout",
  tags,
  summary: "Log out: the access token used and the refresh token sent stop working",
  security: BEARER_AUTH,
  middleware: authenticate,
  request: { body: jsonBody(RefreshBody, REFRESH_EXAMPLE) },
  responses: {
    200: json(EnvelopeMessage, "Logged out", envelopeMessage(LOGGED_OUT)),
    400: envelopeError(400, "Invalid fields, or a refresh token of another user", { refresh: [NOT_OWN_REFRESH] }),
    401: refreshRefused(
      "No valid access token (`errors.detail`), or a refresh token invalid, expired, spent or revoked",
    ),
    ...envelopeErrors(413, 415),
  },
});

const logoutAll = createRoute({
  method: "post",
  path: "/logout-all/",
  operationId: "authLogoutAll",
  tags,
  summary: "Log out everywhere: every session of the caller ends, of every kind",
  description: "The current one too, unless `keep_current` is true. A login in progress elsewhere fails.",
  security: BEARER_AUTH,
  middleware: authenticate,
  request: { body: optionalJsonBody(LogoutAllBody) },
  responses: {
    200: json(EnvelopeMessage, "Logged out everywhere", envelopeMessage(LOGGED_OUT_EVERYWHERE)),
    ...envelopeErrors(400, 401, 409, 413, 415),
  },
});

/** `/auth/`: the JWT document's register, login, refresh and logout; and logging out everywhere. */
export const auth = new ApiRouter()
  .openapi(register, async (c) => {
    const body = c.req.valid("json");
    const user = await signUp(c.var.services, c.var.config.ROLES, { ...body, passwordConfirm: body.password_confirm });
    return c.json(envelope(toAuthUser(user, c.req.url), REGISTERED), 201);
  })
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    const user = await logIn(c.var.services, email, password);
    // A sign-out that committed during the password check leaves this login nothing to issue: it
    // fails as a wrong password does, and a retry sees the account as it now is.
    const tokens = user && (await startSession(c.var.services.jwtSessions, user));
    if (!user || !tokens) {
      throw new ApiError("UNAUTHORIZED", {
        message: INVALID_CREDENTIALS,
        errors: { non_field_errors: [INVALID_CREDENTIALS] },
      });
    }
    return c.json(envelope({ ...tokens, user: toAuthUser(user, c.req.url) }, LOGGED_IN), 200);
  })
  .openapi(refresh, async (c) => {
    const { refresh } = c.req.valid("json");
    const tokens = await withRefreshToken(() => rotateSession(c.var.services.jwtSessions, refresh));
    return c.json(envelope(tokens, REFRESHED), 200);
  })
  .openapi(logout, async (c) => {
    const { refresh } = c.req.valid("json");
    await withRefreshToken(() => endSession(c.var.services.jwtSessions, c.var.accessClaims, refresh));
    return c.json(envelopeMessage(LOGGED_OUT), 200);
  })
  .openapi(logoutAll, async (c) => {
    const keep = c.req.valid("json").keep_current ? c.var.sessionId : undefined;
    await endAllSessionsOf(c.var.services.sessions, c.var.user.id, keep);
    return c.json(envelopeMessage(LOGGED_OUT_EVERYWHERE), 200);
  });
