// The import itself, with no Node-only import: the CLI runs it against the target database, and the
// Worker tests run it inside workerd against theirs. Users go in batches, each batch one transaction.
import type { Database, Executor } from "../../../src/db/client";
import {
  findUsernameHolders,
  findUsersByLegacyIds,
  findUsersByNormalizedEmails,
  insertImportedUsers,
} from "../../../src/db/imported-users";
import { duplicateKeyName } from "../../../src/db/mysql-errors";
import type { NewUser, User } from "../../../src/db/schema";
import { normalizeEmail, updateUser } from "../../../src/db/users";
import { type HashLimits, readDjangoHash } from "../../../src/services/django-hashes";
import type { DjangoExport, DjangoUser } from "./django-records";
import { emptyReport, type ImportReport } from "./import-report";
import { importPicture, type MediaDeps } from "./picture-import";
import { importTokens } from "./token-import";
import { toColumns, userChanges } from "./user-changes";
import { type ImportedFields, importedFieldsOf, type Snapshot } from "./user-fields";

export interface ImportOptions {
  roles: readonly string[];
  /** --map-role old=new. */
  roleMap: ReadonlyMap<string, string>;
  hashLimits: HashLimits;
  dryRun: boolean;
  /** --token-ttl: imported DRF tokens expire this long after the import; unset, never (as DRF's). */
  tokenTtlSeconds?: number;
  batchSize?: number;
  now?: () => Date;
  /** Called after each batch. */
  onProgress?: (done: number, total: number) => void;
}

type Candidate = { user: DjangoUser; fields: ImportedFields };
type Write = {
  who: { legacyId: number; email: string };
  insert?: NewUser;
  update?: { id: number; values: Partial<NewUser> };
};

const DEFAULT_BATCH = 200;

function parseSnapshot(row: User): Snapshot | null {
  return row.legacySnapshot ? (JSON.parse(row.legacySnapshot) as Snapshot) : null;
}

// Two Django users whose emails differ only in case (Django's default user model allows it) would
// be one account here: neither is imported, and both are reported.
function splitAmbiguous(candidates: Candidate[], report: ImportReport): Candidate[] {
  const byEmail = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const email = normalizeEmail(candidate.fields.email);
    byEmail.set(email, [...(byEmail.get(email) ?? []), candidate]);
  }
  return candidates.filter(({ user, fields }) => {
    const twins = byEmail.get(normalizeEmail(fields.email)) ?? [];
    if (twins.length === 1) return true;
    const others = twins
      .filter((twin) => twin.user !== user)
      .map((twin) => `#${twin.user.legacyId} ${twin.fields.email}`);
    report.conflicts.push({
      legacyId: user.legacyId,
      email: fields.email,
      reason: `same email in another case as Django user ${others.join(", ")}`,
    });
    return false;
  });
}

// A Django username taken here by someone else gets the Django id appended: usernames are only
// labels here (logins are by email), but the column is unique.
async function freeUsernames(db: Executor, candidates: Candidate[]): Promise<void> {
  const holders = await findUsernameHolders(
    db,
    candidates.map(({ fields }) => fields.username),
  );
  const heldBy = new Map(holders.map((holder) => [holder.username, holder.legacyId]));
  for (const { user, fields } of candidates) {
    const holder = heldBy.get(fields.username);
    if (holder !== undefined && holder !== user.legacyId) fields.username = `${fields.username}.django${user.legacyId}`;
  }
}

interface BatchContext {
  options: ImportOptions;
  media: MediaDeps | undefined;
  report: ImportReport;
  importedAt: Date;
  /** The Django ids this run imported, updated or found unchanged: their tokens come along. */
  importedIds: Set<number>;
}

