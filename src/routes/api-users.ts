import type { RouteHandler } from "@hono/zod-openapi";
import { ApiRouter, createRoute } from "../api-router";
import { validationError } from "../errors";
import { authenticateToken } from "../middleware/authenticate";
import { ApiProfilePatch, ApiRegisterBody, ChangePasswordBody, LoginBody } from "../schemas/account-requests";
import { DrfDetail, drfErrors, json, jsonBody, optionalJsonBody, TOKEN_AUTH } from "../schemas/openapi";
import { ApiLogin, ApiMe, ApiUser, toApiMe, toApiUser } from "../schemas/responses";
import { LogoutAllBody } from "../schemas/sessions";
import { changePassword, logIn, signUp, updateProfile } from "../services/accounts";
import { issueApiToken } from "../services/api-tokens";
import { endAllSessionsOf, endSessionOf } from "../services/sessions";

// DRF authtoken's wording; unknown email, wrong password and inactive account read alike.
const INVALID_CREDENTIALS = "Unable to log in with provided credentials.";
const LOGGED_OUT = "Successfully logged out.";
const LOGGED_OUT_EVERYWHERE = "Successfully logged out of every session.";
const PASSWORD_CHANGED = "Password changed. Every token has been revoked: log in again.";

// The `/api/users/` document's own examples.
const LOGIN_EXAMPLE = { email: "user@example.com", password: "secure_password" };
const REGISTER_EXAMPLE = {
  ...LOGIN_EXAMPLE,
  password_confirm: "secure_password",
  first_name: "John",
  last_name: "Doe",
  role: "patient",
  bio: "Patient bio here",
};
const LOGIN_RESPONSE_EXAMPLE = {
  user: {
    id: 1,
    email: "user@example.com",
    first_name: "John",
    last_name: "Doe",
    role: "patient",
    profile_picture: null,
    bio: "Patient bio here",
  },
  token: "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
};

/** The tag of every `/api/users/` operation. */
export const TAGS = ["Users (DRF)"];

const register = createRoute({
  method: "post",
  path: "/register/",
  operationId: "apiRegister",
  tags: TAGS,
  summary: "Create an account",
  description: "No authentication. The password must pass Django's validators; `admin` cannot be chosen as a role.",
  request: { body: jsonBody(ApiRegisterBody, REGISTER_EXAMPLE) },
  responses: { 201: json(ApiUser, "The new user"), ...drfErrors(400, 413, 415, 429) },
});

const login = createRoute({
  method: "post",
  path: "/login/",
  operationId: "apiLogin",
  tags: TAGS,
  summary: "Log in: a new token",
  description: `A wrong password, an unknown email and an inactive account all answer 400 "${INVALID_CREDENTIALS}"`,
  request: { body: jsonBody(LoginBody, LOGIN_EXAMPLE) },
  responses: {
    200: json(ApiLogin, "The user, and a token for `Authorization: Token <key>`", LOGIN_RESPONSE_EXAMPLE),
    ...drfErrors(400, 413, 415, 429),
    403: json(DrfDetail, "REQUIRE_EMAIL_VERIFICATION holds, the password is right and the address unverified", {
      detail: "E-mail is not verified.",
    }),
  },
});

const logout = createRoute({
  method: "post",
  path: "/logout/",
  operationId: "apiLogout",
  tags: TAGS,
  summary: "Log out: revoke the token sent",
  description: "Revokes only the token this request carries; the user's other tokens keep working.",
  security: TOKEN_AUTH,
  middleware: [authenticateToken] as const,
  responses: { 200: json(DrfDetail, "The token is revoked", { detail: LOGGED_OUT }), ...drfErrors(401) },
});

const getMe = createRoute({
  method: "get",
  path: "/me/",
  operationId: "apiGetMe",
  tags: TAGS,
  summary: "The caller's own account",
  security: TOKEN_AUTH,
  middleware: [authenticateToken] as const,
  responses: { 200: json(ApiMe, "The user"), ...drfErrors(401) },
});

