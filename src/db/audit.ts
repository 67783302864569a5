import { desc, eq, lt } from "drizzle-orm";
import type { Executor } from "./client";
import { auditLog } from "./schema";

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  actorId: number;
  actorEmail: string;
  action: string;
  targetId: number;
  targetEmail: string;
  changes: AuditChanges;
  requestId: string;
}

/** An entry as stored, with its id and time. */
export type StoredAuditEntry = AuditEntry & { id: number; createdAt: Date };

export async function insertAuditEntry(db: Executor, entry: AuditEntry, now = new Date()): Promise<void> {
  await db.insert(auditLog).values({ ...entry, changes: JSON.stringify(entry.changes), createdAt: now });
}

/** Newest first, optionally about one user; with the total for pagination. */
export async function listAuditEntries(
  db: Executor,
  query: { targetId?: number; limit: number; offset: number },
): Promise<{ entries: StoredAuditEntry[]; total: number }> {
  const where = query.targetId !== undefined ? eq(auditLog.targetId, query.targetId) : undefined;
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(query.limit)
      .offset(query.offset),
    db.$count(auditLog, where),
  ]);
  return { entries: rows.map((row) => ({ ...row, changes: JSON.parse(row.changes) as AuditChanges })), total };
}

/** Deletes up to `limit` audit entries older than `before`; how many. */
export async function deleteAuditEntriesBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await db.delete(auditLog).where(lt(auditLog.createdAt, before)).limit(limit);
  return result.rowsAffected;
}
