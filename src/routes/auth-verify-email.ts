import { ApiRouter, createRoute } from "../api-router";
import { authenticate } from "../middleware/authenticate";
import { LINK_TOKEN_EXAMPLE, VerifyEmailBody } from "../schemas/account-requests";
import { BEARER_AUTH, envelopeError, envelopeErrors, json, jsonBody } from "../schemas/openapi";
import { EnvelopeMessage, envelopeMessage } from "../schemas/responses";
import { INVALID_TOKEN } from "../services/account-links";
import { requestVerification, unverifiedAddress, verifyEmail } from "../services/email-verification";

const ANSWERS = {
  verified: "Email address verified.",
  sent: "A new verification link has been sent.",
  already: "Your email address is already verified.",
};
const tags = ["Auth"];

const verify = createRoute({
  method: "post",
  path: "/",
  operationId: "authVerifyEmail",
  tags,
  summary: "Verify an email address with the token of a verification link",
  description:
    "The address the link was sent to becomes verified; if it is the user's pending address " +
    "(REQUIRE_EMAIL_VERIFICATION), it becomes their login. The token works once, for `EMAIL_VERIFICATION_TTL` " +
    "seconds. 429 after `TOKEN_CONFIRM_MAX_FAILURES` bad tokens from the caller's address.",
  request: { body: jsonBody(VerifyEmailBody, { token: LINK_TOKEN_EXAMPLE }) },
  responses: {
    200: json(EnvelopeMessage, "Verified", envelopeMessage(ANSWERS.verified)),
    400: envelopeError(400, "A bad, expired or used token, or a pending address taken meanwhile", {
      token: [INVALID_TOKEN],
    }),
    ...envelopeErrors(409, 413, 415, 429),
  },
});

const resend = createRoute({
  method: "post",
  path: "/resend/",
  operationId: "authVerifyEmailResend",
  tags,
  summary: "Mail the caller a new verification link",
  description: "To the pending address if there is one, else to the login address if it is unverified.",
  security: BEARER_AUTH,
  middleware: authenticate,
  responses: {
    200: json(EnvelopeMessage, "Sent, or nothing to verify", envelopeMessage(ANSWERS.sent)),
    ...envelopeErrors(401, 429),
  },
});

/** `/auth/verify-email/`: using a verification link, and asking for a new one. */
export const authVerifyEmail = new ApiRouter()
  .openapi(verify, async (c) => {
    await verifyEmail(c.var.services, c.req.valid("json").token, "token");
    return c.json(envelopeMessage(ANSWERS.verified), 200);
  })
  .openapi(resend, async (c) => {
    if (!unverifiedAddress(c.var.user)) return c.json(envelopeMessage(ANSWERS.already), 200);
    await requestVerification(c.var.services, c.var.user.email, c.var.user);
    return c.json(envelopeMessage(ANSWERS.sent), 200);
  });
