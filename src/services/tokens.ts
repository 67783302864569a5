import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import * as z from "zod";
import { TokenRejected } from "./domain-errors";
import type { KeySource } from "./signing-keys";

export type TokenType = "access" | "refresh";

export interface TokenSettings {
  /** The isolate's signing keys (src/services/signing-keys.ts): HS256's secret or asymmetric keys. */
  keys: KeySource;
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
/** A verified token's claims, and the `kid` of the key that signed it (from its header). */
export type VerifiedClaims = TokenClaims & { kid?: string };

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

export interface TokenSubject {
  userId: number;
  sessionId: string;
}

/** What fixes a token other than its subject: given, they make the same token again (under HS256). */
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

/**
 * Signs an access or refresh token of a session, with the key that signs at `issuedAt`: a
 * successor signed again from its row keeps the key of its first signing, as long as that key is
 * still accepted.
 */
export async function issueToken(
  settings: TokenSettings,
  type: TokenType,
  subject: TokenSubject,
  { jti, issuedAt, expiresAt }: TokenIdentity,
): Promise<IssuedToken> {
  const iat = unixSeconds(issuedAt);
  const exp = unixSeconds(expiresAt);
  const { kid, alg, key } = await settings.keys.signingKey(issuedAt);
  const token = await new SignJWT({ token_type: type, sid: subject.sessionId })
    .setProtectedHeader({ alg, kid, typ: "JWT" })
    .setJti(jti)
    .setSubject(String(subject.userId))
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, jti, expiresAt: new Date(exp * 1000) };
}

/** The header's `kid`, read before verification only to pick the key: anything odd is malformed. */
function keyIdOf(token: string): string | undefined {
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(token));
  } catch {
    throw new TokenRejected("malformed");
  }
  if (kid !== undefined && typeof kid !== "string") throw new TokenRejected("malformed");
  return kid;
}

/**
 * Verifies signature, issuer, audience, expiry and the token type, then the claims' shape. The key
 * is the one the header's `kid` names, and the algorithm that key's own: a token never chooses it
 * (no `alg: none`, no HS256 keyed with a public key). Throws TokenRejected; never returns an
 * unverified payload.
 */
export async function verifyToken(
  settings: TokenSettings,
  token: string,
  expectedType: TokenType,
  now = new Date(),
): Promise<VerifiedClaims> {
  const kid = keyIdOf(token);
  const key = await settings.keys.verificationKey(kid, now);
  if (!key) throw new TokenRejected("invalid");
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
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
  return { ...claims.data, kid };
}
