// Failed admin logins counted in KV, per account and per client address, in fixed windows. KV has
// no atomic increment and is eventually consistent across locations: concurrent failures can count
// once, and an attacker spread over many data centres gets more tries. It is a speed bump against
// password guessing, not an exact limit (a Durable Object would be one).
//
// Only the address count refuses a try outright. A full account count makes wrong passwords wait
// but never refuses the right one: anyone may fail for any account, so a count that locked the
// account would let strangers keep its owner out with a few tries per window.

import { normalizeEmail } from "../db/users";
import { type FailureCounter, kvKey, kvTtl } from "../kv";
import { addressGroup } from "./address-group";
import { sha256Hex } from "./hex";

export interface ThrottleSettings {
  kv: KVNamespace;
  maxFailures: number;
  windowSeconds: number;
  now?: () => number;
}

/** Where a login attempt comes from: an account (by email) and an IP address (counted by its group). */
export interface LoginSource {
  email: string;
  ip: string;
}

const nowSeconds = (settings: ThrottleSettings) => settings.now?.() ?? Math.floor(Date.now() / 1000);

// Emails are hashed so that KV listings hold no addresses; the hash also bounds the key's length.
async function counterKeys(source: LoginSource): Promise<[string, string]> {
  return [
    kvKey("adminThrottleAccount", await sha256Hex(normalizeEmail(source.email))),
    kvKey("adminThrottleAddress", addressGroup(source.ip)),
  ];
}

async function read(settings: ThrottleSettings, key: string): Promise<FailureCounter | undefined> {
  const counter = await settings.kv.get<FailureCounter>(key, "json");
  return counter && counter.resetAt > nowSeconds(settings) ? counter : undefined;
}

/** Seconds until the account's and the address's counts open again; 0 for one that is not full. */
export async function loginWaits(
  settings: ThrottleSettings,
  source: LoginSource,
): Promise<{ account: number; address: number }> {
  const counters = await Promise.all((await counterKeys(source)).map((key) => read(settings, key)));
  const now = nowSeconds(settings);
  const [account = 0, address = 0] = counters.map((counter) =>
    counter && counter.failures >= settings.maxFailures ? Math.max(0, counter.resetAt - now) : 0,
  );
  return { account, address };
}

/** Counts a failed login against both the account and the address. */
export async function recordLoginFailure(settings: ThrottleSettings, source: LoginSource): Promise<void> {
  const now = nowSeconds(settings);
  await Promise.all(
    (await counterKeys(source)).map(async (key) => {
      const counter = (await read(settings, key)) ?? { failures: 0, resetAt: now + settings.windowSeconds };
      const next = { failures: counter.failures + 1, resetAt: counter.resetAt };
      const expirationTtl = kvTtl(next.resetAt - now);
      await settings.kv.put(key, JSON.stringify(next), { expirationTtl });
    }),
  );
}

/**
 * Forgets an account's failures after it logs in. The address keeps its count: else an attacker
 * with one account of their own could reset it between guesses at others.
 */
export async function clearAccountFailures(settings: ThrottleSettings, email: string): Promise<void> {
  const [accountKey] = await counterKeys({ email, ip: "" });
  await settings.kv.delete(accountKey);
}
