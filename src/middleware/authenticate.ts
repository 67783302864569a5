import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { User } from "../db/schema";
import type { AppEnv, Services } from "../env";
import { ApiError } from "../errors";
import { authenticateApiKey } from "../services/api-tokens";
import { TokenRejected } from "../services/domain-errors";
import { authenticateAccessToken } from "../services/jwt-sessions";
import type { TokenClaims } from "../services/tokens";

/** A request with a caller: what every authenticating middleware sets. */
export type WithCaller = AppEnv & { Variables: { user: User } };
/** The caller of a Bearer request, with the access token's claims and its session (none for a
 * token from before sessions were rows). */
export type WithBearerCaller = AppEnv & {
  Variables: { user: User; accessClaims: TokenClaims; sessionId: string | undefined };
};
/** The caller of a `Token` request, with the session of the key presented. */
type WithTokenCaller = AppEnv & { Variables: { user: User; sessionId: string } };

/** The caller as the administration services take them (`actor`, the request's id, the services). */
export const callerContext = (c: Context<WithCaller>) => c.var.services.adminContext(c.var.user);

/** Records a session's use after the response (`later`), so it costs the caller no latency. */
export function recordUse(services: Pick<Services, "later">, touch: (() => Promise<void>) | undefined): void {
  if (touch) services.later(touch().catch((error) => console.error("recording a session's use failed", error)));
}

function unauthorized(message: string, challenge: string): ApiError {
  return new ApiError("UNAUTHORIZED", { message, headers: { "WWW-Authenticate": challenge } });
}

// Schemes are case-insensitive (RFC 9110 section 11.1): `bearer` is as good as `Bearer`.
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

/** Requires `Authorization: Bearer <access token>`; sets `user` and `accessClaims`. */
export const authenticate = createMiddleware<WithBearerCaller>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (!header) throw unauthorized("Authentication credentials were not provided.", 'Bearer realm="api"');
  const token = BEARER.exec(header)?.[1];
  // Built only when thrown: an Error captures its stack, which a request that passes need not pay for.
  const invalid = () =>
    unauthorized("Given token not valid for any token type", 'Bearer realm="api", error="invalid_token"');
  if (!token) throw invalid();
  try {
    const { user, claims, sessionId, touch } = await authenticateAccessToken(c.var.services.jwtSessions, token);
    c.set("user", user);
    c.set("accessClaims", claims);
    c.set("sessionId", sessionId);
    recordUse(c.var.services, touch);
  } catch (error) {
    if (error instanceof TokenRejected) throw invalid();
    throw error;
  }
  await next();
});

const NOT_PROVIDED = "Authentication credentials were not provided.";
const TOKEN_CHALLENGE = "Token";

/**
 * Requires `Authorization: Token <key>` as DRF's TokenAuthentication reads it (keyword in any case,
 * same messages); sets `user` and `sessionId`.
 */
export const authenticateToken = createMiddleware<WithTokenCaller>(async (c, next) => {
  const [keyword, ...credentials] = c.req.header("Authorization")?.trim().split(/\s+/) ?? [];
  if (keyword?.toLowerCase() !== "token") throw unauthorized(NOT_PROVIDED, TOKEN_CHALLENGE);
  if (credentials.length === 0) throw unauthorized("Invalid token header. No credentials provided.", TOKEN_CHALLENGE);
  if (credentials.length > 1) {
    throw unauthorized("Invalid token header. Token string should not contain spaces.", TOKEN_CHALLENGE);
  }
  try {
    const { user, session, touch } = await authenticateApiKey(c.var.services.sessions, credentials[0] as string);
    c.set("user", user);
    c.set("sessionId", session.id);
    recordUse(c.var.services, touch);
  } catch (error) {
    if (error instanceof TokenRejected) throw unauthorized("Invalid token.", TOKEN_CHALLENGE);
    throw error;
  }
  await next();
});

/** Either scheme: `Token <key>` as on `/api/users/`, else a Bearer JWT as on `/auth/`. */
export const authenticateBearerOrToken = createMiddleware<WithCaller>((c, next) => {
  const scheme = c.req.header("Authorization")?.trim().split(/\s+/)[0]?.toLowerCase();
  // Each sets `user` and one variable of its own, which the routes behind this one do not read.
  return scheme === "token"
    ? authenticateToken(c as unknown as Context<WithTokenCaller>, next)
    : authenticate(c as unknown as Context<WithBearerCaller>, next);
});
