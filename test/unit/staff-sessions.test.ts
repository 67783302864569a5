import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createAdminSession,
  resumeAdminSession,
  type StaffSessionStore,
  sessionKey,
} from "../../src/services/staff-sessions";

const LOGIN = 1_800_000_000;
const TWELVE_HOURS = 43_200;

/** A store on a clock the test moves. */
function storeAt(clock: { now: number }): StaffSessionStore {
  return { kv: env.AUTH_KV, idleSeconds: 1800, maxSeconds: TWELVE_HOURS, now: () => clock.now };
}

describe("admin sessions", () => {
  it("end at their absolute lifetime after login, however busy they were", async () => {
    const clock = { now: LOGIN };
    const store = storeAt(clock);
    const id = await createAdminSession(store, { id: 1, tokenVersion: 0 });
    // Used every 20 minutes, so never idle for long.
    for (clock.now = LOGIN + 1200; clock.now < LOGIN + TWELVE_HOURS; clock.now += 1200) {
      expect(await resumeAdminSession(store, id), String(clock.now - LOGIN)).toBeDefined();
    }
    clock.now = LOGIN + TWELVE_HOURS - 1;
    expect(await resumeAdminSession(store, id)).toBeDefined();
    clock.now = LOGIN + TWELVE_HOURS;
    expect(await resumeAdminSession(store, id)).toBeUndefined();
    expect(await env.AUTH_KV.get(await sessionKey(id))).toBeNull();
  });

  it("still end when idle for the idle time, well within their lifetime", async () => {
    const clock = { now: LOGIN };
    const store = storeAt(clock);
    const id = await createAdminSession(store, { id: 1, tokenVersion: 0 });
    clock.now = LOGIN + 1800;
    expect(await resumeAdminSession(store, id)).toBeUndefined();
  });
});
