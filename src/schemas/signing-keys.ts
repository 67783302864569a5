// What the key routes answer: the JWKS (RFC 7517) and a signing key's state. Strict objects, so a
// private member (`d`) that ever slipped into a published key would fail the document's check.
import * as z from "zod";
import type { SigningKeyRow } from "../db/schema";
import { acceptedUntil, type KeyPolicy, keyStatus } from "../services/key-lifecycle";

/** One public key as the JWKS publishes it. */
export const PublicJwk = z
  .strictObject({
    kty: z.enum(["EC", "OKP"]),
    crv: z.enum(["P-256", "Ed25519"]),
    x: z.string(),
    y: z.string().optional().meta({ description: "EC keys only" }),
    kid: z.string().meta({ description: "RFC 7638 thumbprint; tokens name their key by it" }),
    alg: z.enum(["ES256", "EdDSA"]),
    use: z.literal("sig"),
  })
  .meta({ id: "PublicJwk" });

export const Jwks = z
  .strictObject({ keys: z.array(PublicJwk) })
  .meta({ id: "Jwks", description: "RFC 7517 JSON Web Key Set; empty under JWT_ALGORITHM HS256" });

const time = z.iso.datetime().nullable();

export const SigningKeyInfo = z
  .strictObject({
    kid: z.string(),
    alg: z.string(),
    generation: z.int(),
    status: z.enum(["next", "current", "retired", "revoked"]),
    created_at: z.iso.datetime(),
    activates_at: z.iso.datetime().meta({ description: "When it starts (or started) signing" }),
    retired_at: time.meta({ description: "When its successor takes (or took) over" }),
    revoked_at: time,
    verifies_until: time.meta({
      description: "Until when its tokens verify and the JWKS lists it; null while no end is set, or once revoked",
    }),
  })
  .meta({ id: "SigningKey", description: "A signing key's state; never its private part" });
export type SigningKeyInfo = z.infer<typeof SigningKeyInfo>;

/** A key as the API and `npm run keys:list` show it, at `now`. */
export function toSigningKeyInfo(row: SigningKeyRow, policy: KeyPolicy, now: Date): SigningKeyInfo {
  const until = acceptedUntil(row, policy);
  return {
    kid: row.kid,
    alg: row.alg,
    generation: row.generation,
    status: keyStatus(row, now),
    created_at: row.createdAt.toISOString(),
    activates_at: row.activatesAt.toISOString(),
    retired_at: row.retiredAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    verifies_until: until instanceof Date ? until.toISOString() : null,
  };
}

export const SigningKeyList = z
  .strictObject({
    algorithm: z
      .enum(["HS256", "ES256", "EdDSA"])
      .meta({ description: "JWT_ALGORITHM: what new tokens are signed with" }),
    keys: z.array(SigningKeyInfo),
  })
  .meta({ id: "SigningKeyList" });

export const Kid = z.object({ kid: z.string().regex(/^[\w-]{1,64}$/) });
