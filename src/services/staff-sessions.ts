// Admin-site (staff) sessions in KV. The cookie holds a random 256-bit id; KV holds only its SHA-256, so a
// leaked namespace listing holds no usable session. Pure KV logic: the admin wing uses it (src/admin/).

import { type AdminSessionRecord, kvKey } from "../kv";
import { randomHex, sha256Hex } from "./hex";

// Re-writing the record on every request would cost a KV write per page view (KV allows one write a
// second per key); once a minute keeps the idle timeout accurate to a minute.
export const TOUCH_INTERVAL_SECONDS = 60;
const SESSION_ID = /^[0-9a-f]{64}$/;

export interface StaffSessionStore {
  kv: KVNamespace;
  idleSeconds: number;
  /** The absolute lifetime from login: a session kept busy ends too, so a stolen cookie is not good forever. */
  maxSeconds: number;
  now?: () => number;
}

const nowSeconds = (store: StaffSessionStore) => store.now?.() ?? Math.floor(Date.now() / 1000);

/** The KV key of a session id: its SHA-256, hex. */
export async function sessionKey(id: string): Promise<string> {
  return kvKey("adminSession", await sha256Hex(id));
}

function save(store: StaffSessionStore, key: string, record: AdminSessionRecord) {
  return store.kv.put(key, JSON.stringify(record), { expirationTtl: store.idleSeconds });
}

/** Starts a session for a user who just logged in; returns the id for the cookie. */
export async function createAdminSession(
  store: StaffSessionStore,
  user: { id: number; tokenVersion: number },
): Promise<string> {
  const id = randomHex(32);
  const now = nowSeconds(store);
  await save(store, await sessionKey(id), {
    userId: user.id,
    tokenVersion: user.tokenVersion,
    createdAt: now,
    seenAt: now,
  });
  return id;
}

export interface LiveSession {
  record: AdminSessionRecord;
  /** True when this request moved the idle deadline on, so the cookie should be re-sent too. */
  touched: boolean;
}

/**
 * The live session behind a cookie value, its idle deadline moved on if a minute has passed, or
 * undefined once it has been idle too long or has reached its lifetime. The record's own `seenAt`
 * is checked as well as KV's TTL, so a session ends on time even where KV expires keys late.
 */
export async function resumeAdminSession(store: StaffSessionStore, id: string): Promise<LiveSession | undefined> {
  if (!SESSION_ID.test(id)) return undefined;
  const key = await sessionKey(id);
  const record = await store.kv.get<AdminSessionRecord>(key, "json");
  if (!record) return undefined;
  const now = nowSeconds(store);
  if (now - record.seenAt >= store.idleSeconds || now - record.createdAt >= store.maxSeconds) {
    await store.kv.delete(key);
    return undefined;
  }
  if (now - record.seenAt < TOUCH_INTERVAL_SECONDS) return { record, touched: false };
  const touched = { ...record, seenAt: now };
  await save(store, key, touched);
  return { record: touched, touched: true };
}

/** Ends a session server-side: its cookie is worthless from now on. */
export async function endAdminSession(store: Pick<StaffSessionStore, "kv">, id: string): Promise<void> {
  if (SESSION_ID.test(id)) await store.kv.delete(await sessionKey(id));
}
