import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPool, type Pool } from "mysql2/promise";
import { Sessions } from "./sessions";

export interface StartOptions {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** mysql://user:pass@host:port/database; the database is the default schema. Pool options such as
   * `?connectionLimit=20` may be added as query parameters. */
  mysqlUrl: string;
  username: string;
  password: string;
  /** An open transaction idle this long is rolled back. Defaults to 30 s. */
  transactionIdleTimeoutMs?: number;
  /** Larger request bodies are refused with 413. Defaults to 8 MiB. */
  maxBodyBytes?: number;
}

export interface RunningServer {
  /** http://username:password@host:port, to give to `@planetscale/database` as its `url`. */
  url: string;
  port: number;
  /** Stops accepting requests, waits for running ones, rolls back open transactions, ends the pool. */
  close(): Promise<void>;
}

const EXECUTE = "/psdb.v1alpha1.Database/Execute";
const CREATE_SESSION = "/psdb.v1alpha1.Database/CreateSession";
// `npm run bench` reads how many statements ran, before and after a scenario. It answers without
// credentials, which the bench does not have: it tells a local caller a number, nothing of the data.
const STATS = "/stats";

/** A request refused before it reached the database; `code` follows Twirp, as PlanetScale's API does. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Handler {
  sessions: Sessions;
  isAuthorized(header: string | undefined): boolean;
  maxBodyBytes: number;
  // Set by close(): answers then ask clients to drop their keep-alive connections, which
  // server.close() would otherwise wait for.
  closing: boolean;
  /** Execute requests answered so far (BEGIN and COMMIT included: each is a round trip). */
  statements: number;
}

/**
 * Starts a server speaking PlanetScale's HTTP API (the part `@planetscale/database` uses) in front
 * of MySQL/MariaDB. Rejects when the database cannot be reached or the port cannot be bound.
 */
export async function start(options: StartOptions): Promise<RunningServer> {
  const pool = openPool(options.mysqlUrl);
  try {
    // Fail now, with MySQL's reason, rather than on the first request.
    (await pool.getConnection()).release();
    return await serve(pool, options);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function serve(pool: Pool, options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const handler: Handler = {
    sessions: new Sessions(pool, options.transactionIdleTimeoutMs ?? 30_000),
    isAuthorized: credentialsCheck(options.username, options.password),
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    closing: false,
    statements: 0,
  };
  const server = createServer((request, response) => void handle(handler, request, response));
  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  const credentials = `${encodeURIComponent(options.username)}:${encodeURIComponent(options.password)}`;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${credentials}@${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closed ??= (async () => {
        handler.closing = true;
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
        await handler.sessions.close();
        await pool.end();
      })();
      return closed;
    },
  };
}

function openPool(mysqlUrl: string): Pool {
  const pool = createPool({
    uri: mysqlUrl,
    charset: "UTF8MB4_UNICODE_CI",
    multipleStatements: false,
    // Exact affected-row counts and insert ids beyond 2^53.
    supportBigNumbers: true,
    bigNumberStrings: true,
    // rowsAffected counts changed rows, not matched ones, as it does on PlanetScale.
    flags: ["-FOUND_ROWS"],
  });
  // Values pass through as MySQL's text, so the session time zone decides what TIMESTAMPs read as.
  pool.pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00'", (error) => {
      if (error) connection.destroy();
    });
  });
  return pool;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Accepts `user:password` as given, or percent-encoded: the driver sends the credentials exactly as
 * they appear in its URL, which encodes them. Compares digests, in constant time.
 */
function credentialsCheck(username: string, password: string): (header: string | undefined) => boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const accepted = [
    digest(`${username}:${password}`),
    digest(`${encodeURIComponent(username)}:${encodeURIComponent(password)}`),
  ];
  return (header) => {
    const [scheme, encoded = ""] = (header ?? "").split(" ");
    const given = digest(Buffer.from(encoded, "base64").toString());
    const matches = accepted.map((expected) => timingSafeEqual(expected, given));
    return scheme?.toLowerCase() === "basic" && matches.includes(true);
  };
}

async function handle(handler: Handler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let status = 200;
  let body: unknown;
  try {
    body = await route(handler, request);
  } catch (error) {
    const refusal = error instanceof HttpError ? error : new HttpError(500, "internal", "internal server error");
    if (refusal !== error) console.error("psdb server: unexpected error", error);
    status = refusal.status;
    body = { error: { message: refusal.message, code: refusal.code } };
  }
  send(response, handler.closing, status, body);
}

async function route(handler: Handler, request: IncomingMessage): Promise<unknown> {
  const path = (request.url ?? "").split("?")[0];
  if (path === STATS && request.method === "GET") return { statements: handler.statements };
  if (path !== EXECUTE && path !== CREATE_SESSION) throw new HttpError(404, "bad_route", `no such endpoint: ${path}`);
  if (request.method !== "POST") throw new HttpError(405, "bad_route", `${request.method} not allowed, only POST`);
  if (!handler.isAuthorized(request.headers.authorization)) {
    throw new HttpError(401, "unauthenticated", "invalid username or password");
  }
  const body = parseBody(await readBody(request, handler.maxBodyBytes));
  if (path === CREATE_SESSION) return { session: handler.sessions.create() };
  if (typeof body.query !== "string") throw new HttpError(400, "invalid_argument", "query must be a string");
  handler.statements++;
  const started = performance.now();
  const outcome = await handler.sessions.execute(body.session, body.query);
  return { ...outcome, timing: (performance.now() - started) / 1000 };
}

// Reads the whole body even past the limit (keeping none of the excess) so that the client is
// answered 413 instead of seeing its upload cut off.
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > limit) reject(new HttpError(413, "resource_exhausted", `request body larger than ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    request.on("error", () => reject(new HttpError(400, "malformed", "request body could not be read")));
  });
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    throw new HttpError(400, "malformed", "request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, "malformed", "request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function send(response: ServerResponse, closing: boolean, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(json),
    ...(closing && { Connection: "close" }),
  });
  response.end(json);
}
