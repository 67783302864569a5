import { expect, vi } from "vitest";
import { consoleOutbox, type MailMessage } from "../../src/services/mail/transports";

/** The workerd tests' PUBLIC_URL (test/worker/vitest.config.ts): every link in mail starts here. */
export const PUBLIC_URL = "https://auth.example.test";

/** What the console transport has "sent" to `address` in this isolate, oldest first. */
export function mailTo(address: string): MailMessage[] {
  return consoleOutbox.filter((message) => message.to === address);
}

/**
 * The one message to `address` whose subject starts so; fails the test unless there is exactly one.
 * It waits a little for it: a registration through `fetchWorker` mails after its response.
 */
export async function onlyMail(address: string, subject: string): Promise<MailMessage> {
  const found = () => mailTo(address).filter((message) => message.subject.startsWith(subject));
  await vi.waitFor(() => expect(found().map((message) => message.subject)).toHaveLength(1), { timeout: 3000 });
  return found()[0] as MailMessage;
}

/** The token of the (last) link in a message, checked to be on PUBLIC_URL in both parts. */
export function tokenIn(message: MailMessage): string {
  const link = message.links.at(-1) ?? "";
  expect(link.startsWith(`${PUBLIC_URL}/account/`), link).toBe(true);
  expect(message.text).toContain(link);
  expect(message.html).toContain(link.replaceAll("&", "&#38;"));
  return new URL(link).searchParams.get("token") ?? "";
}
