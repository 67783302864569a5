// A Django user's fields as they land in our columns, and the snapshot of them a later run compares
// against. Both seeds' shapes: first_name/last_name (DRF seed) or fullName/full_name (JWT seed), the
// other side derived as the APIs derive it; date_joined, or created_at, becomes created_at.
import { normalizeEmail } from "../../../src/db/users";
import { joinNames, splitFullName } from "../../../src/services/names";
import { type DjangoUser, toDate } from "./django-records";

/** The Django side of an imported user, as stored in `users.legacy_snapshot`. */
export interface ImportedFields {
  email: string;
  username: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: string | null;
  createdAt: string;
  role: string;
  bio: string;
  fullName: string;
  firstName: string;
  lastName: string;
  /** Django's path under MEDIA_ROOT, or null. */
  picture: string | null;
}

/** What the last import wrote: the Django fields, the picture key it stored, and when. */
export interface Snapshot {
  fields: ImportedFields;
  pictureKey: string | null;
  importedAt: string;
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
const flag = (value: unknown) => value === true || value === 1 || value === "1";
const iso = (value: unknown) => toDate(value)?.toISOString() ?? null;

function namesOf(fields: Record<string, unknown>): Pick<ImportedFields, "fullName" | "firstName" | "lastName"> {
  const fullName = fields.fullName ?? fields.full_name;
  if (fullName !== undefined) return { fullName: text(fullName), ...splitFullName(text(fullName)) };
  const [firstName, lastName] = [text(fields.first_name), text(fields.last_name)];
  return { firstName, lastName, fullName: joinNames(firstName, lastName) };
}

/**
 * The fields to import, with `--map-role` applied; a string saying why not when the user cannot be
 * imported as is (no email, a role outside ROLES).
 */
export function importedFieldsOf(
  user: DjangoUser,
  roles: readonly string[],
  roleMap: ReadonlyMap<string, string>,
): ImportedFields | string {
  const { fields } = user;
  const email = text(fields.email).trim();
  if (!email) return "no email";
  const djangoRole = text(fields.role) || (flag(fields.is_superuser) ? "admin" : "");
  const role = roleMap.get(djangoRole) ?? djangoRole;
  if (!roles.includes(role)) {
    return `role "${djangoRole}" is not in ROLES (${roles.join(", ")}); map it with --map-role ${djangoRole || "''"}=ROLE`;
  }
  const createdAt = iso(fields.date_joined ?? fields.created_at) ?? new Date().toISOString();
  return {
    email,
    username: text(fields.username) || normalizeEmail(email),
    password: text(fields.password),
    isActive: flag(fields.is_active),
    isStaff: flag(fields.is_staff),
    isSuperuser: flag(fields.is_superuser),
    lastLogin: iso(fields.last_login),
    createdAt,
    role,
    bio: text(fields.bio),
    ...namesOf(fields),
    picture: text(fields.profile_picture) || null,
  };
}
