// One user, two naming conventions: `/auth/` has `fullName`, `/api/users/` has `first_name` and
// `last_name`. Whichever side is written, all three columns are stored, so both APIs always show a
// name and the side that was written reads back exactly as given.

const FIRST_NAME_MAX = 150;
const LAST_NAME_MAX = 150;
const FULL_NAME_MAX = 255;

export interface Names {
  fullName: string;
  firstName: string;
  lastName: string;
}

/** "Mary Ann Smith" -> "Mary Ann" + "Smith": the last word is taken as the family name. */
export function splitFullName(fullName: string): { firstName: string; lastName: string } {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  const lastName = words.length > 1 ? (words.pop() ?? "") : "";
  return { firstName: words.join(" ").slice(0, FIRST_NAME_MAX), lastName: lastName.slice(0, LAST_NAME_MAX) };
}

/** "Mary Ann" + "Smith" -> "Mary Ann Smith", as Django's `get_full_name()` joins them. */
export function joinNames(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim().slice(0, FULL_NAME_MAX);
}

/**
 * The name columns to store for a write: a full name also sets the parts; a part (the other part
 * kept from `current`) also sets the full name. Parts that change nothing change nothing, so a form
 * that sends the names back as they were does not re-derive a full name written through /auth/.
 */
export function namesToStore(
  input: Partial<Names>,
  current: { firstName: string; lastName: string } = { firstName: "", lastName: "" },
): Partial<Names> {
  if (input.fullName !== undefined) return { fullName: input.fullName, ...splitFullName(input.fullName) };
  const firstName = input.firstName ?? current.firstName;
  const lastName = input.lastName ?? current.lastName;
  if (firstName === current.firstName && lastName === current.lastName) return {};
  return { firstName, lastName, fullName: joinNames(firstName, lastName) };
}
