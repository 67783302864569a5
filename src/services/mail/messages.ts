// What the Worker writes to people: each message once, as a plain-text part and an HTML part
// with the same words and links. Plain markup, no images, no tracking.
import type { MailMessage } from "./transports";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

interface Draft {
  to: string;
  subject: string;
  /** Paragraphs, in order; a link is a paragraph of its own, with its button label. */
  paragraphs: (string | { link: string; label: string })[];
}

function compose(appName: string, { to, subject, paragraphs }: Draft): MailMessage {
  const links = paragraphs.flatMap((part) => (typeof part === "string" ? [] : [part.link]));
  const text = [
    ...paragraphs.map((part) => (typeof part === "string" ? part : `${part.label}:\n${part.link}`)),
    `— ${appName}`,
  ].join("\n\n");
  const body = paragraphs
    .map((part) =>
      typeof part === "string"
        ? `<p>${escapeHtml(part)}</p>`
        : `<p><a href="${escapeHtml(part.link)}">${escapeHtml(part.label)}</a></p>` +
          `<p style="font-size:small">Or paste this address into your browser: ${escapeHtml(part.link)}</p>`,
    )
    .join("\n");
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family:sans-serif;line-height:1.5;max-width:36em">\n${body}\n<p>— ${escapeHtml(appName)}</p></body></html>`;
  return { to, subject: `${subject} · ${appName}`, text, html, links };
}

const minutes = (seconds: number) => {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? "1 day" : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  const count = Math.max(1, Math.round(seconds / 60));
  return count === 1 ? "1 minute" : `${count} minutes`;
};

/** The link that lets `to` set a new password. */
export function passwordResetMessage(appName: string, to: string, link: string, ttlSeconds: number): MailMessage {
  return compose(appName, {
    to,
    subject: "Reset your password",
    paragraphs: [
      `Someone asked to reset the password of your ${appName} account. If it was you, choose a new password here:`,
      { link, label: "Choose a new password" },
      `The link works once, for ${minutes(ttlSeconds)}. If you did not ask for it, ignore this message: your password stays as it is.`,
    ],
  });
}

/** After any password change: tells the owner, who may not have made it. */
export function passwordChangedMessage(appName: string, to: string): MailMessage {
  return compose(appName, {
    to,
    subject: "Your password was changed",
    paragraphs: [
      `Your password was changed, and every device signed in to your ${appName} account was signed out.`,
      "If this wasn't you, reset your password now with “Forgot password” and tell your administrator: someone else may know it.",
    ],
  });
}

/** The link that proves `to` reads mail at that address. */
export function verificationMessage(appName: string, to: string, link: string, ttlSeconds: number): MailMessage {
  return compose(appName, {
    to,
    subject: "Confirm your email address",
    paragraphs: [
      `Please confirm that ${to} is the email address of your ${appName} account:`,
      { link, label: "Confirm this address" },
      `The link works for ${minutes(ttlSeconds)}. If you did not sign up or change your address, ignore this message.`,
    ],
  });
}

/** To the old address when the account's address changes (or is about to, once confirmed). */
export function emailChangedMessage(appName: string, to: string, newAddress: string, pending: boolean): MailMessage {
  return compose(appName, {
    to,
    subject: "Your email address is changing",
    paragraphs: [
      pending
        ? `Someone asked to change the email address of your ${appName} account to ${newAddress}. It changes once that address is confirmed.`
        : `The email address of your ${appName} account was changed to ${newAddress}.`,
      "If this wasn't you, reset your password now and tell your administrator.",
    ],
  });
}
