// The ways a message leaves the Worker, chosen by MAIL_TRANSPORT. Each sends exactly what it is
// given: the text and HTML parts the messages were written with, no tracking pixel, no rewritten
// links (a provider's click and open tracking must stay off: see the README).

/** One message to one recipient, with both parts. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The links the message carries, in order, as they appear in both parts. */
  links: string[];
}

/** Whoever the message comes from: `APP_NAME <MAIL_FROM>`. */
export interface Sender {
  name: string;
  email: string;
}

/** Sends one message, or throws; the caller retries and logs (delivery.ts). */
export interface Mailer {
  readonly transport: "console" | "cloudflare" | "http";
  send(message: MailMessage, idempotencyKey: string): Promise<void>;
}

/**
 * Cloudflare's Email Service through a `send_email` binding: the binding takes the message's fields
 * and builds the MIME itself.
 */
export function cloudflareMailer(binding: SendEmail, from: Sender): Mailer {
  return {
    transport: "cloudflare",
    async send({ to, subject, text, html }) {
      await binding.send({ from, to, subject, text, html });
    },
  };
}

const HTTP_TIMEOUT_MS = 10_000;

/**
 * A transactional provider's REST API over fetch, in Resend's shape (`POST /emails` with a Bearer
 * key; Postmark, SendGrid and others differ in field names only). The idempotency key makes the
 * one retry safe when the first attempt did reach the provider but its answer was lost.
 */
export function httpMailer(apiUrl: string, apiKey: string, from: Sender): Mailer {
  return {
    transport: "http",
    async send({ to, subject, text, html }, idempotencyKey) {
      const response = await fetch(apiUrl, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${apiKey}`,
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
        },
        body: JSON.stringify({ from: `${from.name} <${from.email}>`, to: [to], subject, text, html }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 200);
        throw new Error(`mail provider answered ${response.status}: ${detail}`);
      }
      await response.body?.cancel();
    },
  };
}

/** Messages the console transport printed in this isolate, oldest first: the outbox tests read. */
export const consoleOutbox: MailMessage[] = [];
const OUTBOX_SIZE = 200;

// Loopback only: a link printed to a deployed Worker's log would let anyone who reads the log
// reset any password the log shows.
const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * The local default: prints each message, recipient, subject and each link on a line of its own
 * (links only when `publicUrl` is a local address), and keeps it in `consoleOutbox`. Nothing is sent.
 */
export function consoleMailer(publicUrl: string): Mailer {
  const showLinks = LOCAL_HOST.test(new URL(publicUrl).hostname);
  return {
    transport: "console",
    async send(message) {
      consoleOutbox.push(message);
      if (consoleOutbox.length > OUTBOX_SIZE) consoleOutbox.shift();
      const links = showLinks
        ? message.links.map((link) => `[mail] link: ${link}`)
        : ["[mail] links withheld from the log: PUBLIC_URL is not a local address"];
      console.log([`[mail] to: ${message.to}`, `[mail] subject: ${message.subject}`, ...links].join("\n"));
    },
  };
}
