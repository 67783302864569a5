import { ApiRouter, createRoute } from "../api-router";
import { EmailBody, LINK_TOKEN_EXAMPLE, PasswordResetConfirmBody } from "../schemas/account-requests";
import { envelopeError, envelopeErrors, json, jsonBody } from "../schemas/openapi";
import { EnvelopeMessage, envelopeMessage } from "../schemas/responses";
import { INVALID_TOKEN } from "../services/account-links";
import { requestPasswordReset, resetPassword } from "../services/password-reset";

const REQUESTED = "If an account exists for this email, a link to reset its password has been sent.";
const RESET = "Password has been reset.";
const tags = ["Auth"];

const requestReset = createRoute({
  method: "post",
  path: "/",
  operationId: "authPasswordReset",
  tags,
  summary: "Mail a password reset link",
  description:
    "Always the same answer, at once: the account is looked up and the link sent after the response, so the " +
    "answer tells nothing about the address. An unknown or inactive account gets no mail; neither does an " +
    "account past `MAIL_REQUEST_MAX_PER_ACCOUNT` requests in the window. 429 past `MAIL_REQUEST_MAX_PER_ADDRESS` " +
    "requests from the caller's address.",
  request: { body: jsonBody(EmailBody, { email: "user@example.com" }) },
  responses: {
    200: json(EnvelopeMessage, "Requested", envelopeMessage(REQUESTED)),
    ...envelopeErrors(400, 413, 415, 429),
  },
});

const confirmReset = createRoute({
  method: "post",
  path: "/confirm/",
  operationId: "authPasswordResetConfirm",
  tags,
  summary: "Set a new password with the token of a reset link",
  description:
    "The token works once and for `PASSWORD_RESET_TTL` seconds; using it spends the user's other reset links, " +
    "signs them out everywhere and mails them a notice. Django's validators and the breached-password check " +
    "apply. 429 after `TOKEN_CONFIRM_MAX_FAILURES` bad tokens from the caller's address.",
  request: {
    body: jsonBody(PasswordResetConfirmBody, {
      token: LINK_TOKEN_EXAMPLE,
      new_password: "new-Secure-password-7",
      new_password_confirm: "new-Secure-password-7",
    }),
  },
  responses: {
    200: json(EnvelopeMessage, "The password is reset", envelopeMessage(RESET)),
    400: envelopeError(400, "A bad, expired or used token, or a weak or differing new password", {
      token: [INVALID_TOKEN],
    }),
    ...envelopeErrors(409, 413, 415, 429),
  },
});

/** `/auth/password-reset/`: a reset link by mail, and setting the password with it. */
export const authPasswordReset = new ApiRouter()
  .openapi(requestReset, async (c) => {
    await requestPasswordReset(c.var.services, c.req.valid("json").email);
    return c.json(envelopeMessage(REQUESTED), 200);
  })
  .openapi(confirmReset, async (c) => {
    await resetPassword(c.var.services, c.req.valid("json"));
    return c.json(envelopeMessage(RESET), 200);
  });