// PUT and PATCH have always taken the same partial body: each field is optional under either.
const updateMe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/me/",
    operationId: method === "put" ? "apiPutMe" : "apiPatchMe",
    tags: TAGS,
    summary: "Change the caller's names or bio",
    description:
      "PUT and PATCH alike: fields left out are unchanged. Read-only fields sent along (email, role, ...) are ignored.",
    security: TOKEN_AUTH,
    middleware: [authenticateToken] as const,
    request: { body: jsonBody(ApiProfilePatch) },
    responses: { 200: json(ApiMe, "The user as changed"), ...drfErrors(400, 401, 413, 415) },
  });

const changePasswordRoute = createRoute({
  method: "post",
  path: "/change-password/",
  operationId: "apiChangePassword",
  tags: TAGS,
  summary: "Change the caller's password",
  description: "Checks the old password. Every token of the user, on both APIs, is revoked: log in again.",
  security: TOKEN_AUTH,
  middleware: [authenticateToken] as const,
  request: { body: jsonBody(ChangePasswordBody) },
  responses: {
    200: json(DrfDetail, "The password is changed", { detail: PASSWORD_CHANGED }),
    ...drfErrors(400, 401, 409, 413, 415, 429),
  },
});

const logoutAll = createRoute({
  method: "post",
  path: "/logout-all/",
  operationId: "apiLogoutAll",
  tags: TAGS,
  summary: "Log out everywhere: every session of the caller ends, of every kind",
  description: "The token sent too, unless `keep_current` is true.",
  security: TOKEN_AUTH,
  middleware: [authenticateToken] as const,
  request: { body: optionalJsonBody(LogoutAllBody) },
  responses: {
    200: json(DrfDetail, "Logged out everywhere", { detail: LOGGED_OUT_EVERYWHERE }),
    ...drfErrors(400, 401, 409, 413, 415),
  },
});

// A new handler for each of the two: ApiRouter knows a route's description by its handler.
const saveProfile = (): RouteHandler<ReturnType<typeof updateMe>> => async (c) => {
  const body = c.req.valid("json");
  const user = await updateProfile(c.var.services, c.var.user, {
    firstName: body.first_name,
    lastName: body.last_name,
    bio: body.bio,
  });
  return c.json(toApiMe(user, c.req.url), 200);
};

/** The `/api/users/` document's API: DRF's shapes, `Authorization: Token <key>`. */
export const apiUsers = new ApiRouter()
  .openapi(register, async (c) => {
    const body = c.req.valid("json");
    const user = await signUp(c.var.services, c.var.config.ROLES, {
      email: body.email,
      password: body.password,
      passwordConfirm: body.password_confirm,
      role: body.role,
      firstName: body.first_name,
      lastName: body.last_name,
      bio: body.bio,
    });
    return c.json(toApiUser(user, c.req.url), 201);
  })
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    const user = await logIn(c.var.services, email, password);
    // A sign-out that committed during the password check leaves this login nothing to issue: it
    // fails as a wrong password does, and a retry sees the account as it now is.
    const token = user && (await issueApiToken(c.var.services.apiTokens, user));
    if (!user || !token) throw validationError({ non_field_errors: [INVALID_CREDENTIALS] });
    return c.json({ user: toApiUser(user, c.req.url), token }, 200);
  })
  .openapi(logout, async (c) => {
    await endSessionOf(c.var.services.sessions, c.var.user.id, c.var.sessionId, "logout");
    return c.json({ detail: LOGGED_OUT }, 200);
  })
  .openapi(logoutAll, async (c) => {
    const keep = c.req.valid("json").keep_current ? c.var.sessionId : undefined;
    await endAllSessionsOf(c.var.services.sessions, c.var.user.id, keep);
    return c.json({ detail: LOGGED_OUT_EVERYWHERE }, 200);
  })
  .openapi(getMe, (c) => c.json(toApiMe(c.var.user, c.req.url), 200))
  .openapi(updateMe("put"), saveProfile())
  .openapi(updateMe("patch"), saveProfile())
  .openapi(changePasswordRoute, async (c) => {
    await changePassword(c.var.services, c.var.user, c.req.valid("json"));
    return c.json({ detail: PASSWORD_CHANGED }, 200);
  });
