import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { serveLoopback } from "../../../scripts/lib/serve-loopback";
import { BREACHED_COUNT, BREACHED_PASSWORD } from "../../fixtures/breached-password";

export interface RangeServer {
  /** http://127.0.0.1:<port>, no trailing slash. `/range/` answers, `/slow/range/` takes 5 s, `/broken/range/` 503s. */
  url: string;
  close(): Promise<void>;
}

const SLOW_MS = 5000;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex").toUpperCase();
const randomSuffix = () => randomBytes(18).toString("hex").toUpperCase().slice(0, 35);

/**
 * The Pwned Passwords range API's wire format (`GET /range/<5 hex>`: `SUFFIX:COUNT` lines, CRLF,
 * upper-case), with `Add-Padding: true` honoured as the real one does: lines of count 0 fill the
 * answer up to 800-1,000 lines. Every range holds a few made-up breached suffixes, and the range of
 * BREACHED_PASSWORD holds its own. `GET /requests` tells how many range requests came, and how
 * many asked for padding, so tests can see the cache at work.
 */
export async function startRangeServer(): Promise<RangeServer> {
  const breached = sha1(BREACHED_PASSWORD);
  const requests = { total: 0, padded: 0, byPrefix: {} as Record<string, number> };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/requests") {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(requests));
      return;
    }
    const match = /^\/(slow\/|broken\/)?range\/([0-9A-Fa-f]{5})$/.exec(path);
    if (!match) {
      response.writeHead(404).end("Not found");
      return;
    }
    const [, variant, prefix = ""] = match;
    if (variant === "broken/") {
      response.writeHead(503).end("Service unavailable");
      return;
    }
    const padded = request.headers["add-padding"] === "true";
    requests.total += 1;
    requests.padded += padded ? 1 : 0;
    requests.byPrefix[prefix.toUpperCase()] = (requests.byPrefix[prefix.toUpperCase()] ?? 0) + 1;
    const lines = Array.from({ length: 3 }, (_, i) => `${randomSuffix()}:${i + 1}`);
    if (breached.startsWith(prefix.toUpperCase())) lines.push(`${breached.slice(5)}:${BREACHED_COUNT}`);
    if (padded) {
      const size = 800 + Math.floor(Math.random() * 201);
      while (lines.length < size) lines.push(`${randomSuffix()}:0`);
    }
    const answer = () => response.writeHead(200, { "Content-Type": "text/plain" }).end(lines.sort().join("\r\n"));
    if (variant === "slow/") setTimeout(answer, SLOW_MS).unref();
    else answer();
  });
  return serveLoopback(server);
}
