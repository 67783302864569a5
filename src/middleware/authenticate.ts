import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type AppEnv, tokenSettings } from "../env";
import { ApiError } from "../errors";
import { authenticateApiKey } from "../services/api-tokens";
import { authenticateAccessToken, type SessionDeps } from "../services/sessions";
import { TokenRejected } from "../services/tokens";

/** What a session needs from the request: its database, KV and token settings. */
export function sessionDeps(c: Context<AppEnv>): SessionDeps {
  return { db: c.var.db, kv: c.env.AUTH_KV, settings: tokenSettings(c.var.config) };
}

function unauthorized(message: string, challenge: string): ApiError {
  return new ApiError("UNAUTHORIZED", { message, headers: { "WWW-Authenticate": challenge } });
}

// Schemes are case-insensitive (RFC 9110 section 11.1): `bearer` is as good as `Bearer`.
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

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

const NOT_PROVIDED = "Authentication credentials were not provided.";
const TOKEN_CHALLENGE = "Token";

/**
 * Requires `Authorization: Token <key>` as DRF's TokenAuthentication reads it (keyword in any case,
 * same messages); sets `user` and `apiTokenDigest`. The key's last use is recorded after the
 * response, so it costs the caller no latency.
 */
export const authenticateToken = createMiddleware<AppEnv>(async (c, next) => {
  const [keyword, ...credentials] = c.req.header("Authorization")?.trim().split(/\s+/) ?? [];
  if (keyword?.toLowerCase() !== "token") throw unauthorized(NOT_PROVIDED, TOKEN_CHALLENGE);
  if (credentials.length === 0) throw unauthorized("Invalid token header. No credentials provided.", TOKEN_CHALLENGE);
  if (credentials.length > 1) {
    throw unauthorized("Invalid token header. Token string should not contain spaces.", TOKEN_CHALLENGE);
  }
  try {
    const { user, digest, touch } = await authenticateApiKey(c.var.db, credentials[0] as string);
    c.set("user", user);
    c.set("apiTokenDigest", digest);
    if (touch) c.executionCtx.waitUntil(touch().catch((error) => console.error("recording token use failed", error)));
  } catch (error) {
    if (error instanceof TokenRejected) throw unauthorized("Invalid token.", TOKEN_CHALLENGE);
    throw error;
  }
  await next();
});

/** Either scheme: `Token <key>` as on `/api/users/`, else a Bearer JWT as on `/auth/`. */
export const authenticateBearerOrToken = createMiddleware<AppEnv>((c, next) => {
  const scheme = c.req.header("Authorization")?.trim().split(/\s+/)[0]?.toLowerCase();
  return scheme === "token" ? authenticateToken(c, next) : authenticate(c, next);
});
