import type { Context } from "hono";
import { ApiRouter, createRoute } from "../api-router";
import { authenticateBearerOrToken, callerContext, type WithCaller } from "../middleware/authenticate";
import { BEARER_OR_TOKEN_AUTH, envelopeErrors, json } from "../schemas/openapi";
import { envelope, envelopeOf } from "../schemas/responses";
import { Kid, SigningKeyInfo, SigningKeyList, toSigningKeyInfo } from "../schemas/signing-keys";
import { listKeysAsSuperuser, revokeKeyAsSuperuser, rotateKeysAsSuperuser } from "../services/key-administration";

const CALLER = {
  tags: ["Keys"],
  security: BEARER_OR_TOKEN_AUTH,
  middleware: authenticateBearerOrToken,
};
const SUPERUSERS = "Superusers only (403 for everyone else).";

const SigningKeyListEnvelope = envelopeOf(SigningKeyList);

const listKeys = createRoute({
  ...CALLER,
  method: "get",
  path: "/",
  operationId: "listSigningKeys",
  summary: "The signing keys and their states",
  description: `${SUPERUSERS} Every key ever made, oldest first, as \`npm run keys:list\` shows them.`,
  responses: { 200: json(SigningKeyListEnvelope, "The keys"), ...envelopeErrors(401, 403) },
});

const rotate = createRoute({
  ...CALLER,
  method: "post",
  path: "/rotate/",
  operationId: "rotateSigningKeys",
  summary: "Add a next signing key",
  description:
    `${SUPERUSERS} The new key is published at once and starts signing after \`JWT_KEY_PUBLISH_SECONDS\`; ` +
    "the current key then retires, and still verifies until the longest token it signed has expired. " +
    "409 while another key is waiting to sign, or under `JWT_ALGORITHM` HS256. Audited as `rotate_signing_keys`.",
  responses: {
    201: json(envelopeOf(SigningKeyInfo), "The new key"),
    ...envelopeErrors(401, 403, 409),
  },
});

const revoke = createRoute({
  ...CALLER,
  method: "post",
  path: "/{kid}/revoke/",
  operationId: "revokeSigningKey",
  summary: "Revoke a compromised signing key",
  description:
    `${SUPERUSERS} Tokens the key signed are refused from now on (by other isolates within a minute). ` +
    "If it was signing, the waiting key takes over now, or a new one. 404: no such key; 409: already revoked. " +
    "Audited as `revoke_signing_key`.",
  request: { params: Kid },
  responses: {
    200: json(SigningKeyListEnvelope, "The keys after the revocation"),
    ...envelopeErrors(400, 401, 403, 404, 409),
  },
});

async function keyList(c: Context<WithCaller>) {
  const { signingKeys, now } = c.var.services;
  const rows = await listKeysAsSuperuser(callerContext(c), signingKeys);
  const at = now();
  return { algorithm: signingKeys.algorithm, keys: rows.map((row) => toSigningKeyInfo(row, signingKeys.policy, at)) };
}

/** `/auth/keys/`: the token signing keys, for superusers. */
export const authKeys = new ApiRouter()
  .openapi(listKeys, async (c) => c.json(envelope(await keyList(c)), 200))
  .openapi(rotate, async (c) => {
    const { signingKeys, now } = c.var.services;
    const at = now();
    const created = await rotateKeysAsSuperuser(callerContext(c), signingKeys, at);
    return c.json(envelope(toSigningKeyInfo(created, signingKeys.policy, at), "Signing key added"), 201);
  })
  .openapi(revoke, async (c) => {
    const { signingKeys, now } = c.var.services;
    await revokeKeyAsSuperuser(callerContext(c), signingKeys, c.req.valid("param").kid, now());
    return c.json(envelope(await keyList(c), "Signing key revoked"), 200);
  })
  // As on /auth/users/: another method or an unknown path needs credentials before its 405 or 404.
  .use(authenticateBearerOrToken);
