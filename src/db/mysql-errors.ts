import { DatabaseError } from "@planetscale/database";

// PlanetScale (and our local server) end messages with "(errno N) (sqlstate S)"; MySQL 8 names the
// key "table.key", MariaDB just "key".
const DUPLICATE_KEY = /Duplicate entry .* for key '(?:\w+\.)?(\w+)'.*\(errno 1062\)/s;

function findDatabaseError(error: unknown): DatabaseError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof DatabaseError) return current;
  }
  return undefined;
}

/** The name of the UNIQUE index a failed write collided with, or undefined for any other error. */
export function duplicateKeyName(error: unknown): string | undefined {
  const message = findDatabaseError(error)?.body?.message ?? "";
  return DUPLICATE_KEY.exec(message)?.[1];
}

// 1213: deadlock, the transaction was rolled back; 1205: lock wait timeout.
const LOCK_CONFLICT = /\(errno (1213|1205)\)/;

/** True when a transaction lost a lock race and was rolled back: the caller may simply retry. */
export function isLockConflict(error: unknown): boolean {
  return LOCK_CONFLICT.test(findDatabaseError(error)?.body?.message ?? "");
}
