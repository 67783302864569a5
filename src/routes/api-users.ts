import { Hono } from "hono";
import { revokeApiToken } from "../db/api-tokens";
import type { AppEnv } from "../env";
import { validationError } from "../errors";
import { authenticateToken } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { ApiProfilePatch, ApiRegisterBody, ChangePasswordBody, LoginBody } from "../schemas/account-requests";
import { toApiUser } from "../schemas/responses";
import { authenticateWithPassword, changePassword, registerUser, updateProfile } from "../services/accounts";
import { issueApiToken } from "../services/api-tokens";
import { guardCredential, guardRequest } from "../services/limiter";

// DRF authtoken's wording; unknown email, wrong password and inactive account read alike.
const INVALID_CREDENTIALS = "Unable to log in with provided credentials.";

/** The `/api/users/` document's API: DRF's shapes, `Authorization: Token <key>`. */
export const apiUsers = new Hono<AppEnv>()
  .post("/register", validate("json", ApiRegisterBody), async (c) => {
    const body = c.req.valid("json");
    await guardRequest(c.var.services.limiter, "registration");
    const user = await registerUser(c.var.services, c.var.config.ROLES, {
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
  .post("/login", validate("json", LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const { db, apiTokens, limiter } = c.var.services;
    const user = await guardCredential(limiter, email, () => authenticateWithPassword(db, email, password));
    // A sign-out that committed during the password check leaves this login nothing to issue: it
    // fails as a wrong password does, and a retry sees the account as it now is.
    const token = user && (await issueApiToken(apiTokens, user));
    if (!user || !token) throw validationError({ non_field_errors: [INVALID_CREDENTIALS] });
    return c.json({ user: toApiUser(user, c.req.url), token });
  })
  .post("/logout", authenticateToken, async (c) => {
    await revokeApiToken(c.var.services.db, c.var.apiTokenDigest);
    return c.json({ detail: "Successfully logged out." });
  })
  .get("/me", authenticateToken, (c) => c.json(toApiUser(c.var.user, c.req.url)))
  .on(["PUT", "PATCH"], "/me", authenticateToken, validate("json", ApiProfilePatch), async (c) => {
    const body = c.req.valid("json");
    const user = await updateProfile(c.var.services.db, c.var.user, {
      firstName: body.first_name,
      lastName: body.last_name,
      bio: body.bio,
    });
    return c.json(toApiUser(user, c.req.url));
  })
  .post("/change-password", authenticateToken, validate("json", ChangePasswordBody), async (c) => {
    await changePassword(c.var.services, c.var.user, c.req.valid("json"));
    return c.json({ detail: "Password changed. Every token has been revoked: log in again." });
  });
