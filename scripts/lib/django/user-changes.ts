// What a re-run changes on a user it imported before: a three-way comparison of Django's fields
// now, as the last run wrote them (the snapshot), and the row as it is here. A field changed in
// Django is updated only if it was not changed here too; one changed on both sides is kept as it is
// here and reported. A password changed here (passwordChangedAt after the import) is never
// overwritten; the rehash at first login does not count as a change, as it keeps the password.
import type { NewUser, User } from "../../../src/db/schema";
import { normalizeEmail } from "../../../src/db/users";
import type { ImportedFields, Snapshot } from "./user-fields";

type PlainField = Exclude<keyof ImportedFields, "password" | "picture">;
const PLAIN_FIELDS: PlainField[] = [
  "email",
  "username",
  "isActive",
  "isStaff",
  "isSuperuser",
  "lastLogin",
  "createdAt",
  "role",
  "bio",
  "fullName",
  "firstName",
  "lastName",
];

export interface UserChanges {
  /** Django's new values for the fields to update. */
  changed: Partial<ImportedFields>;
  /** Fields changed both in Django and here: left as they are here. */
  keptHere: (keyof ImportedFields)[];
}

function ours(row: User, field: PlainField): ImportedFields[PlainField] {
  const value = row[field];
  return value instanceof Date ? value.toISOString() : value;
}

/** What to update on `row`, imported before with `snapshot`, to bring Django's `next` across. */
export function userChanges(row: User, snapshot: Snapshot | null, next: ImportedFields): UserChanges {
  const changes: UserChanges = { changed: {}, keptHere: [] };
  const record = <K extends keyof ImportedFields>(field: K, changedHere: boolean) => {
    if (changedHere) changes.keptHere.push(field);
    else changes.changed[field] = next[field];
  };
  for (const field of PLAIN_FIELDS) {
    // Without a snapshot every difference counts as Django's.
    const before = snapshot ? snapshot.fields[field] : ours(row, field);
    if (next[field] !== before) record(field, snapshot !== null && ours(row, field) !== before);
  }
  const before = snapshot?.fields;
  if (next.password !== before?.password) {
    const changedHere = snapshot !== null && row.passwordChangedAt.getTime() > Date.parse(snapshot.importedAt);
    record("password", changedHere);
  }
  if (next.picture !== (before?.picture ?? null)) {
    record("picture", snapshot !== null && row.profilePicture !== snapshot.pictureKey);
  }
  return changes;
}

/** Our columns for Django fields; the picture is stored apart (it becomes an R2 key). */
export function toColumns(fields: Partial<ImportedFields>, importedAt: Date): Partial<NewUser> {
  const { picture: _picture, lastLogin, createdAt, password, role, email, ...same } = fields;
  return {
    ...same,
    ...(email !== undefined ? { email, emailNormalized: normalizeEmail(email) } : {}),
    ...(lastLogin !== undefined ? { lastLogin: lastLogin === null ? null : new Date(lastLogin) } : {}),
    ...(createdAt !== undefined ? { createdAt: new Date(createdAt) } : {}),
    // Marked as changed at the import, so a later change here is told apart from it.
    ...(password !== undefined ? { password, passwordChangedAt: importedAt } : {}),
    // Django's role is what its operators gave; the operator running the import vouches for it, as
    // createsuperuser does (a time, no administrator).
    ...(role !== undefined ? { role, roleConfirmedAt: importedAt, roleConfirmedBy: null } : {}),
  };
}
