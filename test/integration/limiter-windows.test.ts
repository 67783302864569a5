import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { Config } from "../../src/env";
import { limitRules } from "../../src/middleware/services";
import { Throttled } from "../../src/services/domain-errors";
import { guardCredential, guardRequest, type LimiterDeps } from "../../src/services/limiter";
import { randomIp, uniqueEmail } from "../helpers/api";

// The limits as wrangler.toml sets them, through the real Durable Objects, on a clock the test
// moves. It starts in the future, so that no cleanup alarm (set for when rows expire) goes off
// during the run.
const RULES = limitRules(Config.parse(env));
const START = Date.UTC(2031, 0, 1);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
let clock = START;

const from = (clientAddress = randomIp(), rules = RULES): LimiterDeps => ({
  namespace: env.LIMITER,
  rules,
  clientAddress,
  now: () => new Date(clock),
});

/** The wait in seconds a guarded attempt met, or 0 if it was let through to its check. */
async function waitFor(deps: LimiterDeps, email: string, right = false): Promise<number> {
  try {
    await guardCredential(deps, email, async () => right);
    return 0;
  } catch (error) {
    if (error instanceof Throttled) return error.retryAfterSeconds;
    throw error;
  }
}

async function failTimes(count: number, email: string, deps: () => LimiterDeps): Promise<void> {
  for (let i = 0; i < count; i++) expect(await waitFor(deps(), email)).toBe(0);
}

beforeEach(() => {
  clock = START;
});

describe("the limit per account and address", () => {
  it("refuses a 6th try within 15 minutes until the first failure leaves the window", async () => {
    const email = uniqueEmail();
    const pair = from();
    for (let i = 0; i < 5; i++) {
      expect(await waitFor(pair, email)).toBe(0);
      clock += MINUTE;
    }
    // Five failures at minutes 0 to 4; now is minute 5.
    expect(await waitFor(pair, email)).toBe(600);
    expect(await waitFor(pair, email, true)).toBe(600);
    clock = START + 15 * MINUTE;
    expect(await waitFor(pair, email)).toBe(0);
    // The second failure, at minute 1, is the next to leave.
    expect(await waitFor(pair, email)).toBe(60);
  });

  it("clears the pair's failures at a success", async () => {
    const email = uniqueEmail();
    const pair = from();
    await failTimes(4, email, () => pair);
    expect(await waitFor(pair, email, true)).toBe(0);
    await failTimes(5, email, () => pair);
    expect(await waitFor(pair, email)).toBeGreaterThan(0);
  });

  it("counts the same email in any letter case as one account", async () => {
    const email = uniqueEmail();
    const pair = from();
    await failTimes(5, email, () => pair);
    expect(await waitFor(pair, email.toUpperCase())).toBe(900);
  });

  /** A pair refused after 5 failures, whose objects' names are recorded in `asked` as they are looked up. */
  async function refusedPair() {
    const email = uniqueEmail();
    const asked: string[] = [];
    const watching = {
      getByName: (name: string) => {
        asked.push(name);
        return env.LIMITER.getByName(name);
      },
    } as unknown as typeof env.LIMITER;
    const pair = { ...from(), namespace: watching };
    await failTimes(5, email, () => pair);
    expect(await waitFor(pair, email)).toBe(900);
    return { email, asked, pair };
  }

  it("answers a loop of refused tries itself, asking no object again for 30 s", async () => {
    const { email, asked, pair } = await refusedPair();
    const before = asked.length;
    for (let i = 0; i < 10; i++) expect(await waitFor(pair, email, true)).toBe(900);
    clock += 29 * SECOND;
    expect(await waitFor(pair, email)).toBe(871);
    expect(asked).toHaveLength(before);
    clock += SECOND;
    expect(await waitFor(pair, email)).toBe(870);
    expect(asked.length).toBeGreaterThan(before);
    clock = START + 15 * MINUTE;
    expect(await waitFor(pair, email)).toBe(0);
  });

  it("opens within 30 s a pair that was cleared behind the isolate's back, as a reset elsewhere does", async () => {
    const { email, asked, pair } = await refusedPair();
    // Another isolate's password reset forgets the pair in its object; this isolate keeps its refusal.
    const pairName = asked.find((name) => name.startsWith("pair:")) ?? "";
    await env.LIMITER.getByName(pairName).forget();
    clock += 10 * SECOND;
    expect(await waitFor(pair, email)).toBe(890);
    clock += 20 * SECOND;
    expect(await waitFor(pair, email, true)).toBe(0);
  });

  it("counts nothing when the check itself fails", async () => {
    const email = uniqueEmail();
    const pair = from();
    for (let i = 0; i < 6; i++) {
      await expect(guardCredential(pair, email, () => Promise.reject(new Error("database down")))).rejects.toThrow(
        "database down",
      );
    }
    await failTimes(5, email, () => pair);
  });
});

