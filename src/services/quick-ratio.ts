// A port of `difflib.SequenceMatcher(None, a, b).quick_ratio()` (CPython 3.11 Lib/difflib.py), the
// score Django's UserAttributeSimilarityValidator compares with its threshold, so similarity
// decisions match Django's to the bit. It works on code points, as Python's `str` does.

/**
 * `SequenceMatcher(None, a, b).quick_ratio()`: the multiset intersection of the two strings' characters
 * over their total length, an upper bound on `ratio()`. This is the score Django's
 * UserAttributeSimilarityValidator compares with its threshold.
 */
export function quickRatio(a: string, b: string): number {
  const aChars = Array.from(a);
  const bChars = Array.from(b);
  const available = new Map<string, number>();
  for (const char of bChars) available.set(char, (available.get(char) ?? 0) + 1);
  let matches = 0;
  for (const char of aChars) {
    const count = available.get(char) ?? 0;
    available.set(char, count - 1);
    if (count > 0) matches++;
  }
  const length = aChars.length + bChars.length;
  return length === 0 ? 1 : (2 * matches) / length;
}
