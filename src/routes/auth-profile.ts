import type { Context } from "hono";
import { ApiRouter, createRoute } from "../api-router";
import { authenticate, type WithBearerCaller } from "../middleware/authenticate";
import { ChangePasswordBody, ProfilePatch, ProfilePut } from "../schemas/account-requests";
import {
  CHANGE_PASSWORD_EXAMPLE,
  PROFILE_EXAMPLE,
  PROFILE_UPDATE_EXAMPLE,
  USER_EXAMPLE,
} from "../schemas/auth-examples";
import { BEARER_AUTH, envelopeError, envelopeErrors, json, jsonBody } from "../schemas/openapi";
import {
  AuthProfile,
  AuthUser,
  EnvelopeMessage,
  envelope,
  envelopeMessage,
  envelopeOf,
  toAuthProfile,
  toAuthUser,
} from "../schemas/responses";
import { EMAIL_TAKEN } from "../services/account-rows";
import { changePassword, OLD_PASSWORD_WRONG, type ProfileChanges, updateProfile } from "../services/accounts";

const PROFILE_UPDATED = "Profile updated successfully";
const PASSWORD_CHANGED = "Password changed successfully";
const tags = ["Profile"];

// What PUT and PATCH share: the caller, the answer and its errors.
const profileUpdate = {
  path: "/profile/",
  tags,
  security: BEARER_AUTH,
  middleware: authenticate,
  responses: {
    200: json(
      envelopeOf(AuthUser),
      "The user, updated",
      envelope({ ...USER_EXAMPLE, ...PROFILE_UPDATE_EXAMPLE }, PROFILE_UPDATED),
    ),
    400: envelopeError(400, "Invalid fields, or an email another user has", { email: [EMAIL_TAKEN] }),
    ...envelopeErrors(401, 413, 415),
  },
} as const;

const IGNORED = "Other fields (role, flags, password, id) are ignored, so the whole profile may be sent back.";

const getProfile = createRoute({
  method: "get",
  path: "/profile/",
  operationId: "authGetProfile",
  tags,
  summary: "The caller's own account",
  security: BEARER_AUTH,
  middleware: authenticate,
  responses: {
    200: json(envelopeOf(AuthProfile), "The caller's account", envelope(PROFILE_EXAMPLE)),
    ...envelopeErrors(401),
  },
});

const putProfile = createRoute({
  ...profileUpdate,
  method: "put",
  operationId: "authPutProfile",
  summary: "Replace the caller's name and email",
  description: `\`fullName\` and \`email\` are required, \`bio\` may come too. ${IGNORED}`,
  request: { body: jsonBody(ProfilePut, PROFILE_UPDATE_EXAMPLE) },
});

const patchProfile = createRoute({
  ...profileUpdate,
  method: "patch",
  operationId: "authPatchProfile",
  summary: "Change some of the caller's name, email and bio",
  description: `Any of \`fullName\`, \`email\` and \`bio\`. ${IGNORED}`,
  request: { body: jsonBody(ProfilePatch, PROFILE_UPDATE_EXAMPLE) },
});

const changePasswordRoute = createRoute({
  method: "post",
  path: "/change-password/",
  operationId: "authChangePassword",
  tags,
  summary: "Change the caller's password",
  description:
    "The new password must pass Django's four default validators. Every token issued before stops working: log in again.",
  security: BEARER_AUTH,
  middleware: authenticate,
  request: { body: jsonBody(ChangePasswordBody, CHANGE_PASSWORD_EXAMPLE) },
  responses: {
    200: json(EnvelopeMessage, "Changed", envelopeMessage(PASSWORD_CHANGED)),
    400: envelopeError(400, "Invalid fields, a wrong old password, a weak new one or a differing confirmation", {
      old_password: [OLD_PASSWORD_WRONG],
    }),
    ...envelopeErrors(401, 413, 415, 429),
  },
});

// PUT and PATCH differ only in which fields their bodies require.
async function saveProfile(c: Context<WithBearerCaller>, changes: ProfileChanges) {
  const user = await updateProfile(c.var.services, c.var.user, changes);
  return c.json(envelope(toAuthUser(user, c.req.url), PROFILE_UPDATED), 200);
}

/** `/auth/profile/` and `/auth/change-password/`: the caller's own account. */
export const authProfile = new ApiRouter()
  .openapi(getProfile, (c) => c.json(envelope(toAuthProfile(c.var.user, c.req.url)), 200))
  .openapi(putProfile, (c) => saveProfile(c, c.req.valid("json")))
  .openapi(patchProfile, (c) => saveProfile(c, c.req.valid("json")))
  .openapi(changePasswordRoute, async (c) => {
    await changePassword(c.var.services, c.var.user, c.req.valid("json"));
    return c.json(envelopeMessage(PASSWORD_CHANGED), 200);
  });
