// Email verification: a link to the address after registration and after each change of address;
// using it records the address as verified, or (REQUIRE_EMAIL_VERIFICATION) moves the login to
// the pending address it was sent to.
import { revokeUserTokens, useToken } from "../db/one-time-tokens";
import type { User } from "../db/schema";
import { findUserByEmail, findUserById, normalizeEmail, updateUser } from "../db/users";
import { INVALID_TOKEN, issueToken, liveToken, type MailingDeps, mailLater, type TokenUseDeps } from "./account-links";
import { emailTakenOr } from "./account-rows";
import { EmailNotVerified, ValidationFailed } from "./domain-errors";
import { admitAccountRequest, guardRequest, type LimiterDeps } from "./limiter";
import { accountLink } from "./mail/delivery";
import { emailChangedMessage, verificationMessage } from "./mail/messages";

async function verificationFor(deps: MailingDeps, user: User, address: string) {
  const { mail } = deps;
  const token = await issueToken(deps, user, "email_verification", address, mail.verificationTtlSeconds);
  const link = accountLink(mail.links, "verify", { token, userId: user.id });
  return verificationMessage(mail.appName, address, link, mail.verificationTtlSeconds);
}

/** Mails `address` a link that proves the user reads it, after the response. */
export function sendVerification(deps: MailingDeps, user: User, address: string): void {
  mailLater(deps, () => verificationFor(deps, user, address));
}

/** The address still waiting for its link: the pending one, else the login if unverified. */
export function unverifiedAddress(user: User): string | undefined {
  return user.pendingEmail ?? (user.emailVerifiedAt === null ? user.email : undefined);
}

/**
 * DRF's resend by address: mails a new link to the account `email` if it is active and
 * unverified, after the response, so that the answer says nothing about the account. Only the
 * client's address is limited in the answer (Throttled). `known` is the account when the caller
 * is its signed-in user, which saves looking it up again.
 */
export async function requestVerification(
  deps: MailingDeps & { limiter: LimiterDeps },
  email: string,
  known?: User,
): Promise<void> {
  await guardRequest(deps.limiter, "verificationMail");
  mailLater(deps, async () => {
    if (!(await admitAccountRequest(deps.limiter, "verificationMail", email))) return undefined;
    const user = known ?? (await findUserByEmail(deps.db, email));
    const address = user?.isActive ? unverifiedAddress(user) : undefined;
    return user && address ? verificationFor(deps, user, address) : undefined;
  });
}

/** Refuses a login whose password was right when the account must verify its address first. */
export function requireVerifiedEmail(deps: { mail: { requireEmailVerification: boolean } }, user: User): void {
  if (deps.mail.requireEmailVerification && user.emailVerifiedAt === null) throw new EmailNotVerified();
}

/**
 * Uses a verification token (`field` names it in the request): the address it was sent to is
 * verified, and when that is the user's pending address it becomes their login. A token for an
 * address the user no longer has proves nothing. Returns the user as they now are.
 */
export async function verifyEmail(deps: TokenUseDeps, tokenText: string, field: string): Promise<User> {
  const { token } = await liveToken(deps, tokenText, "email_verification", field);
  const now = deps.now();
  const invalid = () => new ValidationFailed({ [field]: [INVALID_TOKEN] });
  try {
    return await deps.db.transaction(async (tx) => {
      if (!(await useToken(tx, token.digest, now))) throw invalid();
      // Read again once the token is spent: the address it proves is compared with the user as
      // they are now, not as they were before the transaction (an email change may lie between).
      const user = await findUserById(tx, token.userId);
      if (!user) throw invalid();
      let changes: Partial<User>;
      if (user.emailNormalized === token.email) changes = { emailVerifiedAt: user.emailVerifiedAt ?? now };
      else if (user.pendingEmail !== null && normalizeEmail(user.pendingEmail) === token.email) {
        changes = { email: user.pendingEmail, emailNormalized: token.email, pendingEmail: null, emailVerifiedAt: now };
        // Reset links went to the old address.
        await revokeUserTokens(tx, user.id, "password_reset", now);
      } else throw invalid();
      await updateUser(tx, user.id, changes);
      return { ...user, ...changes };
    });
  } catch (error) {
    throw emailTakenOr(error);
  }
}

/**
 * After a change of the login address from `before`: the new address starts unverified and gets
 * a link, the old one a notice (`pending`: the change waits for that link).
 */
export function announceEmailChange(deps: MailingDeps, before: User, after: User, pending: boolean): void {
  const newAddress = pending ? (after.pendingEmail ?? after.email) : after.email;
  sendVerification(deps, after, newAddress);
  mailLater(deps, async () => emailChangedMessage(deps.mail.appName, before.email, newAddress, pending));
}
