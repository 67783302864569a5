import { cors } from "hono/cors";
import { ApiRouter, createRoute } from "../api-router";
import { envelopeErrors, json } from "../schemas/openapi";
import { Jwks } from "../schemas/signing-keys";

// Verifiers cache the set this long; JWT_KEY_PUBLISH_SECONDS is at least as long, so a key is in
// every verifier's copy before the first token it signs.
const JWKS_MAX_AGE_SECONDS = 300;

const jwks = createRoute({
  method: "get",
  path: "/jwks.json",
  operationId: "getJwks",
  // Public keys, fetched by browsers of any origin too (a SPA that checks a token's claims).
  middleware: cors({ origin: "*", allowMethods: ["GET"] }),
  tags: ["Keys"],
  summary: "The public keys that verify our tokens (JWKS)",
  description:
    "RFC 7517. Under `JWT_ALGORITHM` ES256 or EdDSA: the `next` key (published before it signs), the " +
    "`current` one and `retired` ones while a token they signed can still be valid; pick a key by the " +
    "token's `kid` and verify with that key's `alg`. Under HS256, `{\"keys\": []}`. Cached for 5 minutes; " +
    "CORS open to every origin. A resource server that meets an unknown `kid` fetches the set again.",
  responses: {
    200: json(Jwks, "The key set", {
      keys: [
        {
          kty: "EC",
          crv: "P-256",
          x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
          kid: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
          alg: "ES256",
          use: "sig",
        },
      ],
    }),
    ...envelopeErrors(),
  },
});

/** `/.well-known/`: the JWKS, public and cacheable, for other services that verify our tokens. */
export const wellKnown = new ApiRouter().openapi(jwks, async (c) => {
  const keys = await c.var.services.signingKeys.jwks(c.var.services.now());
  c.header("Cache-Control", `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
  return c.json(keys, 200);
});
