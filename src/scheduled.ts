import { databaseFor } from "./db/client";
import { readConfig } from "./env";
import { purge } from "./services/purge";

// Cron Triggers get 30 s of CPU; the purge stops starting batches well before, and the next hourly
// run picks up where it left off.
const PURGE_BUDGET_MS = 20_000;

/** The Worker's `scheduled` handler: the hourly purge of ended sessions (and old audit entries). */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const read = readConfig(env);
  if ("problems" in read) {
    console.error(JSON.stringify({ level: "error", msg: "invalid configuration", problems: read.problems }));
    return;
  }
  const { config } = read;
  const report = await purge(databaseFor(config.DATABASE_URL), {
    sessionRetentionDays: config.SESSION_RETENTION_DAYS,
    auditRetentionDays: config.AUDIT_RETENTION_DAYS === "" ? undefined : config.AUDIT_RETENTION_DAYS,
    deadline: Date.now() + PURGE_BUDGET_MS,
    now: () => new Date(),
  });
  console.log(JSON.stringify({ level: "info", msg: "purge", cron: controller.cron, ...report }));
}
