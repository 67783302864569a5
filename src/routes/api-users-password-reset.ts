import { ApiRouter, createRoute } from "../api-router";
import { ApiPasswordResetConfirmBody, EmailBody } from "../schemas/account-requests";
import { DrfDetail, drfErrors, json, jsonBody } from "../schemas/openapi";
import { requestPasswordReset, resetPassword } from "../services/password-reset";
import { TAGS } from "./api-users";

// dj-rest-auth's words, which DRF clients already show.
const SENT = "Password reset e-mail has been sent.";
const RESET = "Password has been reset with the new password.";

const requestReset = createRoute({
  method: "post",
  path: "/",
  operationId: "apiPasswordReset",
  tags: TAGS,
  summary: "Mail a password reset link (dj-rest-auth's PasswordResetView)",
  description:
    "Always the same answer, at once, whether or not the account exists or is active: the lookup and the mail " +
    "happen after the response. 429 past `MAIL_REQUEST_MAX_PER_ADDRESS` requests from the caller's address.",
  request: { body: jsonBody(EmailBody, { email: "user@example.com" }) },
  responses: { 200: json(DrfDetail, "Requested", { detail: SENT }), ...drfErrors(400, 413, 415, 429) },
});

const confirmReset = createRoute({
  method: "post",
  path: "/confirm/",
  operationId: "apiPasswordResetConfirm",
  tags: TAGS,
  summary: "Set a new password with a reset link's uid and token (dj-rest-auth's PasswordResetConfirmView)",
  description:
    "`uid` is the user id as Django's `urlsafe_base64_encode` writes it (PASSWORD_RESET_URL's `{uid}`). The token " +
    "works once; every session and token of the user ends, and they get a notice by mail.",
  request: { body: jsonBody(ApiPasswordResetConfirmBody) },
  responses: {
    200: json(DrfDetail, "The password is reset", { detail: RESET }),
    ...drfErrors(400, 409, 413, 415, 429),
  },
});

/** `/api/users/password-reset/`: dj-rest-auth's reset request and confirmation. */
export const apiUsersPasswordReset = new ApiRouter()
  .openapi(requestReset, async (c) => {
    await requestPasswordReset(c.var.services, c.req.valid("json").email);
    return c.json({ detail: SENT }, 200);
  })
  .openapi(confirmReset, async (c) => {
    await resetPassword(c.var.services, c.req.valid("json"));
    return c.json({ detail: RESET }, 200);
  });
