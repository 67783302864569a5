import { randomBytes } from "node:crypto";
import type { Pool, PoolConnection } from "mysql2/promise";
import { type QueryResult, runStatement, toVitessError, type VitessError } from "./statements";

/** What Execute answers, less the timing. */
export type ExecuteOutcome = { session: string } & ({ result: QueryResult } | { error: VitessError });

interface OpenTransaction {
  connection: PoolConnection;
  idleTimer: NodeJS.Timeout;
}

type TransactionControl = "begin" | "commit" | "rollback";

// Session values are 16 random bytes, base64url. Anything else a client sends gets a new session.
const SESSION_VALUE = /^[\w-]{22}$/;

// Aborted sessions are remembered until their client rolls back; this bounds the memory that
// clients which never come back can take.
const MAX_ABORTED_SESSIONS = 10_000;

class SessionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Runs statements for PlanetScale sessions. A session holds no server state until it begins a
 * transaction: from then on its statements run on one pinned pool connection until COMMIT or
 * ROLLBACK; all other statements run on any pooled connection.
 */
export class Sessions {
  readonly #pool: Pool;
  readonly #idleTimeoutMs: number;
  readonly #busy = new Set<string>();
  readonly #open = new Map<string, OpenTransaction>();
  // Sessions whose transaction ended behind the client's back, with the reason.
  readonly #aborted = new Map<string, string>();
  readonly #pendingRollbacks = new Set<Promise<void>>();

  constructor(pool: Pool, transactionIdleTimeoutMs: number) {
    this.#pool = pool;
    this.#idleTimeoutMs = transactionIdleTimeoutMs;
  }

  /** A new opaque session value. */
  create(): string {
    return randomBytes(16).toString("base64url");
  }

  /** Runs one statement for the session value a client sent; never throws. */
  async execute(session: unknown, sql: string): Promise<ExecuteOutcome> {
    const id = typeof session === "string" && SESSION_VALUE.test(session) ? session : this.create();
    if (this.#busy.has(id)) {
      return { session: id, error: { message: "session already in use", code: "FAILED_PRECONDITION" } };
    }
    this.#busy.add(id);
    try {
      return { session: id, result: await this.#run(id, sql) };
    } catch (error) {
      const { message, code } = error instanceof SessionError ? error : toVitessError(error);
      return { session: id, error: { message, code } };
    } finally {
      this.#busy.delete(id);
    }
  }

  /** Rolls back every open transaction and gives its connection back; call once no request runs. */
  async close(): Promise<void> {
    for (const transaction of this.#open.values()) {
      clearTimeout(transaction.idleTimer);
      this.#rollBackInBackground(transaction.connection);
    }
    this.#open.clear();
    await Promise.all(this.#pendingRollbacks);
  }

  async #run(id: string, sql: string): Promise<QueryResult> {
    const control = transactionControl(sql);
    const abortReason = this.#aborted.get(id);
    if (abortReason !== undefined) {
      // Until the client ends the transaction its statements fail, rather than run outside the
      // transaction they were meant for. ROLLBACK succeeds (harmlessly, on the pool); COMMIT fails.
      if (control === "commit" || control === "rollback") this.#aborted.delete(id);
      if (control !== "rollback") throw new SessionError(`transaction aborted: ${abortReason}`, "ABORTED");
    }
    const transaction = this.#open.get(id);
    if (transaction) return this.#runPinned(id, transaction, sql, control);
    if (control === "begin") return this.#begin(id, sql);
    return runStatement(this.#pool, sql);
  }

  async #begin(id: string, sql: string): Promise<QueryResult> {
    const connection = await this.#pool.getConnection();
    try {
      const result = await runStatement(connection, sql);
      this.#open.set(id, { connection, idleTimer: this.#startIdleTimer(id) });
      return result;
    } catch (error) {
      dispose(connection, error);
      throw error;
    }
  }

  async #runPinned(
    id: string,
    transaction: OpenTransaction,
    sql: string,
    control: TransactionControl | undefined,
  ): Promise<QueryResult> {
    clearTimeout(transaction.idleTimer);
    const ends = control === "commit" || control === "rollback";
    try {
      const result = await runStatement(transaction.connection, sql);
      if (ends) {
        this.#open.delete(id);
        transaction.connection.release();
      }
      return result;
    } catch (error) {
      if (isConnectionLost(error)) {
        this.#open.delete(id);
        transaction.connection.destroy();
        if (!ends) this.#markAborted(id, "its connection to MySQL failed");
      }
      throw error;
    } finally {
      if (this.#open.get(id) === transaction) transaction.idleTimer = this.#startIdleTimer(id);
    }
  }

  // Runs only while the session is idle: the timer is stopped while a statement runs.
  #startIdleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const transaction = this.#open.get(id);
      if (!transaction) return;
      this.#open.delete(id);
      this.#markAborted(id, `idle for more than ${this.#idleTimeoutMs} ms, it was rolled back`);
      this.#rollBackInBackground(transaction.connection);
    }, this.#idleTimeoutMs);
    timer.unref();
    return timer;
  }

  #markAborted(id: string, reason: string): void {
    this.#aborted.set(id, reason);
    if (this.#aborted.size > MAX_ABORTED_SESSIONS) {
      const [oldest] = this.#aborted.keys();
      if (oldest !== undefined) this.#aborted.delete(oldest);
    }
  }

  #rollBackInBackground(connection: PoolConnection): void {
    const rollback = connection.query("ROLLBACK").then(
      () => connection.release(),
      () => connection.destroy(),
    );
    this.#pendingRollbacks.add(rollback);
    void rollback.finally(() => this.#pendingRollbacks.delete(rollback));
  }
}

/** Recognises the statements that open and close a transaction (the driver sends BEGIN/COMMIT/ROLLBACK). */
function transactionControl(sql: string): TransactionControl | undefined {
  const statement = sql.trim().replace(/;$/, "").trimEnd();
  if (/^(begin(\s+work)?|start\s+transaction(\s+[\w\s,]+)?)$/i.test(statement)) return "begin";
  // Exact matches only: ROLLBACK TO SAVEPOINT (Drizzle's nested transactions) keeps it open.
  if (/^commit(\s+work)?$/i.test(statement)) return "commit";
  if (/^rollback(\s+work)?$/i.test(statement)) return "rollback";
  return undefined;
}

// mysql2 marks errors after which the connection is unusable as fatal.
function isConnectionLost(error: unknown): boolean {
  return (error as { fatal?: boolean } | undefined)?.fatal === true;
}

function dispose(connection: PoolConnection, error: unknown): void {
  if (isConnectionLost(error)) connection.destroy();
  else connection.release();
}
