// The attempt limits on credentials and on account creation, counted exactly by Durable Objects
// (src/limiter-object.ts), one per key:
// - `pair:<account>:<address>`: one account from one address, a hard window (django-axes' lockout
//   by the combination of username and address);
// - `account:<account>`: one account from every address, a growing back-off (Keycloak's
//   temporary lockout, which waits longer with each failure up to a 15-minute maximum) that spares
//   addresses that signed in to it lately, so that strangers' failures never keep its owner out of
//   a place they use: no hard lockout, and no lockout as a denial of service;
// - `address:<address>`: one address across every account (credential stuffing), a hard window;
// - `<request>:<address>`, e.g. `registration:<address>`: requests counted per address whatever
//   their outcome (Better Auth's per-address rate limit).
// `<account>` is the SHA-256 of the normalized email, known or not, so that an unknown email is
// counted and refused exactly like a real one; `<address>` is the client's address group.
//
// An attempt is counted before the secret is checked, so that concurrent attempts cannot all pass
// a count that none of them has raised yet, and is taken back if it turns out not to count.

import { normalizeEmail } from "../db/users";
import type { BackoffRule, Limiter, Verdict, WindowRule } from "../limiter-object";
import { addressGroup } from "./address-group";
import { Throttled } from "./domain-errors";
import { sha256Hex } from "./hex";

/** The limits, from the vars (src/env.ts). */
export interface LimitRules {
  pair: WindowRule;
  account: BackoffRule;
  address: WindowRule;
  /** Per-address limits on requests that check no secret, each under its own key. */
  requests: {
    registration: WindowRule;
    passwordReset: WindowRule;
    verificationMail: WindowRule;
    /** Failed uses of a token sent by mail (reset, verification): guesses, counted per address. */
    tokenFailure: WindowRule;
  };
  /** Per-account limits on requests that send the account mail. */
  accountRequests: { passwordReset: WindowRule; verificationMail: WindowRule };
}

/** What the limits need for one request: the objects, the rules, the caller's address and the clock. */
export interface LimiterDeps {
  namespace: DurableObjectNamespace<Limiter>;
  rules: LimitRules;
  /** The client's address as Cloudflare reports it (`CF-Connecting-IP`). */
  clientAddress: string;
  now: () => Date;
}

export type LimitedRequest = keyof LimitRules["requests"];
export type AccountRequest = keyof LimitRules["accountRequests"];

function throttled(verdicts: Verdict[]): Throttled {
  const waitMs = Math.max(...verdicts.map((verdict) => (verdict.admitted ? 0 : verdict.retryAfterMs)));
  return new Throttled(Math.ceil(waitMs / 1000));
}

// Window refusals this isolate has met: object name -> until when, and until when to trust that
// without asking the object again (the callers' clock, in ms). A window's refusal holds until its
// oldest attempt leaves, so the isolate answers a guessing loop itself, at the cost of one digest
// and no round trip. It can end early only when the object forgets or takes back attempts: one
// admitted just before succeeded, or a password reset on another isolate cleared the account's
// pair. So the isolate asks the object again after REFUSAL_TRUST_MS: the loop costs one round trip
// per isolate that often, and an owner cleared elsewhere waits that long at most, never an
// attacker less than the object says. Back-off refusals are not kept: a sign-in from a known
// address ends them. Bounded, so that attackers with many keys cannot grow it without end.
const keptRefusals = new Map<string, { until: number; trustUntil: number }>();
const MAX_REFUSALS_KEPT = 10_000;
const REFUSAL_TRUST_MS = 30_000;

/** Keeps a refusal an object has just answered (never one this isolate answered from its own). */
function keepRefusal(name: string, verdict: Verdict | undefined, now: number): void {
  if (!verdict || verdict.admitted) return;
  // Deleted first, so that the map's order is the order refusals were kept in, and the oldest goes
  // when it is full (its object answers for it next time).
  keptRefusals.delete(name);
  if (keptRefusals.size >= MAX_REFUSALS_KEPT) keptRefusals.delete(keptRefusals.keys().next().value ?? "");
  const until = now + verdict.retryAfterMs;
  keptRefusals.set(name, { until, trustUntil: Math.min(until, now + REFUSAL_TRUST_MS) });
}

/** A refusal this isolate still trusts for any of these objects, as a verdict; undefined if none. */
function keptRefusal(names: string[], now: number): Verdict | undefined {
  let waitMs = 0;
  for (const name of names) {
    const kept = keptRefusals.get(name);
    if (!kept) continue;
    if (now < kept.trustUntil) waitMs = Math.max(waitMs, kept.until - now);
    else keptRefusals.delete(name);
  }
  return waitMs > 0 ? { admitted: false, retryAfterMs: waitMs } : undefined;
}

