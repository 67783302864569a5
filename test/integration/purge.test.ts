import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, type NewSession, sessions } from "../../src/db/schema";
import worker from "../../src/index";
import { createUser } from "../helpers/admin-site";
import { testDb } from "../helpers/api";

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

const runPurge = (vars: Partial<Env> = {}) =>
  worker.scheduled(createScheduledController({ cron: "17 * * * *" }), { ...env, ...vars });

function row(userId: number, values: Partial<NewSession>): NewSession {
  const id = crypto.randomUUID();
  return {
    id,
    kind: "token",
    userId,
    createdAt: daysAgo(40),
    userAgent: "",
    secretDigest: id.padEnd(64, "0"),
    ...values,
  };
}

describe("the scheduled purge", () => {
  it("deletes sessions ended over SESSION_RETENTION_DAYS ago, in batches, and keeps the rest", async () => {
    const { id: userId } = await createUser();
    // More than two batches of 1,000 ended long ago, and one of each kind that must stay.
    const old = Array.from({ length: 2_300 }, (_, i) =>
      row(userId, i % 2 ? { expiresAt: daysAgo(31) } : { expiresAt: daysAgo(-5), revokedAt: daysAgo(31) }),
    );
    const kept = [
      row(userId, { expiresAt: daysAgo(29) }),
      row(userId, { expiresAt: daysAgo(-5), revokedAt: daysAgo(29) }),
      row(userId, { expiresAt: null }),
      row(userId, { expiresAt: daysAgo(-5) }),
    ];
    const db = testDb();
    for (let i = 0; i < old.length; i += 500) await db.insert(sessions).values(old.slice(i, i + 500));
    await db.insert(sessions).values(kept);
    await runPurge();
    const left = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
    expect(left.map(({ id }) => id).sort()).toEqual(kept.map(({ id }) => id).sort());
  });

  it("keeps the audit log unless AUDIT_RETENTION_DAYS is set", async () => {
    const { id: targetId, email } = await createUser();
    const entry = { actorId: targetId, actorEmail: email, targetId, targetEmail: email, changes: "{}", requestId: "t" };
    const db = testDb();
    await db.insert(auditLog).values([
      { ...entry, action: "old", createdAt: daysAgo(400) },
      { ...entry, action: "recent", createdAt: daysAgo(10) },
    ]);
    const actions = async () =>
      (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, targetId)))
        .map(({ action }) => action)
        .sort();
    await runPurge();
    expect(await actions()).toEqual(["old", "recent"]);
    await runPurge({ AUDIT_RETENTION_DAYS: "365" } as Partial<Env>);
    expect(await actions()).toEqual(["recent"]);
  });
});
