// The few Python `str` semantics that Django's password validators rely on, where JavaScript's
// nearest built-ins differ, as Python 3.11 (Debian bookworm's, Unicode 14) has them. Unicode
// properties (\p{...}) and case mappings are the JavaScript engine's, of a newer Unicode: they differ
// from Python's only on characters assigned since.

// str.isspace(): JavaScript's trim() also strips U+FEFF, which Python keeps, and keeps the
// information separators U+001C-U+001F and NEL (U+0085), which Python strips.
const WHITESPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SURROUNDING_WHITESPACE = new RegExp(`^[${WHITESPACE}]+|[${WHITESPACE}]+$`, "g");
// str.isdigit(): the decimal digits (Nd) and the other characters with Numeric_Type=Digit
// (superscripts, subscripts, circled and parenthesised digits, ...), listed with
// `[c for c in map(chr, range(0x110000)) if c.isdigit() and unicodedata.category(c) != "Nd"]`.
const ALL_DIGITS =
  /^[\p{Nd}\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;

/** Python's `text.strip()`: `text` without the characters `str.isspace()` accepts at either end. */
export function pythonStrip(text: string): string {
  return text.replace(SURROUNDING_WHITESPACE, "");
}

/** Python's `text.isdigit()`: true when `text` is not empty and every character is a digit. */
export function isPythonDigits(text: string): boolean {
  return ALL_DIGITS.test(text);
}

/** Python's `len(text)`: code points, not UTF-16 units. */
export function countCodePoints(text: string): number {
  return Array.from(text).length;
}
