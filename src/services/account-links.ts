// The tokens in links sent by mail: 32 random bytes, base64url, of which only the SHA-256 is
// stored (a leaked table holds no usable link); checked under the per-address failure limit.
import { base64url } from "jose";
import type { Database } from "../db/client";
import { findLiveToken, insertOneTimeToken, type TokenPurpose } from "../db/one-time-tokens";
import type { OneTimeToken, User } from "../db/schema";
import { normalizeEmail } from "../db/users";
import { ValidationFailed } from "./domain-errors";
import { sha256Hex } from "./hex";
import { guardAttempt, type LimiterDeps } from "./limiter";
import { deliver, type MailDeps, settle } from "./mail/delivery";
import { passwordChangedMessage } from "./mail/messages";
import type { MailMessage } from "./mail/transports";

export const INVALID_TOKEN = "Invalid or expired token.";

/** What sending account mail needs: the database, the mail settings and a way to run after the response. */
export interface MailingDeps {
  db: Database;
  mail: MailDeps;
  now: () => Date;
  later(task: Promise<unknown>): void;
}

/** What using a token needs besides: the limits on failed attempts. */
export interface TokenUseDeps extends MailingDeps {
  limiter: LimiterDeps;
}

const randomToken = () => base64url.encode(crypto.getRandomValues(new Uint8Array(32)));

/** Stores a new token for `user`, sent to `address`, and returns the token for the link. */
export async function issueToken(
  deps: MailingDeps,
  user: User,
  purpose: TokenPurpose,
  address: string,
  ttlSeconds: number,
): Promise<string> {
  const token = randomToken();
  const now = deps.now();
  await insertOneTimeToken(
    deps.db,
    {
      digest: await sha256Hex(token),
      purpose,
      userId: user.id,
      email: normalizeEmail(address),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    },
    now,
  );
  return token;
}

/**
 * The live token of `purpose` with this text, and its active user; throws a 400 on `field` for a
 * bad, expired, used one or one of an inactive user, counted against the client's address.
 */
export async function liveToken(
  deps: TokenUseDeps,
  token: string,
  purpose: TokenPurpose,
  field: string,
): Promise<{ token: OneTimeToken; user: User }> {
  const found = await guardAttempt(deps.limiter, "tokenFailure", async () => {
    const row = await findLiveToken(deps.db, await sha256Hex(token), purpose, deps.now());
    return row?.user.isActive ? row : undefined;
  });
  if (!found) throw new ValidationFailed({ [field]: [INVALID_TOKEN] });
  return found;
}

/** Composes and sends a message after the response; whatever fails there is logged. */
export function mailLater(deps: MailingDeps, compose: () => Promise<MailMessage | undefined>): void {
  deps.later(
    settle(deps.mail.requestId, async () => {
      const message = await compose();
      if (message) await deliver(deps.mail, message);
    }),
  );
}

/** Tells the owner that their password changed (by them, a reset or an administrator), after the response. */
export function notifyPasswordChanged(deps: MailingDeps, user: User): void {
  mailLater(deps, async () => passwordChangedMessage(deps.mail.appName, user.email));
}
