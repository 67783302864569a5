// Rotation and revocation through the API, for superusers, each audited in the transaction that
// makes the change (as src/services/administration.ts audits changes to users). The CLI
// (scripts/keys.ts) calls the lifecycle directly: an operator with the database and the key
// encryption key needs no account, and the keys' own times record what it did.
import { insertAuditEntry } from "../db/audit";
import type { AdminContext } from "./administration";
import { Forbidden } from "./domain-errors";
import type { KeyChanges, RecordChanges } from "./key-lifecycle";
import { canManageSigningKeys } from "./policy";
import type { SigningKeys } from "./signing-keys";

type KeyAdminContext = Pick<AdminContext, "actor" | "requestId">;

function authorize(ctx: KeyAdminContext): void {
  if (!canManageSigningKeys(ctx.actor)) throw new Forbidden();
}

// A key is not a user: the entry's target is id 0 with no email, and `changes` names each key.
const auditAs =
  (ctx: KeyAdminContext, action: string): RecordChanges =>
  (tx, changes: KeyChanges) =>
    insertAuditEntry(tx, {
      actorId: ctx.actor.id,
      actorEmail: ctx.actor.email,
      action,
      targetId: 0,
      targetEmail: "",
      changes,
      requestId: ctx.requestId,
    });

/** Every key, for a superuser. */
export async function listKeysAsSuperuser(ctx: KeyAdminContext, keys: SigningKeys) {
  authorize(ctx);
  return keys.list();
}

/** Adds a `next` key, audited as `rotate_signing_keys`; a Conflict under HS256. */
export async function rotateKeysAsSuperuser(ctx: KeyAdminContext, keys: SigningKeys, now: Date) {
  authorize(ctx);
  return keys.rotate(now, auditAs(ctx, "rotate_signing_keys"));
}

/** Revokes a key at once, audited as `revoke_signing_key`; under HS256 too (its tokens still verify). */
export async function revokeKeyAsSuperuser(ctx: KeyAdminContext, keys: SigningKeys, kid: string, now: Date) {
  authorize(ctx);
  await keys.revoke(kid, now, auditAs(ctx, "revoke_signing_key"));
}
