// Django's four default password validators, as django.contrib.auth.password_validation has them in
// Django 3.2.25 (Debian bookworm's python3-django), with their English messages, run in the order of
// the AUTH_PASSWORD_VALIDATORS that startproject writes. test/fixtures/django-password-verdicts.json
// holds that Django's own verdicts on a sample, and a unit test checks that ours agree.
import COMMON_PASSWORDS from "./common-passwords.txt";
import { countCodePoints, isPythonDigits, pythonStrip } from "./python-text";
import { quickRatio } from "./quick-ratio";

export type PasswordUser = {
  username?: string;
  email?: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
};

const MIN_LENGTH = 8;
const MAX_SIMILARITY = 0.7;
// Django's default attributes and order (username, first_name, last_name, email) with their verbose
// names, plus this project's full name.
const SIMILARITY_ATTRIBUTES: readonly (readonly [keyof PasswordUser, string])[] = [
  ["username", "username"],
  ["firstName", "first name"],
  ["lastName", "last name"],
  ["fullName", "full name"],
  ["email", "email address"],
];
// Python's `\W` on str: anything but a Unicode letter, number or underscore.
const NON_WORD = /[^\p{L}\p{N}_]+/u;

// Built on first use and then shared by every request in the isolate: it is derived from an
// immutable bundled constant, so sharing it cannot carry one request's data into another. A sorted
// array, searched by halves: splitting the text costs about 2 ms, where a Set of its ~20,000 entries
// would cost about 15 ms of the first request's CPU time.
let commonPasswords: readonly string[] | undefined;

// Django's exceeds_maximum_length_ratio: a value this much shorter than the password cannot reach
// the threshold, so the comparison is skipped (it bounds the cost on long passwords).
function exceedsMaximumLengthRatio(password: string, value: string): boolean {
  const passwordLength = countCodePoints(password);
  const valueLength = countCodePoints(value);
  return passwordLength >= 10 * valueLength && valueLength < (MAX_SIMILARITY / 2) * passwordLength;
}

function findSimilarAttribute(password: string, user: PasswordUser): string | undefined {
  const candidate = password.toLowerCase();
  for (const [attribute, verboseName] of SIMILARITY_ATTRIBUTES) {
    const value = user[attribute]?.toLowerCase();
    if (!value) continue;
    for (const part of [...value.split(NON_WORD), value]) {
      if (exceedsMaximumLengthRatio(candidate, part)) continue;
      if (quickRatio(candidate, part) >= MAX_SIMILARITY) return verboseName;
    }
  }
  return undefined;
}

// Django's whole list (scripts/generate-common-passwords.ts), short entries too: Django reports a
// short common password as both too short and too common, and a padded one ("  iloveu  ") as common.
function isCommonPassword(password: string): boolean {
  // One entry a line, the last line ending with "\n" too, sorted by UTF-16 code units (the generator's
  // sort()), which is the order `<` compares strings in.
  commonPasswords ??= COMMON_PASSWORDS.split("\n").slice(0, -1);
  const candidate = pythonStrip(password.toLowerCase());
  let low = 0;
  let high = commonPasswords.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    // middle < high <= length: never undefined.
    if ((commonPasswords[middle] as string) < candidate) low = middle + 1;
    else high = middle;
  }
  return commonPasswords[low] === candidate;
}

/**
 * Runs Django's UserAttributeSimilarity, MinimumLength, CommonPassword and NumericPassword validators
 * and returns every failure message; an empty list means the password is acceptable.
 */
export function validatePassword(password: string, user: PasswordUser): string[] {
  const messages: string[] = [];
  const similarTo = findSimilarAttribute(password, user);
  if (similarTo) messages.push(`The password is too similar to the ${similarTo}.`);
  if (countCodePoints(password) < MIN_LENGTH) {
    messages.push(`This password is too short. It must contain at least ${MIN_LENGTH} characters.`);
  }
  if (isCommonPassword(password)) messages.push("This password is too common.");
  if (isPythonDigits(password)) messages.push("This password is entirely numeric.");
  return messages;
}
