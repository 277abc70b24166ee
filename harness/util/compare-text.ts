// The order of names (categories, SDKs) in findings and reports: the root collation's, as
// `Intl.Collator('en')` gives it — the same on every machine, whatever the analyst's locale (a
// default-locale collator sorted findings differently under, say, LANG=da_DK or lt_LT).
// Building an ICU collator costs 6–8 ms of every `analyze` and `report`; names made of ASCII
// letters, digits, space and the punctuation below (all our SDK, category and permission names)
// are compared here instead, by the collation's own weights: each of these characters has one
// primary weight of its own, in ORDER, with no contraction, and case is a tertiary difference
// (lowercase first). test/compare-text.test.ts checks this against Intl.Collator('en').

/** The fast alphabet in root-collation order of primary weights (an uppercase letter: its lowercase's). */
const ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';
const RANK = new Int8Array(128).fill(-1);
for (let i = 0; i < ORDER.length; i++) RANK[ORDER.charCodeAt(i)] = i;
for (let c = 65; c <= 90; c++) RANK[c] = RANK[c + 32]!;

let collator: Intl.Collator | undefined;

function fast(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || RANK[c]! < 0) return false;
  }
  return true;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` in the root collation. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!fast(a) || !fast(b)) {
    collator ??= new Intl.Collator('en');
    return collator.compare(a, b);
  }
  // Primary level: the first differing weight, else the shorter string first.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = RANK[a.charCodeAt(i)]! - RANK[b.charCodeAt(i)]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  // Tertiary level (same letters, other case): the first lowercase / uppercase difference.
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y ? -1 : 1; // 'a' (97) before 'A' (65)
  }
  return 0;
}
