// DRF's authtoken keys become `/api/users/` token sessions of their users, stored only as the key's
// SHA-256, as keys issued here are: a client holding one keeps working with no new login. DRF's
// keys never expire, and neither do these unless --token-ttl is given.
import type { Database } from "../../../src/db/client";
import { findExistingSecretDigests, insertImportedSessions } from "../../../src/db/imported-sessions";
import { findUsersByLegacyIds } from "../../../src/db/imported-users";
import type { NewSession } from "../../../src/db/schema";
import { sha256Hex } from "../../../src/services/hex";
import type { DjangoToken } from "./django-records";
import type { ImportReport } from "./import-report";

const BATCH = 500;

/**
 * Imports the tokens of the users in `importedIds` (Django ids this run imported, updated or found
 * unchanged); the others' are skipped. With `dryRun`, counts what it would write.
 */
export async function importTokens(
  db: Database,
  tokens: DjangoToken[],
  importedIds: ReadonlySet<number>,
  options: { dryRun: boolean; tokenTtlSeconds?: number },
  importedAt: Date,
  report: ImportReport,
): Promise<void> {
  const candidates = tokens.filter((token) => importedIds.has(token.userLegacyId));
  const owners = new Map(
    (await findUsersByLegacyIds(db, [...new Set(candidates.map((token) => token.userLegacyId))])).map((user) => [
      user.legacyId,
      user.id,
    ]),
  );
  // A dry run wrote no users, so it counts the tokens of those it would have imported.
  const owned = options.dryRun ? candidates : candidates.filter((token) => owners.has(token.userLegacyId));
  report.tokens.skipped += tokens.length - owned.length;
  const expiresAt = options.tokenTtlSeconds ? new Date(importedAt.getTime() + options.tokenTtlSeconds * 1000) : null;
  for (let start = 0; start < owned.length; start += BATCH) {
    const batch = await Promise.all(
      owned.slice(start, start + BATCH).map(async (token) => ({ token, digest: await sha256Hex(token.key) })),
    );
    const existing = await findExistingSecretDigests(
      db,
      batch.map(({ digest }) => digest),
    );
    const fresh = batch.filter(({ digest }) => !existing.has(digest));
    report.tokens.unchanged += batch.length - fresh.length;
    report.tokens.imported += fresh.length;
    if (options.dryRun) continue;
    const rows: NewSession[] = fresh.map(({ token, digest }) => ({
      id: crypto.randomUUID(),
      kind: "token",
      userId: owners.get(token.userLegacyId) as number,
      createdAt: token.created,
      expiresAt,
      userAgent: "",
      secretDigest: digest,
    }));
    await db.transaction((tx) => insertImportedSessions(tx, rows));
  }
}
