import { ApiRouter, createRoute } from "../api-router";
import { ApiVerifyEmailBody, EmailBody } from "../schemas/account-requests";
import { DrfDetail, drfErrors, json, jsonBody } from "../schemas/openapi";
import { requestVerification, verifyEmail } from "../services/email-verification";
import { TAGS } from "./api-users";

// dj-rest-auth's answer to both.
const OK = "ok";

const verify = createRoute({
  method: "post",
  path: "/",
  operationId: "apiVerifyEmail",
  tags: TAGS,
  summary: "Verify an email address with a verification link's key (dj-rest-auth's VerifyEmailView)",
  description: "A bad, expired or used key is a 400 on `key`.",
  request: { body: jsonBody(ApiVerifyEmailBody) },
  responses: { 200: json(DrfDetail, "Verified", { detail: OK }), ...drfErrors(400, 409, 413, 415, 429) },
});

const resend = createRoute({
  method: "post",
  path: "/resend/",
  operationId: "apiVerifyEmailResend",
  tags: TAGS,
  summary: "Mail a new verification link (dj-rest-auth's ResendEmailVerificationView)",
  description: "Always `ok`: an active account with an unverified or pending address gets a link, after the response.",
  request: { body: jsonBody(EmailBody, { email: "user@example.com" }) },
  responses: { 200: json(DrfDetail, "Requested", { detail: OK }), ...drfErrors(400, 413, 415, 429) },
});

/** `/api/users/verify-email/`: dj-rest-auth's verification and resend. */
export const apiUsersVerifyEmail = new ApiRouter()
  .openapi(verify, async (c) => {
    await verifyEmail(c.var.services, c.req.valid("json").key, "key");
    return c.json({ detail: OK }, 200);
  })
  .openapi(resend, async (c) => {
    await requestVerification(c.var.services, c.req.valid("json").email);
    return c.json({ detail: OK }, 200);
  });
