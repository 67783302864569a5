// The hourly purge (wrangler.toml's cron): sessions that ended more than SESSION_RETENTION_DAYS ago,
// and audit entries older than AUDIT_RETENTION_DAYS when that is set, go in batches small enough
// that no statement runs long on PlanetScale.

import { deleteAuditEntriesBefore } from "../db/audit";
import type { Database } from "../db/client";
import { deleteSessionsEndedBefore } from "../db/sessions";

const PURGE_BATCH_ROWS = 1000;
const DAY_MS = 86_400_000;

export interface PurgeSettings {
  sessionRetentionDays: number;
  /** Undefined: the audit log is kept. */
  auditRetentionDays?: number;
  /**
   * When to stop starting batches. A Worker's clock moves only across I/O, which every batch is, so
   * this bounds the run's length; its CPU is a few statements' worth a batch, far under the limit.
   */
  deadline: number;
  now: () => Date;
}

export interface PurgeReport {
  expiredSessions: number;
  revokedSessions: number;
  auditEntries: number;
  /** False if the deadline stopped it with rows left; the next run goes on. */
  finished: boolean;
}

/** Runs `batch` until it deletes less than a full batch, or the deadline comes; the rows deleted. */
async function drain(settings: PurgeSettings, batch: () => Promise<number>) {
  let deleted = 0;
  while (settings.now().getTime() < settings.deadline) {
    const rows = await batch();
    deleted += rows;
    if (rows < PURGE_BATCH_ROWS) return { deleted, finished: true };
  }
  return { deleted, finished: false };
}

export async function purge(db: Database, settings: PurgeSettings): Promise<PurgeReport> {
  const now = settings.now().getTime();
  const sessionsBefore = new Date(now - settings.sessionRetentionDays * DAY_MS);
  const expired = await drain(settings, () =>
    deleteSessionsEndedBefore(db, "expiresAt", sessionsBefore, PURGE_BATCH_ROWS),
  );
  const revoked = await drain(settings, () =>
    deleteSessionsEndedBefore(db, "revokedAt", sessionsBefore, PURGE_BATCH_ROWS),
  );
  const days = settings.auditRetentionDays;
  const audit =
    days === undefined
      ? { deleted: 0, finished: true }
      : await drain(settings, () => deleteAuditEntriesBefore(db, new Date(now - days * DAY_MS), PURGE_BATCH_ROWS));
  return {
    expiredSessions: expired.deleted,
    revokedSessions: revoked.deleted,
    auditEntries: audit.deleted,
    finished: expired.finished && revoked.finished && audit.finished,
  };
}