/** The limiter's name for the account `email`, known or not. */
const accountKey = (email: string) => sha256Hex(normalizeEmail(email));

/**
 * Runs `check` (a password or another secret of the account `email`) unless the account, the
 * client's address or the pair must wait, in which case it throws Throttled before `check` costs
 * anything. A failure (`succeeded` false) stays counted. A success clears the pair's count and the
 * account's back-off and makes the address known to the account, but only takes this attempt off
 * the address's count: else an attacker's own account could reset it. An error thrown by `check`
 * counts as nothing.
 */
export async function guardCredential<T>(
  deps: LimiterDeps,
  email: string,
  check: () => Promise<T>,
  succeeded: (result: T) => boolean = Boolean,
): Promise<T> {
  const now = deps.now().getTime();
  const address = addressGroup(deps.clientAddress);
  const account = await accountKey(email);
  const [pairName, addressName] = [`pair:${account}:${address}`, `address:${address}`];
  const kept = keptRefusal([pairName, addressName], now);
  if (kept) throw throttled([kept]);
  const pair = deps.namespace.getByName(pairName);
  const accountObject = deps.namespace.getByName(`account:${account}`);
  const addressObject = deps.namespace.getByName(addressName);
  const objects = [pair, accountObject, addressObject];
  const verdicts = await Promise.all([
    pair.admit(deps.rules.pair, now),
    accountObject.admitWithBackoff(deps.rules.account, now, address),
    addressObject.admit(deps.rules.address, now),
  ]);
  keepRefusal(pairName, verdicts[0], now);
  keepRefusal(addressName, verdicts[2], now);
  const releaseAll = () =>
    Promise.all(verdicts.map((verdict, i) => (verdict.admitted ? objects[i]?.release(verdict.ticket) : undefined)));
  if (verdicts.some((verdict) => !verdict.admitted)) {
    await releaseAll();
    throw throttled(verdicts);
  }
  let result: T;
  try {
    result = await check();
  } catch (error) {
    await releaseAll();
    throw error;
  }
  if (succeeded(result)) {
    const [, , addressVerdict] = verdicts;
    await Promise.all([
      pair.forget(),
      accountObject.succeeded(address, now, deps.rules.account.knownForMs),
      addressVerdict?.admitted && addressObject.release(addressVerdict.ticket),
    ]);
  }
  return result;
}

/** Counts one `request` from the client's address, or throws Throttled: the object and the ticket. */
async function admitFromAddress(deps: LimiterDeps, request: LimitedRequest) {
  const now = deps.now().getTime();
  const name = `${request}:${addressGroup(deps.clientAddress)}`;
  const kept = keptRefusal([name], now);
  if (kept) throw throttled([kept]);
  const object = deps.namespace.getByName(name);
  const verdict = await object.admit(deps.rules.requests[request], now);
  keepRefusal(name, verdict, now);
  if (!verdict.admitted) throw throttled([verdict]);
  return { object, ticket: verdict.ticket };
}

/** Counts one `request` from the client's address, or throws Throttled when its limit is reached. */
export async function guardRequest(deps: LimiterDeps, request: LimitedRequest): Promise<void> {
  await admitFromAddress(deps, request);
}

/**
 * Counts one `request` for the account `email`, known or not; false when its limit is reached. It
 * throws nothing: a caller over an account's limit must get the same answer as any other.
 */
export async function admitAccountRequest(deps: LimiterDeps, request: AccountRequest, email: string): Promise<boolean> {
  const account = await accountKey(email);
  const rule = deps.rules.accountRequests[request];
  const verdict = await deps.namespace.getByName(`${request}:${account}`).admit(rule, deps.now().getTime());
  return verdict.admitted;
}

/**
 * Runs `find` (the account a token sent by mail belongs to) unless the client's address has failed
 * `request` too often, in which case it throws Throttled first. Only failures (nothing found) stay
 * counted.
 */
export async function guardAttempt<T>(deps: LimiterDeps, request: LimitedRequest, find: () => Promise<T | undefined>) {
  const { object, ticket } = await admitFromAddress(deps, request);
  const found = await find().catch(async (error: unknown) => {
    await object.release(ticket);
    throw error;
  });
  if (found !== undefined) await object.release(ticket);
  return found;
}

/**
 * Clears the failures counted against the account `email`: its back-off, and its pair with the
 * client's address (a password reset proves the owner). Pairs with other addresses are not
 * found by account and run out by themselves.
 */
export async function forgetAccountFailures(deps: LimiterDeps, email: string): Promise<void> {
  const account = await accountKey(email);
  const pairName = `pair:${account}:${addressGroup(deps.clientAddress)}`;
  keptRefusals.delete(pairName);
  await Promise.all([
    deps.namespace.getByName(pairName).forget(),
    deps.namespace.getByName(`account:${account}`).forget(),
  ]);
}
