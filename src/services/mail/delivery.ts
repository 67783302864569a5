// Sending after the response: a message is composed and sent inside `waitUntil`, retried once, and
// a failure is logged, never thrown into the request that caused it.
import { base64url } from "jose";
import type { Mailer, MailMessage } from "./transports";

/** Where the links in mail lead: the Worker's own pages on PUBLIC_URL, or the deployment's templates. */
export interface LinkSettings {
  publicUrl: string | undefined;
  /** PASSWORD_RESET_URL and EMAIL_VERIFY_URL: templates with `{token}` and `{uid}`. */
  resetTemplate?: string;
  verifyTemplate?: string;
}

/** Everything the account mail needs: the mailer (none without PUBLIC_URL), links, lifetimes. */
export interface MailDeps {
  mailer: Mailer | undefined;
  appName: string;
  links: LinkSettings;
  resetTtlSeconds: number;
  verificationTtlSeconds: number;
  /** REQUIRE_EMAIL_VERIFICATION: logins wait for a verified address, email changes for their link. */
  requireEmailVerification: boolean;
  /** How long the one retry waits after a failed send. */
  retryDelayMs: number;
  requestId: string;
}

/** Django's `urlsafe_base64_encode(force_bytes(pk))`: the id's digits in base64url, unpadded. */
export function encodeUid(id: number): string {
  return base64url.encode(String(id));
}

/** The user id a `uid` names, or undefined when it names none. */
export function decodeUid(uid: string): number | undefined {
  try {
    const digits = atob(uid.replaceAll("-", "+").replaceAll("_", "/"));
    return /^[1-9]\d{0,14}$/.test(digits) ? Number(digits) : undefined;
  } catch {
    return undefined;
  }
}

/** A link from a template, or else the Worker's own page at `path` on PUBLIC_URL. */
export function accountLink(
  links: LinkSettings,
  kind: "reset" | "verify",
  { token, userId }: { token: string; userId: number },
): string {
  const template = kind === "reset" ? links.resetTemplate : links.verifyTemplate;
  if (template) {
    return template.replaceAll("{token}", encodeURIComponent(token)).replaceAll("{uid}", encodeUid(userId));
  }
  const path = kind === "reset" ? "/account/reset-password" : "/account/verify-email";
  return `${links.publicUrl}${path}?token=${encodeURIComponent(token)}`;
}

const log = (level: "warn" | "error", fields: Record<string, unknown>) =>
  console[level](JSON.stringify({ level, ...fields }));

/**
 * Sends `message`, once more after `retryDelayMs` if that fails; logs what failed and resolves
 * either way. Without a mailer (console and no PUBLIC_URL) it logs that nothing was sent.
 */
export async function deliver(deps: MailDeps, message: MailMessage): Promise<void> {
  const { mailer, requestId } = deps;
  const about = { requestId, subject: message.subject };
  if (!mailer) {
    log("warn", { ...about, msg: "mail not sent: PUBLIC_URL is not set, so no link can be built" });
    return;
  }
  const idempotencyKey = crypto.randomUUID();
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await mailer.send(message, idempotencyKey);
      return;
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      if (attempt === 2) {
        log("error", { ...about, msg: "mail not sent", transport: mailer.transport, attempts: attempt, cause });
        return;
      }
      log("warn", { ...about, msg: "mail send failed, retrying once", transport: mailer.transport, cause });
      await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs));
    }
  }
}

/** Runs `task` (which composes and delivers mail) and logs anything it throws: after the response, nobody else would. */
export async function settle(requestId: string, task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
  } catch (error) {
    const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log("error", { requestId, msg: "background mail task failed", cause });
  }
}
