import { describe, expect, it } from "vitest";
import COMMON_PASSWORDS from "../../src/services/common-passwords.txt";
import { validatePassword } from "../../src/services/password-validators";
import { quickRatio } from "../../src/services/quick-ratio";

const TOO_SHORT = "This password is too short. It must contain at least 8 characters.";
const TOO_COMMON = "This password is too common.";
const NUMERIC = "This password is entirely numeric.";
const similarTo = (verboseName: string) => `The password is too similar to the ${verboseName}.`;

const STRONG = "vX7#qLm2!rTz9wKp";

describe("validatePassword", () => {
  it("accepts a long, uncommon password unrelated to the user", () => {
    expect(validatePassword(STRONG, { email: "alice@example.com", fullName: "Alice Liddell" })).toEqual([]);
  });

  it("refuses a password under 8 characters with Django's message", () => {
    expect(validatePassword("xK4#qz!", {})).toEqual([TOO_SHORT]);
    expect(validatePassword("xK4#qz!w", {})).toEqual([]);
  });

  it("counts characters as Python does, not UTF-16 units", () => {
    expect(validatePassword("😀😀😀😀xyz", {})).toEqual([TOO_SHORT]);
  });

  it("refuses an entirely numeric password", () => {
    expect(validatePassword("90381274651", {})).toEqual([NUMERIC]);
    expect(validatePassword("90381274x65", {})).toEqual([]);
  });

  it("counts digits as Python's str.isdigit() does, superscripts included", () => {
    expect(validatePassword("²³²³²³²³", {})).toEqual([NUMERIC]);
    expect(validatePassword("½½½½½½½½", {})).toEqual([]);
  });

  it("refuses a common password whatever its case and surrounding spaces", () => {
    expect(validatePassword("password123", {})).toEqual([TOO_COMMON]);
    expect(validatePassword("  PassWord123 ", {})).toEqual([TOO_COMMON]);
    expect(validatePassword("iloveyou", {})).toEqual([TOO_COMMON]);
    expect(validatePassword("qwertyuiop", {})).toEqual([TOO_COMMON]);
  });

  it("refuses what Django's own list holds", () => {
    for (const password of ["firefox1", "JOHNATHAN1", "happy1234", "december13"]) {
      expect(validatePassword(password, {})).toEqual([TOO_COMMON]);
    }
  });

  it("finds every entry of the bundled list, so the list is in the order its search expects", () => {
    const entries = COMMON_PASSWORDS.split("\n").slice(0, -1);
    expect(entries).toHaveLength(19_727);
    expect(entries.filter((entry) => !validatePassword(entry, {}).includes(TOO_COMMON))).toEqual([]);
  });

  it("strips the whitespace Python strips, no more", () => {
    expect(validatePassword("\x1cpassword\x85", {})).toEqual([TOO_COMMON]);
    expect(validatePassword("\ufeffpassword", {})).toEqual([]);
  });

  it("does not count an empty or blank password as common", () => {
    expect(validatePassword("", {})).toEqual([TOO_SHORT]);
    expect(validatePassword("          ", {})).toEqual([]);
  });

  it("reports every failing validator in Django's order", () => {
    expect(validatePassword("9034127", {})).toEqual([TOO_SHORT, NUMERIC]);
    expect(validatePassword("12345678", {})).toEqual([TOO_COMMON, NUMERIC]);
    expect(validatePassword("iloveu", {})).toEqual([TOO_SHORT, TOO_COMMON]);
    expect(validatePassword("885522", {})).toEqual([TOO_SHORT, TOO_COMMON, NUMERIC]);
    expect(validatePassword("alice", { email: "alice@example.com" })).toEqual([
      similarTo("email address"),
      TOO_SHORT,
      TOO_COMMON,
    ]);
  });
});

// Expected outcomes from Django's algorithm run in Python (difflib.SequenceMatcher.quick_ratio).
describe("similarity to the user's attributes", () => {
  it.each([
    ["johnsmith123", { fullName: "John Smith" }, "full name"],
    ["JohnSmith", { firstName: "John", lastName: "Smith" }, "last name"],
    ["smithjohn", { email: "john.smith@example.com" }, "email address"],
    ["alice2024", { email: "alice@example.com" }, "email address"],
    ["examplecom", { email: "alice@example.com" }, "email address"],
    ["alice@example.co", { email: "alice@example.com" }, "email address"],
    ["liddell1", { fullName: "Alice Liddell" }, "full name"],
    ["alice.liddell", { username: "alice_liddell" }, "username"],
  ])("refuses %s as too similar to %o", (password, user, verboseName) => {
    expect(validatePassword(password, user)).toContain(similarTo(verboseName));
  });

  it.each([
    ["johnsmith123", { email: "john.smith@example.com" }],
    ["horsestaple", { email: "alice@example.com", fullName: "John Smith" }],
    ["xqzvwkalphrt", { firstName: "Al" }],
    ["elbereth-gilthoniel", { firstName: "Al" }],
    [STRONG, { username: "vx7", firstName: "", email: "q@x.io" }],
  ])("accepts %s against %o", (password, user) => {
    expect(validatePassword(password, user)).toEqual([]);
  });
});

// Expected values from Python 3.11: difflib.SequenceMatcher(None, a, b).quick_ratio().
describe("quickRatio, the port of difflib's quick_ratio", () => {
  it.each([
    ["abcd", "bcde", 0.75],
    ["johnsmith123", "john smith", 0.8181818181818182],
    ["password", "passw0rd", 0.875],
    ["qabxcd", "abycdf", 0.6666666666666666],
    ["private thread", "private volume", 0.6428571428571429],
    ["", "", 1],
    ["abc", "", 0],
    ["tide", "diet", 1],
    ["elbereth", "gilthoniel", 0.4444444444444444],
    ["aaaaab", "aaab", 0.8],
    ["lètmein", "letmein", 0.8571428571428571],
    ["😀a😀b", "a😀b", 0.8571428571428571],
  ])("scores %s against %s as Python does", (a, b, expected) => {
    expect(quickRatio(a, b)).toBe(expected);
  });
});
