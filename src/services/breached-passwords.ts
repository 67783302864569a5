// New passwords checked against Pwned Passwords by k-anonymity
// (https://haveibeenpwned.com/API/v3#PwnedPasswords): only the first 5 hex characters of the
// password's SHA-1 leave the Worker; the answer lists every suffix of that range with its count,
// and the match is made here. `Add-Padding: true` makes every answer a similar size, so that
// its length does not tell an onlooker the range either; the padding lines carry count 0.
import * as z from "zod";
import { digestHex } from "./hex";
import { type PasswordUser, validatePassword } from "./password-validators";

/**
 * The vars that set the check, part of the Worker's Config (src/env.ts) and read alike by the
 * superuser CLI. `on`: refuse breached passwords, and let one through when its range cannot be
 * fetched; `require`: refuse it then too; `off`: no check.
 */
export const BreachCheckVars = z.object({
  PWNED_PASSWORDS_URL: z.url({ protocol: /^https?$/ }).default("https://api.pwnedpasswords.com/range/"),
  BREACHED_PASSWORD_CHECK: z.enum(["on", "require", "off"]).default("on"),
});
export type BreachCheckVars = z.infer<typeof BreachCheckVars>;

/** Where ranges are kept between requests; a range's content changes rarely. */
export interface RangeCache {
  get(prefix: string): Promise<string | null>;
  put(prefix: string, range: string): Promise<void>;
}

export interface BreachCheck {
  mode: BreachCheckVars["BREACHED_PASSWORD_CHECK"];
  /** The range API's base, the prefix appended: `https://api.pwnedpasswords.com/range/`. */
  rangeUrl: string;
  cache?: RangeCache;
}

const RANGE_TIMEOUT_MS = 2000;
export const UNCHECKED_MESSAGE = "We could not check this password right now; try again.";

const RANGE_LINE = /^([0-9A-F]{35}):(\d+)$/;

/** The check the vars describe, its ranges kept in `cache`. */
export function breachCheckFrom(vars: BreachCheckVars, cache?: RangeCache): BreachCheck {
  return { mode: vars.BREACHED_PASSWORD_CHECK, rangeUrl: vars.PWNED_PASSWORDS_URL, cache };
}

/** The range's breached suffixes as `SUFFIX:COUNT` lines, padding dropped. */
async function fetchRange(check: BreachCheck, prefix: string): Promise<string> {
  const response = await fetch(check.rangeUrl + prefix, {
    headers: { "Add-Padding": "true", "User-Agent": "edge-auth" },
    signal: AbortSignal.timeout(RANGE_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`range ${prefix}: HTTP ${response.status}`);
  return (await response.text())
    .split(/\r?\n/)
    .filter((line) => RANGE_LINE.test(line) && !line.endsWith(":0"))
    .join("\n");
}

async function loadRange(check: BreachCheck, prefix: string): Promise<string> {
  const cached = await check.cache?.get(prefix);
  if (cached !== null && cached !== undefined) return cached;
  const range = await fetchRange(check, prefix);
  // A cache that refuses the write (KV takes one write a second per key) only costs a fetch later.
  await check.cache?.put(prefix, range).catch(() => undefined);
  return range;
}

function breachMessage(count: number): string {
  const times = count === 1 ? "1 time" : `${count.toLocaleString("en-US")} times`;
  return `This password has appeared in a data breach ${times}. Choose a different password.`;
}

/** The breach check's verdict on a new password: no message, the breach, or that it could not be checked. */
export async function breachedPasswordErrors(check: BreachCheck, password: string): Promise<string[]> {
  if (check.mode === "off") return [];
  // The range API speaks upper-case hex.
  const hash = (await digestHex("SHA-1", password)).toUpperCase();
  const suffix = hash.slice(5);
  let range: string;
  try {
    range = await loadRange(check, hash.slice(0, 5));
  } catch (error) {
    if (check.mode === "require") return [UNCHECKED_MESSAGE];
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(JSON.stringify({ level: "warn", msg: "breached-password check skipped", reason }));
    return [];
  }
  const line = range.split("\n").find((entry) => entry.startsWith(`${suffix}:`));
  const count = line ? Number(line.slice(suffix.length + 1)) : 0;
  return count > 0 ? [breachMessage(count)] : [];
}

/** Every problem with a new password: Django's validators' messages in their order, then the breach check's. */
export async function newPasswordProblems(check: BreachCheck, password: string, user: PasswordUser): Promise<string[]> {
  return [...validatePassword(password, user), ...(await breachedPasswordErrors(check, password))];
}
