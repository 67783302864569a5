import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { authenticate } from "../middleware/authenticate";
import { validate } from "../middleware/validate";
import { LoginBody, RefreshBody, RegisterBody } from "../schemas/account-requests";
import { envelope, toAuthUser } from "../schemas/responses";
import { authenticateWithPassword, registerUser } from "../services/accounts";
import { TokenRejected } from "../services/domain-errors";
import { endSession, rotateSession, startSession } from "../services/jwt-sessions";
import { guardCredential, guardRequest } from "../services/limiter";

const INVALID_CREDENTIALS = "Invalid email or password.";
const INVALID_REFRESH = "Token is invalid or expired";

/** Runs a refresh-token step, answering every refusal with the same 401. */
async function withRefreshToken<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    throw new ApiError("UNAUTHORIZED", { message: INVALID_REFRESH, errors: { refresh: [INVALID_REFRESH] } });
  }
}

/** `/auth/`: the JWT document's register, login, refresh and logout. */
export const auth = new Hono<AppEnv>()
  .post("/register", validate("json", RegisterBody), async (c) => {
    const body = c.req.valid("json");
    await guardRequest(c.var.services.limiter, "registration");
    const user = await registerUser(c.var.services, c.var.config.ROLES, {
      ...body,
      passwordConfirm: body.password_confirm,
    });
    return c.json(envelope(toAuthUser(user, c.req.url), "User registered successfully"), 201);
  })
  .post("/login", validate("json", LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const { db, jwtSessions, limiter } = c.var.services;
    const user = await guardCredential(limiter, email, () => authenticateWithPassword(db, email, password));
    // A sign-out that committed during the password check leaves this login nothing to issue: it
    // fails as a wrong password does, and a retry sees the account as it now is.
    const tokens = user && (await startSession(jwtSessions, user));
    if (!user || !tokens) {
      throw new ApiError("UNAUTHORIZED", {
        message: INVALID_CREDENTIALS,
        errors: { non_field_errors: [INVALID_CREDENTIALS] },
      });
    }
    return c.json(envelope({ ...tokens, user: toAuthUser(user, c.req.url) }, "Login successful"));
  })
  .post("/refresh", validate("json", RefreshBody), async (c) => {
    const { refresh } = c.req.valid("json");
    const tokens = await withRefreshToken(() => rotateSession(c.var.services.jwtSessions, refresh));
    return c.json(envelope(tokens, "Token refreshed successfully"));
  })
  .post("/logout", authenticate, validate("json", RefreshBody), async (c) => {
    const { refresh } = c.req.valid("json");
    await withRefreshToken(() => endSession(c.var.services.jwtSessions, c.var.accessClaims, refresh));
    return c.json(envelope(undefined, "Logout successful"));
  });