describe("the back-off per account", () => {
  it("makes unknown addresses wait 1 s, 2 s, 4 s, ... after 10 failures within 15 minutes", async () => {
    const email = uniqueEmail();
    await failTimes(10, email, () => from());
    for (const wait of [1, 2, 4, 8, 16]) {
      expect(await waitFor(from(), email)).toBe(wait);
      clock += wait * SECOND - 1;
      expect(await waitFor(from(), email)).toBe(1);
      clock += 1;
      expect(await waitFor(from(), email)).toBe(0);
    }
  });

  it("never waits longer than LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS (15 minutes by default)", async () => {
    expect(RULES.account.maxWaitMs).toBe(15 * MINUTE);
    const rules = { ...RULES, account: { ...RULES.account, maxWaitMs: 5 * SECOND } };
    const email = uniqueEmail();
    await failTimes(10, email, () => from(undefined, rules));
    for (const wait of [1, 2, 4, 5, 5]) {
      expect(await waitFor(from(undefined, rules), email)).toBe(wait);
      clock += wait * SECOND;
      expect(await waitFor(from(undefined, rules), email)).toBe(0);
    }
  });

  it("spares an address that signed in to the account within 30 days", async () => {
    const email = uniqueEmail();
    const home = randomIp();
    expect(await waitFor(from(home), email, true)).toBe(0);
    clock += 29 * 24 * 60 * MINUTE;
    await failTimes(10, email, () => from());
    expect(await waitFor(from(), email)).toBe(1);
    expect(await waitFor(from(home), email, true)).toBe(0);
    // Signing in from home again keeps it known for another 30 days from now.
    await failTimes(10, email, () => from());
    clock += 2 * 24 * 60 * MINUTE;
    await failTimes(10, email, () => from());
    expect(await waitFor(from(home), email)).toBe(0);
  });

  it("stops sparing an address 30 days after its last sign-in", async () => {
    const email = uniqueEmail();
    const home = randomIp();
    expect(await waitFor(from(home), email, true)).toBe(0);
    clock += 30 * 24 * 60 * MINUTE;
    await failTimes(10, email, () => from());
    expect(await waitFor(from(home), email, true)).toBe(1);
  });

  it("resets after a success", async () => {
    const email = uniqueEmail();
    const home = randomIp();
    expect(await waitFor(from(home), email, true)).toBe(0);
    await failTimes(10, email, () => from());
    expect(await waitFor(from(), email)).toBe(1);
    clock += SECOND;
    await failTimes(1, email, () => from());
    expect(await waitFor(from(), email)).toBe(2);
    expect(await waitFor(from(home), email, true)).toBe(0);
    await failTimes(10, email, () => from());
    expect(await waitFor(from(), email)).toBe(1);
  });
});

describe("the limit per address", () => {
  it("makes an address wait after 50 failures within 15 minutes, whatever the accounts", async () => {
    const address = randomIp();
    for (let i = 0; i < 50; i++) {
      expect(await waitFor(from(address), uniqueEmail())).toBe(0);
      if (i === 0) clock += MINUTE;
    }
    expect(await waitFor(from(address), uniqueEmail())).toBe(840);
    expect(await waitFor(from(address), uniqueEmail(), true)).toBe(840);
    expect(await waitFor(from(), uniqueEmail())).toBe(0);
    clock = START + 15 * MINUTE;
    expect(await waitFor(from(address), uniqueEmail())).toBe(0);
    expect(await waitFor(from(address), uniqueEmail())).toBe(60);
  });

  it("keeps counting an address when an account of its own signs in", async () => {
    const address = randomIp();
    for (let i = 0; i < 49; i++) await failTimes(1, uniqueEmail(), () => from(address));
    const own = uniqueEmail();
    expect(await waitFor(from(address), own, true)).toBe(0);
    await failTimes(1, uniqueEmail(), () => from(address));
    expect(await waitFor(from(address), own, true)).toBe(900);
  });
});

describe("the limit on registrations", () => {
  const register = async (deps: LimiterDeps) => {
    try {
      await guardRequest(deps, "registration");
      return 0;
    } catch (error) {
      if (error instanceof Throttled) return error.retryAfterSeconds;
      throw error;
    }
  };

  it("takes 20 an hour from one address", async () => {
    const address = from();
    for (let i = 0; i < 20; i++) expect(await register(address)).toBe(0);
    clock += 10 * MINUTE;
    expect(await register(address)).toBe(3000);
    expect(await register(from())).toBe(0);
    clock = START + 60 * MINUTE;
    expect(await register(address)).toBe(0);
  });

  it("asks the object again 30 s after its refusal, however often the isolate answered meanwhile", async () => {
    const address = from();
    for (let i = 0; i < 20; i++) expect(await register(address)).toBe(0);
    expect(await register(address)).toBe(3600);
    // Cleared behind this isolate's back (as by another isolate): only the object knows.
    await env.LIMITER.getByName(`registration:${address.clientAddress}`).forget();
    for (let i = 1; i < 30; i++) {
      clock += SECOND;
      expect(await register(address)).toBe(3600 - i);
    }
    clock += SECOND;
    expect(await register(address)).toBe(0);
  });
});

describe("the limiter's storage", () => {
  it("is deleted once everything in it has expired", async () => {
    const address = randomIp();
    // A failure counted 16 minutes ago in real time has left its 15-minute window.
    clock = Date.now() - 16 * MINUTE;
    await failTimes(1, uniqueEmail(), () => from(address));
    const stub = env.LIMITER.getByName(`address:${address}`);
    await runDurableObjectAlarm(stub);
    const tables = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables.map((table) => table.name)).not.toContain("attempts");
    // The object works on as a fresh one.
    clock = START;
    await failTimes(1, uniqueEmail(), () => from(address));
  });

  it("keeps what has not expired, and wakes up again when it does", async () => {
    const address = randomIp();
    await failTimes(1, uniqueEmail(), () => from(address));
    const stub = env.LIMITER.getByName(`address:${address}`);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [count, alarm] = await runInDurableObject(stub, async (_, state) => [
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts").one().n,
      await state.storage.getAlarm(),
    ]);
    expect(count).toBe(1);
    expect(alarm).toBe(START + 15 * MINUTE);
  });
});
