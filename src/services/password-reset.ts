// Password reset by mail: a request that answers the same whoever asks, and a confirmation that
// spends the token, sets the password and ends every session in one transaction.
import { insertAuditEntry } from "../db/audit";
import { revokeUserTokens, useToken } from "../db/one-time-tokens";
import type { User } from "../db/schema";
import { findUserByEmail, signOutEverywhere } from "../db/users";
import {
  INVALID_TOKEN,
  issueToken,
  liveToken,
  type MailingDeps,
  mailLater,
  notifyPasswordChanged,
  type TokenUseDeps,
} from "./account-links";
import { newPasswordErrors } from "./accounts";
import type { BreachCheck } from "./breached-passwords";
import { ValidationFailed } from "./domain-errors";
import { admitAccountRequest, forgetAccountFailures, guardRequest, type LimiterDeps } from "./limiter";
import { accountLink, decodeUid } from "./mail/delivery";
import { passwordResetMessage } from "./mail/messages";
import { hashPassword } from "./passwords";

/** A new reset token for `user`, and the message that carries its link. */
export async function passwordResetFor(deps: MailingDeps, user: User) {
  const { mail } = deps;
  const token = await issueToken(deps, user, "password_reset", user.email, mail.resetTtlSeconds);
  const link = accountLink(mail.links, "reset", { token, userId: user.id });
  return passwordResetMessage(mail.appName, user.email, link, mail.resetTtlSeconds);
}

/**
 * Mails a reset link to the account `email`, after the response: the caller's answer is the same,
 * and as fast, whether the account exists, is inactive, or is over its limit of requests. Only the
 * client's address is limited in the answer (Throttled), which says nothing about the account.
 */
export async function requestPasswordReset(deps: MailingDeps & { limiter: LimiterDeps }, email: string): Promise<void> {
  await guardRequest(deps.limiter, "passwordReset");
  mailLater(deps, async () => {
    if (!(await admitAccountRequest(deps.limiter, "passwordReset", email))) return undefined;
    const user = await findUserByEmail(deps.db, email);
    return user?.isActive ? passwordResetFor(deps, user) : undefined;
  });
}

export interface PasswordReset {
  token: string;
  /** `/api/users/`' `uid`, which must name the token's user. */
  uid?: string;
  password: string;
  passwordConfirm: string;
  /** The request's names for the password fields. */
  fields: [string, string];
}

/**
 * Sets a new password with a reset token: the validators and the breach check apply, the token is
 * spent by one conditional UPDATE (of two concurrent confirmations one wins) with every other reset
 * token of the user, every session ends, an audit entry is written; then the account's failure
 * counts are cleared and a notice goes out. The link proves the address, so it counts as verified.
 */
export async function resetPassword(
  deps: TokenUseDeps & { breaches: BreachCheck; requestId: string },
  input: PasswordReset,
) {
  const { token, user } = await liveToken(deps, input.token, "password_reset", "token");
  // A link mailed to an address the account no longer has resets nothing (whoever changed it).
  if (token.email !== user.emailNormalized) throw new ValidationFailed({ token: [INVALID_TOKEN] });
  if (input.uid !== undefined && decodeUid(input.uid) !== user.id) {
    throw new ValidationFailed({ uid: ["Invalid value"] });
  }
  const errors = await newPasswordErrors(deps.breaches, input.password, input.passwordConfirm, user, input.fields);
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors);
  const password = await hashPassword(input.password);
  const now = deps.now();
  // The token's address is the login (checked above), so the link has proved it.
  const verified = user.emailVerifiedAt === null ? { emailVerifiedAt: now } : {};
  await deps.db.transaction(async (tx) => {
    if (!(await useToken(tx, token.digest, now))) throw new ValidationFailed({ token: [INVALID_TOKEN] });
    await revokeUserTokens(tx, user.id, "password_reset", now);
    await signOutEverywhere(tx, user.id, "password_reset", {
      now,
      changes: { password, passwordChangedAt: now, ...verified },
    });
    await insertAuditEntry(
      tx,
      {
        actorId: user.id,
        actorEmail: user.email,
        action: "password_reset",
        targetId: user.id,
        targetEmail: user.email,
        changes: { password: { before: "(hidden)", after: "(changed)" } },
        requestId: deps.requestId,
      },
      now,
    );
  });
  await forgetAccountFailures(deps.limiter, user.email);
  notifyPasswordChanged(deps, user);
}
