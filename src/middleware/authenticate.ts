import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type AppEnv, tokenSettings } from "../env";
import { ApiError } from "../errors";
import { authenticateAccessToken, type SessionDeps } from "../services/sessions";
import { TokenRejected } from "../services/tokens";

/** What a session needs from the request: its database, KV and token settings. */
export function sessionDeps(c: Context<AppEnv>): SessionDeps {
  return { db: c.var.db, kv: c.env.AUTH_KV, settings: tokenSettings(c.var.config) };
}

function unauthorized(message: string, challenge: string): ApiError {
  return new ApiError("UNAUTHORIZED", { message, headers: { "WWW-Authenticate": challenge } });
}

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

/** Requires `Authorization: Bearer <access token>`; sets `user` and `accessClaims`. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (!header) throw unauthorized("Authentication credentials were not provided.", 'Bearer realm="api"');
  const token = BEARER.exec(header)?.[1];
  const invalid = unauthorized("Given token not valid for any token type", 'Bearer realm="api", error="invalid_token"');
  if (!token) throw invalid;
  try {
    const { user, claims } = await authenticateAccessToken(sessionDeps(c), token);
    c.set("user", user);
    c.set("accessClaims", claims);
  } catch (error) {
    if (error instanceof TokenRejected) throw invalid;
    throw error;
  }
  await next();
});
