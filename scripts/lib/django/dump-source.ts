// `manage.py dumpdata` output: [{model: "app.model", pk, fields: {...}}, ...]. The user model is the
// one whose records carry Django's user fields; DRF's tokens are `authtoken.token` (pk = key).
import { type DjangoExport, type DjangoToken, type DjangoUser, toDate, USER_MODEL_FIELDS } from "./django-records";

interface DumpRecord {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

function isRecord(value: unknown): value is DumpRecord {
  const record = value as DumpRecord;
  return typeof record?.model === "string" && typeof record.fields === "object" && record.fields !== null;
}

function userModelOf(records: DumpRecord[], chosen: string | undefined): string {
  if (chosen) return chosen;
  const models = new Set(
    records.filter((record) => USER_MODEL_FIELDS.every((field) => field in record.fields)).map((r) => r.model),
  );
  if (models.size !== 1) {
    throw new Error(
      models.size === 0
        ? "The dump holds no user model (no records with password, email and last_login)."
        : `The dump holds several user-like models (${[...models].join(", ")}): pick one with --users-table app.model.`,
    );
  }
  return [...models][0] as string;
}

/** Reads a dumpdata JSON text; `usersModel` ("app.model") overrides finding the user model. */
export function readDump(text: string, description: string, usersModel?: string): DjangoExport {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) throw new Error(`${description} is not dumpdata output`);
  const model = userModelOf(parsed, usersModel);
  const users: DjangoUser[] = parsed
    .filter((record) => record.model === model)
    .map((record) => ({ legacyId: Number(record.pk), fields: record.fields }));
  const tokens: DjangoToken[] = parsed
    .filter((record) => record.model === "authtoken.token")
    .map((record) => ({
      key: String(record.pk),
      userLegacyId: Number(record.fields.user),
      created: toDate(record.fields.created) ?? new Date(0),
    }));
  return { description: `${description} (model ${model})`, users, tokens };
}
