import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_HASH_LIMITS, readDjangoHash } from "../../src/services/django-hashes";
import { hashPassword, verifyPassword } from "../../src/services/passwords";
import { pureJsPbkdf2, WEBCRYPTO_MAX_ITERATIONS } from "../../src/services/pbkdf2";
import dump from "../fixtures/django/output/drf.json";
import passwords from "../fixtures/django/output/passwords.json";

// Hashes made by Django 3.2 (test/fixtures/django/make_fixtures.py), with their passwords.
const hashOf = (email: string): string => {
  const record = dump.find(
    (entry) => entry.model === "accounts.user" && "email" in entry.fields && entry.fields.email === email,
  );
  if (!record || !("password" in record.fields) || !record.fields.password) throw new Error(`no fixture user ${email}`);
  return record.fields.password;
};
const passwordOf = (email: string) => (passwords as Record<string, string>)[email] ?? "";
const reasonFor = (email: string) => {
  const reading = readDjangoHash(hashOf(email), DEFAULT_HASH_LIMITS);
  return "mustReset" in reading ? reading.mustReset : undefined;
};

afterEach(() => vi.restoreAllMocks());

describe("Django's other hashers", () => {
  it.each(["sha1@example.com", "scrypt@example.com"])("verifies %s's hash and asks for a rehash", async (email) => {
    expect(await verifyPassword(passwordOf(email), hashOf(email))).toEqual({ valid: true, needsRehash: true });
  });

  it("names why argon2, bcrypt_sha256, unusable and over-ceiling hashes must be reset", () => {
    expect(reasonFor("argon@example.com")).toMatch(/argon2/);
    expect(reasonFor("bcrypt@example.com")).toMatch(/bcrypt_sha256/);
    expect(reasonFor("nopassword@example.com")).toMatch(/unusable/);
    expect(reasonFor("crafted@example.com")).toMatch(/5000000 PBKDF2 iterations/);
    expect(reasonFor("john.patient@example.com")).toBeUndefined();
  });

  it("refuses scrypt parameters that would take more memory than a login may use", () => {
    const huge = hashOf("scrypt@example.com").replace("scrypt$16384$", "scrypt$1048576$");
    expect(readDjangoHash(huge, DEFAULT_HASH_LIMITS)).toEqual({ mustReset: expect.stringMatching(/N=1048576/) });
  });
});

// Local workerd runs PBKDF2 at any count, a deployed Worker throws above 100,000: only this test
// would notice a change that hands WebCrypto more (a new default, a slow hash sent the wrong way).
describe("the 100,000-iteration cap on WebCrypto", () => {
  it("is never exceeded, by our hashes or by checking an imported 1,000,000-iteration one", async () => {
    expect(WEBCRYPTO_MAX_ITERATIONS).toBe(100_000);
    const webCrypto = vi.spyOn(crypto.subtle, "deriveBits");
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive").mockResolvedValue(new Uint8Array(32));
    await hashPassword("any password at all");
    await verifyPassword(passwordOf("strong@example.com"), hashOf("strong@example.com"));
    const counts = webCrypto.mock.calls.map(([algorithm]) => (algorithm as { iterations: number }).iterations);
    expect(counts).toEqual([100_000]);
    expect(pureJs.mock.calls.map(([, , , iterations]) => iterations)).toEqual([1_000_000]);
  });
});
