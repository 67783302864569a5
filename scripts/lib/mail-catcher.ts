// A stand-in for a transactional mail provider's API (Resend's `POST /emails`), on the Node side:
// the http transport's counterpart in `npm run dev` (print and keep each message), the browser
// suite and the Worker tests (an outbox to read, and a check of every request the real API expects).
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import { join } from "node:path";
import { serveLoopback } from "./serve-loopback";

/** A message as the provider received it, with what the request carried besides. */
export interface CaughtMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link of the text part, in order. */
  links: string[];
  idempotencyKey: string | undefined;
  /** How many requests carried this message (a retry with the same Idempotency-Key counts again). */
  attempts: number;
}

export interface MailCatcher {
  /** http://127.0.0.1:<port>, no trailing slash; the send endpoint is `${url}/emails`. */
  url: string;
  /** The Bearer key it accepts. */
  apiKey: string;
  /** The Worker's vars that send its mail here through the http transport. */
  workerVars: { MAIL_TRANSPORT: "http"; MAIL_API_URL: string; MAIL_API_KEY: string };
  close(): Promise<void>;
}

interface Options {
  /** Called once per new message (not again for a retry). */
  onMail?: (mail: CaughtMail) => void | Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"]+/g;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// Resend's own validation, as far as a client could get it wrong: a sender, one or more
// recipients, a subject, and content.
function problemsOf(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof body.from !== "string" || !/^.+ <[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(body.from)) {
    problems.push("from must be `email` or `Name <email>`");
  }
  if (!Array.isArray(body.to) || body.to.length === 0 || !body.to.every((to) => typeof to === "string")) {
    problems.push("to must be a non-empty array of addresses");
  }
  for (const field of ["subject", "text", "html"]) {
    if (typeof body[field] !== "string" || body[field] === "") problems.push(`${field} must be a non-empty string`);
  }
  return problems;
}

/**
 * Starts the stand-in on a free port of 127.0.0.1. `POST /emails` answers as Resend does (200
 * `{id}`, 401 for a wrong key, 422 for a malformed message) and honours `Idempotency-Key`; a
 * recipient whose address starts with `fail-once` gets a 500 on its first attempt, `fail-always`
 * on every one. `GET /outbox?to=<address>` lists what came, oldest first.
 */
export async function startMailCatcher({ onMail }: Options = {}): Promise<MailCatcher> {
  const apiKey = `re_test_${randomUUID().replaceAll("-", "")}`;
  const outbox: CaughtMail[] = [];
  const failedOnce = new Set<string>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const reply = (status: number, body: unknown) =>
      response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (request.method === "GET" && url.pathname === "/outbox") {
      const to = url.searchParams.get("to");
      reply(200, to ? outbox.filter((mail) => mail.to.includes(to)) : outbox);
      return;
    }
    if (request.method !== "POST" || url.pathname !== "/emails") return reply(404, { message: "Not found" });
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return reply(401, { statusCode: 401, name: "missing_api_key", message: "Missing or invalid API key" });
    }
    if (!request.headers["content-type"]?.startsWith("application/json")) {
      return reply(415, { statusCode: 415, message: "Content-Type must be application/json" });
    }
    const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    const problems = problemsOf(body);
    if (problems.length > 0)
      return reply(422, { statusCode: 422, name: "validation_error", message: problems.join("; ") });
    const idempotencyKey = request.headers["idempotency-key"] as string | undefined;
    const known = idempotencyKey ? outbox.find((mail) => mail.idempotencyKey === idempotencyKey) : undefined;
    if (known) {
      known.attempts += 1;
      return reply(200, { id: known.id });
    }
    const to = body.to as string[];
    const failing = to.find((address) => address.startsWith("fail-always") || address.startsWith("fail-once"));
    if (failing && (failing.startsWith("fail-always") || !failedOnce.has(failing))) {
      failedOnce.add(failing);
      return reply(500, { statusCode: 500, name: "application_error", message: "Something went wrong" });
    }
    const text = body.text as string;
    const mail: CaughtMail = {
      id: randomUUID(),
      from: body.from as string,
      to,
      subject: body.subject as string,
      text,
      html: body.html as string,
      links: text.match(LINK) ?? [],
      idempotencyKey,
      attempts: 1,
    };
    outbox.push(mail);
    await onMail?.(mail);
    reply(200, { id: mail.id });
  });
  const { url, close } = await serveLoopback(server);
  return {
    url,
    apiKey,
    workerVars: { MAIL_TRANSPORT: "http", MAIL_API_URL: `${url}/emails`, MAIL_API_KEY: apiKey },
    close,
  };
}

/** The message as a MIME file (text and HTML alternatives) that a mail program opens. */
function asEml(mail: CaughtMail): string {
  const boundary = `=_${mail.id}`;
  return [
    `From: ${mail.from}`,
    `To: ${mail.to.join(", ")}`,
    `Subject: ${mail.subject}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    mail.text,
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    mail.html,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/**
 * Keeps each message under `dir` as `<time>-<subject>.eml` and `.html`, and prints the recipient,
 * the subject, each link on a line of its own and where the files are.
 */
export function printAndKeep(dir: string) {
  return async (mail: CaughtMail) => {
    await mkdir(dir, { recursive: true });
    const slug = mail.subject
      .toLowerCase()
      .replaceAll(/[^a-z0-9]+/g, "-")
      .replaceAll(/^-|-$/g, "")
      .slice(0, 40);
    const base = join(dir, `${new Date().toISOString().replaceAll(":", "-")}-${slug}`);
    await Promise.all([writeFile(`${base}.eml`, asEml(mail)), writeFile(`${base}.html`, mail.html)]);
    const lines = [
      "",
      `✉  Mail to ${mail.to.join(", ")}`,
      `   Subject: ${mail.subject}`,
      ...mail.links.map((link) => `   Link: ${link}`),
      `   Kept as ${base}.eml (open it in a mail program) and ${base}.html (in a browser)`,
      "",
    ];
    console.log(lines.join("\n"));
  };
}
