// The exact counter behind every attempt limit (src/services/limiter.ts holds the policy): one
// Durable Object per limiter key, e.g. one account, one client address, or one account from one
// address. A Durable Object runs one event at a time, and every method below reads, decides and
// writes with synchronous SQL before its first await, so concurrent attempts on one key are
// counted one after another: none can slip between another's check and its count.
//
// The window is a sliding log: each attempt is a row with the time it leaves the window. Unlike a
// fixed window it has no edge where twice the limit fits in one window's length, and unlike a
// token bucket, which drips a fresh try out every window/limit, "5 failures within 15 minutes"
// means exactly that, and the wait it answers is exact: until the oldest counted attempt leaves.
// A window's log holds at most `limit` rows, as attempts over the limit are refused, not counted; a
// back-off's gains a row past its limit only once each doubled wait has passed (or from a known
// address, whose own pair limit bounds it), so it stays small too.
//
// Times come from the caller (milliseconds since the epoch), so that the Worker's clock, which
// tests fix, is the only one; only the cleanup alarm reads this object's own.
import { DurableObject } from "cloudflare:workers";

/** At most `limit` attempts within `windowMs`: the next waits until the oldest leaves the window. */
export interface WindowRule {
  limit: number;
  windowMs: number;
}

/**
 * After `limit` attempts within `windowMs`, each further one waits `baseWaitMs` after the latest,
 * doubled for every attempt over the limit, never longer than `maxWaitMs`; except from an address
 * that succeeded here within `knownForMs`, which never waits.
 */
export interface BackoffRule extends WindowRule {
  baseWaitMs: number;
  maxWaitMs: number;
  knownForMs: number;
}

/** An admitted attempt holds a ticket (to release it if it should not count); a refused one waits. */
export type Verdict = { admitted: true; ticket: number } | { admitted: false; retryAfterMs: number };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS known_addresses (address TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
`;

export class Limiter extends DurableObject<Env> {
  // False once the cleanup alarm has deleted everything, tables included.
  private hasTables = false;

  private get sql(): SqlStorage {
    if (!this.hasTables) {
      this.ctx.storage.sql.exec(SCHEMA);
      this.hasTables = true;
    }
    return this.ctx.storage.sql;
  }

  /** Counts an attempt under a window rule, or says how long it must wait. */
  async admit(rule: WindowRule, now: number): Promise<Verdict> {
    const count = this.countAttempts(now);
    if (count >= rule.limit) {
      // The attempt that has to leave for one more to fit (the oldest, unless the limit was lowered).
      const { expires_at } = this.sql
        .exec<{ expires_at: number }>(
          "SELECT expires_at FROM attempts ORDER BY expires_at, id LIMIT 1 OFFSET ?",
          count - rule.limit,
        )
        .one();
      return { admitted: false, retryAfterMs: expires_at - now };
    }
    return this.record(now, rule.windowMs);
  }

  /** Counts an attempt from `address` under a back-off rule, or says how long it must wait. */
  async admitWithBackoff(rule: BackoffRule, now: number, address: string): Promise<Verdict> {
    const count = this.countAttempts(now);
    if (count >= rule.limit && !this.isKnown(address, now)) {
      const { latest } = this.sql.exec<{ latest: number }>("SELECT MAX(at) AS latest FROM attempts").one();
      const wait = Math.min(rule.baseWaitMs * 2 ** (count - rule.limit), rule.maxWaitMs);
      if (now < latest + wait) return { admitted: false, retryAfterMs: latest + wait - now };
    }
    return this.record(now, rule.windowMs);
  }

  /** Takes back an admitted attempt that turned out not to count. */
  async release(ticket: number): Promise<void> {
    this.sql.exec("DELETE FROM attempts WHERE id = ?", ticket);
  }

  /** Forgets every attempt: a success clears the count. */
  async forget(): Promise<void> {
    this.sql.exec("DELETE FROM attempts");
  }

  /**
   * A success from `address`: forgets every attempt and remembers the address for `knownForMs`,
   * during which its attempts never wait for the back-off.
   */
  async succeeded(address: string, now: number, knownForMs: number): Promise<void> {
    this.sql.exec("DELETE FROM attempts");
    this.sql.exec(
      "INSERT INTO known_addresses (address, expires_at) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET expires_at = excluded.expires_at",
      address,
      now + knownForMs,
    );
    await this.scheduleCleanup();
  }

  /**
   * Deletes what has expired, and the whole object's storage once nothing is left: attackers who
   * try a new email every time would otherwise leave an object behind for each.
   */
  override async alarm(): Promise<void> {
    this.prune(Date.now());
    const { rows } = this.sql
      .exec<{ rows: number }>("SELECT (SELECT COUNT(*) FROM attempts) + (SELECT COUNT(*) FROM known_addresses) AS rows")
      .one();
    if (rows > 0) return this.scheduleCleanup();
    await this.ctx.storage.deleteAll();
    this.hasTables = false;
  }

  private prune(now: number): void {
    this.sql.exec("DELETE FROM attempts WHERE expires_at <= ?", now);
    this.sql.exec("DELETE FROM known_addresses WHERE expires_at <= ?", now);
  }

  private countAttempts(now: number): number {
    this.prune(now);
    return this.sql.exec<{ count: number }>("SELECT COUNT(*) AS count FROM attempts").one().count;
  }

  private isKnown(address: string, now: number): boolean {
    return (
      this.sql.exec("SELECT 1 FROM known_addresses WHERE address = ? AND expires_at > ?", address, now).toArray()
        .length > 0
    );
  }

  private async record(now: number, windowMs: number): Promise<Verdict> {
    const { id } = this.sql
      .exec<{ id: number }>("INSERT INTO attempts (at, expires_at) VALUES (?, ?) RETURNING id", now, now + windowMs)
      .one();
    await this.scheduleCleanup();
    return { admitted: true, ticket: id };
  }

  // The alarm goes off when the last row expires; every write moves it there.
  private async scheduleCleanup(): Promise<void> {
    const { last } = this.sql
      .exec<{ last: number | null }>(
        "SELECT MAX(expires_at) AS last FROM (SELECT expires_at FROM attempts UNION ALL SELECT expires_at FROM known_addresses)",
      )
      .one();
    if (last !== null) await this.ctx.storage.setAlarm(last);
  }
}
