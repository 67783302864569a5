// CSRF tokens for the admin site's forms, the second layer after the Origin check (hono/csrf).
// A token is an HMAC of what it is bound to: the session id once logged in, and before that a random
// nonce in a cookie of its own (a signed double-submit cookie, OWASP's recommendation for login
// forms). Nothing is stored. Anyone can fetch the login page for a valid nonce and token of their
// own, so the login token holds only as long as no one can plant their nonce in a victim's browser:
// hence the `__Host-` cookie (see cookies.ts), which no other site can set.

import { toHex } from "../services/hex";

export type CsrfPurpose = "login" | "session";

const encoder = new TextEncoder();

// Imported once per isolate and secret, not once per form: every staff request makes a token.
const macKeys = new Map<string, Promise<CryptoKey>>();

function macKey(secret: string): Promise<CryptoKey> {
  let key = macKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    macKeys.set(secret, key);
  }
  return key;
}

// The key is JWT_SECRET; the label keeps these MACs apart from JWT signatures, whose input is
// base64url and so can never start with it.
async function mac(secret: string, purpose: CsrfPurpose, binding: string): Promise<Uint8Array> {
  const data = encoder.encode(`admin-csrf:${purpose}:${binding}`);
  return new Uint8Array(await crypto.subtle.sign("HMAC", await macKey(secret), data));
}

/** The token the forms of this session (or this login nonce) carry in `csrf_token`. */
export async function csrfToken(secret: string, purpose: CsrfPurpose, binding: string): Promise<string> {
  return toHex(await mac(secret, purpose, binding));
}

/** Whether a submitted token is `expected`, compared in constant time. */
export function isSameToken(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== "string" || expected === "") return false;
  const [want, given] = [encoder.encode(expected), encoder.encode(submitted)];
  return given.byteLength === want.byteLength && crypto.subtle.timingSafeEqual(given, want);
}

/** Whether a submitted token is the one for this binding. */
export async function isValidCsrfToken(
  secret: string,
  purpose: CsrfPurpose,
  binding: string,
  submitted: unknown,
): Promise<boolean> {
  return binding !== "" && isSameToken(await csrfToken(secret, purpose, binding), submitted);
}
