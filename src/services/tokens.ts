import { errors, jwtVerify, SignJWT } from "jose";
import * as z from "zod";
import { TokenRejected } from "./domain-errors";

export type TokenType = "access" | "refresh";

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** What a verified token says, checked against this schema after the signature. */
export const TokenClaims = z.object({
  token_type: z.enum(["access", "refresh"]),
  jti: z.uuid(),
  sub: z.string().regex(/^\d+$/),
  /** The session (a `sessions` row) the token belongs to. */
  sid: z.uuid().optional(),
  /** Tokens issued before sessions were rows carry the user's token version instead of `sid`;
   * access tokens of that shape are honoured until they expire (ACCESS_TOKEN_TTL after the upgrade). */
  ver: z.number().int().nonnegative().optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

const ALGORITHM = "HS256";
const encoder = new TextEncoder();

// Given the secret's bytes, jose imports them as a CryptoKey on every sign and verify: the key is
// imported once per isolate instead, per secret (a changed secret gets its own). The key itself,
// not the import's promise, is kept, so no request awaits a promise that another one made.
const hmacKeys = new Map<string, CryptoKey>();

async function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    const algorithm = { name: "HMAC", hash: "SHA-256" };
    key = await crypto.subtle.importKey("raw", encoder.encode(secret), algorithm, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

export interface TokenSubject {
  userId: number;
  sessionId: string;
}

/** What fixes a token other than its subject: given, they make the same token again. */
export interface TokenIdentity {
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A fresh identity for a token of `type` issued at `now`, with the lifetime its type has. */
export function newTokenIdentity(settings: TokenSettings, type: TokenType, now: Date): TokenIdentity {
  const ttl = type === "access" ? settings.accessTtlSeconds : settings.refreshTtlSeconds;
  return { jti: crypto.randomUUID(), issuedAt: now, expiresAt: new Date((unixSeconds(now) + ttl) * 1000) };
}

/** Signs an access or refresh token of a session. */
export async function issueToken(
  settings: TokenSettings,
  type: TokenType,
  subject: TokenSubject,
  { jti, issuedAt, expiresAt }: TokenIdentity,
): Promise<IssuedToken> {
  const iat = unixSeconds(issuedAt);
  const exp = unixSeconds(expiresAt);
  const token = await new SignJWT({ token_type: type, sid: subject.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setJti(jti)
    .setSubject(String(subject.userId))
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await hmacKey(settings.secret));
  return { token, jti, expiresAt: new Date(exp * 1000) };
}

/**
 * Verifies signature (HS256 only), issuer, audience, expiry and the token type, then the claims'
 * shape. Throws TokenRejected; never returns an unverified payload.
 */
export async function verifyToken(
  settings: TokenSettings,
  token: string,
  expectedType: TokenType,
  now = new Date(),
): Promise<TokenClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await hmacKey(settings.secret), {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ["jti", "sub", "iat", "exp"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRejected("expired");
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) throw new TokenRejected("malformed");
    throw new TokenRejected("invalid");
  }
  const claims = TokenClaims.safeParse(payload);
  if (!claims.success) throw new TokenRejected("malformed");
  if (claims.data.token_type !== expectedType) throw new TokenRejected("wrong_type");
  return claims.data;
}
