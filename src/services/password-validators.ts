// Django's four default password validators (django.contrib.auth.password_validation, 4.2+), with
// their English messages, run in the order of the AUTH_PASSWORD_VALIDATORS that startproject writes.
// Lengths count code points, as Python's len() does.
import COMMON_PASSWORDS from "./common-passwords.txt";
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
// Python's str.isdigit(), short of the few non-decimal digits (superscripts, circled numbers) it adds.
const ALL_DIGITS = /^\p{Nd}+$/u;

// Built on first use and then shared by every request in the isolate: it is derived from an
// immutable bundled constant, so sharing it cannot carry one request's data into another.
let commonPasswords: Set<string> | undefined;

function countCodePoints(text: string): number {
  return Array.from(text).length;
}

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

// The bundled list holds only entries of MIN_LENGTH or more (see scripts/generate-common-passwords.ts),
// so a short common password padded with spaces to pass the length check is not caught, unlike Django.
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS.trim().split("\n"));
  return commonPasswords.has(password.toLowerCase().trim());
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
  if (ALL_DIGITS.test(password)) messages.push("This password is entirely numeric.");
  return messages;
}
