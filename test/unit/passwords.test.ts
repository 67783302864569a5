import { afterEach, describe, expect, it, vi } from "vitest";
import { hashPassword, PBKDF2_ITERATIONS, verifyAgainstDummy, verifyPassword } from "../../src/services/passwords";
import { pureJsPbkdf2 } from "../../src/services/pbkdf2";

// Made with Python: "pbkdf2_sha256$%d$%s$%s" % (n, salt, b64encode(hashlib.pbkdf2_hmac("sha256",
// password.encode(), salt.encode(), n)).decode()), which is what Django's PBKDF2PasswordHasher writes.
const PYTHON_HASH = "pbkdf2_sha256$100000$RFf7pPwQ3hN1kZ2sT9vYxa$zSODwYA5pELDWtPxbFxkYvsmlpTxU8WKxG4Mct5lrnc=";
const PYTHON_PASSWORD = "correct horse battery staple";
const PYTHON_UNICODE_HASH = "pbkdf2_sha256$100000$seasaltseasaltseasalt0$eE+pYHBMnvHIxc4xDQ2Xg2bgdLGwh8QOD/Fk8PLTrMU=";
const PYTHON_1000_ROUNDS_HASH =
  "pbkdf2_sha256$1000$oldSaltOld1000abcdefgh$FvOW8uLbcMV/SOu8G+9IedLPx/cloa73As/cFK1lNww=";
const PYTHON_SHORT_SALT_HASH = "pbkdf2_sha256$100000$shortsalt$JvOP8LcnEPS5Ay0VA156wVuQrsH167zV1aGr5cNaTIc=";
// Django 5.1's default count: a genuine hash of PYTHON_PASSWORD that a deployed Worker cannot check.
const PYTHON_870000_ROUNDS_HASH =
  "pbkdf2_sha256$870000$RFf7pPwQ3hN1kZ2sT9vYxa$NrpTeVGlkpZgypAsK2ICnZ4it1XUfBCJsTF+J8iZ98Q=";

const INVALID = { valid: false, needsRehash: false };

afterEach(() => vi.restoreAllMocks());

