// What the importer reads from Django, whatever the source (a MySQL database or a dumpdata file):
// one shape per user and per DRF token, with Django's own field names and values.

/** A row of Django's user model: its primary key and its fields, as Django names them. */
export interface DjangoUser {
  legacyId: number;
  fields: Record<string, unknown>;
}

/** A row of DRF's `authtoken_token`: the 40-hex key, whose user, when it was made. */
export interface DjangoToken {
  key: string;
  userLegacyId: number;
  created: Date;
}

export interface DjangoExport {
  /** Where it came from, safe to print: `mysql://…/db (table accounts_user)` or a file name. */
  description: string;
  users: DjangoUser[];
  tokens: DjangoToken[];
}

/** The fields that make a model Django's user model: AbstractBaseUser's, plus an email. */
export const USER_MODEL_FIELDS = ["password", "email", "last_login"] as const;

/** A Django datetime (a Date from MySQL, ISO text from dumpdata) as a Date, or null. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${String(value)}`);
  return date;
}
