import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import type { AdminEnv, Flash } from "./admin-env";

// No `__Host-` prefix: it demands Path=/, and these cookies belong to /admin alone.
export const SESSION_COOKIE = "admin_session";
const LOGIN_COOKIE = "admin_login";
const FLASH_COOKIE = "admin_flash";
const FLASH_SECONDS = 60;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * HttpOnly, SameSite=Strict, Path=/admin; Secure except over plain http to this machine, where a
 * browser would drop a Secure cookie (`npm run dev`, the browser tests).
 */
export function cookieOptions(c: Context, maxAge?: number): CookieOptions {
  const url = new URL(c.req.url);
  const secure = !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
  return { path: "/admin", httpOnly: true, sameSite: "Strict", secure, ...(maxAge ? { maxAge } : {}) };
}

export function clearCookie(c: Context, name: string): void {
  deleteCookie(c, name, cookieOptions(c));
}

/**
 * The login form's CSRF nonce (see csrf.ts) is `__Host-admin_login`: Secure, Path=/ and no Domain,
 * so neither a sibling subdomain nor a plain-http page can plant one of its own. Over plain http
 * to this machine a browser would drop it, so there it is `admin_login` and only the Origin check
 * stands (cookies do not keep ports apart: any local page may set it).
 */
function loginCookieOptions(c: Context): CookieOptions {
  const options = cookieOptions(c);
  return options.secure ? { ...options, prefix: "host" } : options;
}

export function getLoginNonce(c: Context): string | undefined {
  return getCookie(c, LOGIN_COOKIE, loginCookieOptions(c).prefix);
}

export function setLoginNonce(c: Context, nonce: string): void {
  setCookie(c, LOGIN_COOKIE, nonce, loginCookieOptions(c));
}

export function clearLoginNonce(c: Context): void {
  deleteCookie(c, LOGIN_COOKIE, loginCookieOptions(c));
}

/** Leaves a message for the next page this browser shows. */
export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, JSON.stringify(flash), cookieOptions(c, FLASH_SECONDS));
}

/** The message left for this page, if any; it is shown once. */
export function takeFlash(c: Context<AdminEnv>): Flash | undefined {
  const value = getCookie(c, FLASH_COOKIE);
  if (value === undefined) return undefined;
  clearCookie(c, FLASH_COOKIE);
  try {
    const flash = JSON.parse(value) as Flash;
    if ((flash.kind === "success" || flash.kind === "error") && typeof flash.text === "string") return flash;
  } catch {
    // A mangled cookie is dropped like an empty one.
  }
  return undefined;
}