describe("hashPassword", () => {
  it("writes Django's pbkdf2_sha256 format with a 22-character alphanumeric salt", async () => {
    const encoded = await hashPassword("s3cret-Passw0rd");
    expect(encoded).toMatch(/^pbkdf2_sha256\$100000\$[a-zA-Z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
  });

  it("salts every hash afresh", async () => {
    const [first, second] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(first).not.toBe(second);
    expect(first?.split("$")[2]).not.toBe(second?.split("$")[2]);
  });
});

describe("the iteration count", () => {
  it("never exceeds the 100,000 PBKDF2 iterations that deployed Workers allow", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    const iterations = Number((await hashPassword("any password")).split("$")[1]);
    expect(iterations).toBe(PBKDF2_ITERATIONS);
    expect(iterations).toBeLessThanOrEqual(100_000);
  });
});

describe("verifyPassword", () => {
  it("accepts the password a fresh hash was made from, and nothing else", async () => {
    const encoded = await hashPassword("round trip pässwörd");
    expect(await verifyPassword("round trip pässwörd", encoded)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword("round trip passwörd", encoded)).toEqual(INVALID);
    expect(await verifyPassword("", encoded)).toEqual(INVALID);
  });

  it("accepts a hash computed independently with Python's hashlib", async () => {
    expect(await verifyPassword(PYTHON_PASSWORD, PYTHON_HASH)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword("lètmein ünïcode", PYTHON_UNICODE_HASH)).toEqual({ valid: true, needsRehash: false });
  });

  it("refuses a password one character away from the hashed one", async () => {
    expect(await verifyPassword("correct horse battery stapler", PYTHON_HASH)).toEqual(INVALID);
    expect(await verifyPassword("Correct horse battery staple", PYTHON_HASH)).toEqual(INVALID);
  });

  it("accepts an older, cheaper hash and asks for it to be rehashed", async () => {
    expect(await verifyPassword("hunter2hunter2", PYTHON_1000_ROUNDS_HASH)).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword("hunter2hunter3", PYTHON_1000_ROUNDS_HASH)).toEqual(INVALID);
  });

  it("asks for a rehash when the salt is shorter than the current scheme's", async () => {
    expect(await verifyPassword("short-salt-pw", PYTHON_SHORT_SALT_HASH)).toEqual({ valid: true, needsRehash: true });
  });

  it("refuses iteration counts above MAX_IMPORTED_PBKDF2_ITERATIONS without running them", async () => {
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive");
    const limits = { maxImportedPbkdf2Iterations: 500_000 };
    expect(await verifyPassword(PYTHON_PASSWORD, PYTHON_870000_ROUNDS_HASH, limits)).toEqual(INVALID);
    expect(pureJs).not.toHaveBeenCalled();
  });

  it("checks a count above 100,000 in pure JS, never in WebCrypto, and asks for a rehash", async () => {
    const webCrypto = vi.spyOn(crypto.subtle, "deriveBits");
    const pureJs = vi.spyOn(pureJsPbkdf2, "derive");
    const wrongByOne = PYTHON_HASH.replace("$100000$", "$100001$");
    expect(await verifyPassword(PYTHON_PASSWORD, wrongByOne)).toEqual(INVALID);
    expect(pureJs).toHaveBeenCalledTimes(1);
    expect(webCrypto).not.toHaveBeenCalled();
  });

  it.each([
    ["an empty string", ""],
    ["an argon2 hash", "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$qfWk0Z2TsbHxyBJ6VwO+5g"],
    ["a bcrypt_sha256 hash", "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuuJ2tS1m5kq8a3Iu0qMs2y1Zy8w3lCBqK"],
    ["a non-numeric iteration count", "pbkdf2_sha256$abc$x$y"],
    ["zero iterations", "pbkdf2_sha256$0$RFf7pPwQ3hN1kZ2sT9vYxa$zSODwYA5pELDWtPxbFxkYvsmlpTxU8WKxG4Mct5lrnc="],
    ["a negative iteration count", "pbkdf2_sha256$-1$salt$hash"],
    ["a zero-padded iteration count", PYTHON_HASH.replace("$100000$", "$0100000$")],
    ["an absurd iteration count", "pbkdf2_sha256$99999999999999999999$salt$hash"],
    ["an empty salt", "pbkdf2_sha256$1000$$FvOW8uLbcMV/SOu8G+9IedLPx/cloa73As/cFK1lNww="],
    ["an empty hash", "pbkdf2_sha256$1000$oldSaltOld1000abcdefgh$"],
    ["a truncated hash", PYTHON_HASH.slice(0, -4)],
    ["too many fields", `${PYTHON_HASH}$extra`],
    ["too few fields", "pbkdf2_sha256$100000$RFf7pPwQ3hN1kZ2sT9vYxa"],
    ["an unusable-password marker", "!Xq3bdYQ9rG0FHbLcqv4m2sNRjG1ar1cBuWmD0nEQ"],
  ])("refuses %s without throwing", async (_name, encoded) => {
    await expect(verifyPassword(PYTHON_PASSWORD, encoded)).resolves.toEqual(INVALID);
  });
});

describe("verifyAgainstDummy", () => {
  it("runs the hash for an unknown email and resolves without a result", async () => {
    await expect(verifyAgainstDummy("whatever was typed")).resolves.toBeUndefined();
  });
});

// Counted rather than timed: each call of WebCrypto's PBKDF2, with its iteration count.
function countDerivations(): () => number[] {
  const deriveBits = vi.spyOn(crypto.subtle, "deriveBits");
  return () => deriveBits.mock.calls.map(([algorithm]) => (algorithm as { iterations: number }).iterations);
}

describe("the work a verification costs", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ["a current hash", PYTHON_HASH],
    ["an unusable-password marker", "!Xq3bdYQ9rG0FHbLcqv4m2sNRjG1ar1cBuWmD0nEQ"],
    [
      "an iteration count over MAX_IMPORTED_PBKDF2_ITERATIONS",
      PYTHON_870000_ROUNDS_HASH.replace("$870000$", "$5000000$"),
    ],
    ["a malformed hash", "pbkdf2_sha256$abc$x$y"],
    ["an empty string", ""],
  ])("is one derivation of 100,000 rounds for %s", async (_name, encoded) => {
    const derivations = countDerivations();
    await verifyPassword("a wrong password", encoded);
    expect(derivations()).toEqual([PBKDF2_ITERATIONS]);
  });

  it("is the same for an unknown email", async () => {
    const derivations = countDerivations();
    await verifyAgainstDummy("a wrong password");
    expect(derivations()).toEqual([PBKDF2_ITERATIONS]);
  });
});