async function planBatch(db: Database, batch: Candidate[], context: BatchContext): Promise<Write[]> {
  const { options, media, report, importedAt, importedIds } = context;
  const byLegacyId = new Map(
    (
      await findUsersByLegacyIds(
        db,
        batch.map(({ user }) => user.legacyId),
      )
    ).map((row) => [row.legacyId, row]),
  );
  const unmatched = batch.filter(({ user }) => !byLegacyId.has(user.legacyId));
  const byEmail = new Map(
    (
      await findUsersByNormalizedEmails(
        db,
        unmatched.map(({ fields }) => normalizeEmail(fields.email)),
      )
    ).map((row) => [row.emailNormalized, row]),
  );
  await freeUsernames(db, batch);
  const writes: Write[] = [];
  for (const { user, fields } of batch) {
    const row = byLegacyId.get(user.legacyId);
    const taken = row ? undefined : byEmail.get(normalizeEmail(fields.email));
    if (taken) {
      const holder = taken.legacyId === null ? "an account registered here" : `Django user #${taken.legacyId}`;
      report.conflicts.push({
        legacyId: user.legacyId,
        email: fields.email,
        reason: `email already used by ${holder} (id ${taken.id})`,
      });
      continue;
    }
    importedIds.add(user.legacyId);
    const who = { legacyId: user.legacyId, email: fields.email };
    const snapshot = row ? parseSnapshot(row) : null;
    // Without --media-root pictures are left as they are, to be brought by a run that has one.
    if (!media) fields.picture = snapshot ? snapshot.fields.picture : null;
    const { changed, keptHere } = row ? userChanges(row, snapshot, fields) : { changed: fields, keptHere: [] };
    if (keptHere.length > 0) report.keptHere.push({ email: fields.email, fields: keptHere });
    const reading = readDjangoHash(
      row && keptHere.includes("password") ? row.password : fields.password,
      options.hashLimits,
    );
    if ("mustReset" in reading) report.mustReset.push({ email: fields.email, reason: reading.mustReset });
    if (
      row &&
      Object.keys(changed).length === 0 &&
      snapshot &&
      JSON.stringify(snapshot.fields) === JSON.stringify(fields)
    ) {
      report.unchanged++;
      continue;
    }
    const pictureKey =
      "picture" in changed
        ? await importPicture(media, fields.picture, options.dryRun, report)
        : (snapshot?.pictureKey ?? row?.profilePicture ?? null);
    // A picture not stored (missing, not an image) is not recorded as imported: a later run tries again.
    if (pictureKey === null) fields.picture = null;
    const legacySnapshot = JSON.stringify({
      fields,
      pictureKey,
      importedAt: importedAt.toISOString(),
    } satisfies Snapshot);
    const values = {
      ...toColumns(changed, importedAt),
      legacySnapshot,
      ...("picture" in changed ? { profilePicture: pictureKey } : {}),
    };
    if (row) {
      report.updated++;
      writes.push({ who, update: { id: row.id, values } });
    } else {
      report.imported++;
      writes.push({ who, insert: { ...(values as NewUser), legacyId: user.legacyId, updatedAt: importedAt } });
    }
  }
  return writes;
}

async function writeBatch(db: Database, writes: Write[]): Promise<void> {
  await db.transaction(async (tx) => {
    await insertImportedUsers(
      tx,
      writes.flatMap((write) => (write.insert ? [write.insert] : [])),
    );
    for (const { update } of writes) if (update) await updateUser(tx, update.id, update.values);
  });
}

// A batch that collides with a row written since it was planned (an email registered meanwhile, an
// email Django moved onto another user's) is written again one user at a time, so that only the
// users that collide are left out, as conflicts.
async function writeBatchOrEach(db: Database, writes: Write[], report: ImportReport): Promise<void> {
  try {
    await writeBatch(db, writes);
  } catch (error) {
    if (duplicateKeyName(error) === undefined) throw error;
    for (const write of writes) {
      try {
        await writeBatch(db, [write]);
      } catch (single) {
        const key = duplicateKeyName(single);
        if (key === undefined) throw single;
        if (write.insert) report.imported--;
        else report.updated--;
        report.conflicts.push({ ...write.who, reason: `collides with another user here (${key})` });
      }
    }
  }
}

/** Brings `source` into `db` (or, with `dryRun`, says what it would do). */
export async function runImport(
  db: Database,
  source: DjangoExport,
  options: ImportOptions,
  media?: MediaDeps,
): Promise<ImportReport> {
  const report = emptyReport(options.dryRun);
  const importedAt = (options.now ?? (() => new Date()))();
  const candidates: Candidate[] = [];
  for (const user of source.users) {
    const fields = importedFieldsOf(user, options.roles, options.roleMap);
    if (typeof fields === "string")
      report.skipped.push({ legacyId: user.legacyId, email: String(user.fields.email ?? ""), reason: fields });
    else candidates.push({ user, fields });
  }
  const importable = splitAmbiguous(candidates, report);
  const context: BatchContext = { options, media, report, importedAt, importedIds: new Set() };
  const size = options.batchSize ?? DEFAULT_BATCH;
  for (let start = 0; start < importable.length; start += size) {
    const batch = importable.slice(start, start + size);
    const writes = await planBatch(db, batch, context);
    if (!options.dryRun && writes.length > 0) await writeBatchOrEach(db, writes, report);
    options.onProgress?.(Math.min(start + size, importable.length), importable.length);
  }
  await importTokens(db, source.tokens, context.importedIds, options, importedAt, report);
  return report;
}
