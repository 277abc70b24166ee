import { describe, expect, it } from 'vitest';
import { compareText } from '../harness/util/compare-text.ts';
import { mulberry32 } from '../harness/util/prng.ts';

const collate = new Intl.Collator('en').compare;
const sign = (n: number) => Math.sign(n);
const ALPHABET =
  ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('compareText', () => {
  it('orders every pair of fast-alphabet characters as the root collation does', () => {
    for (const a of ALPHABET)
      for (const b of ALPHABET) {
        expect([a, b, sign(compareText(a, b))]).toEqual([a, b, sign(collate(a, b))]);
        expect(sign(compareText(`x${a}y`, `x${b}`))).toBe(sign(collate(`x${a}y`, `x${b}`)));
      }
  });

  it('orders random names (prefixes, case, punctuation) as the root collation does', () => {
    const rnd = mulberry32(7);
    const pick = (s: string) => s[Math.floor(rnd() * s.length)]!;
    const names: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = 1 + Math.floor(rnd() * 8);
      // Few letters, so that prefixes, equal letters in another case and punctuation ties occur.
      const chars = rnd() < 0.5 ? 'abAB.-_:1' : ALPHABET;
      names.push(Array.from({ length: len }, () => pick(chars)).join(''));
    }
    names.push('com.google.android.gms', 'third-party:com.example', 'tencent-bugly', 'device-id', '');
    for (let i = 0; i + 1 < names.length; i++) {
      const [a, b] = [names[i]!, names[i + 1]!];
      expect([a, b, sign(compareText(a, b))]).toEqual([a, b, sign(collate(a, b))]);
    }
    expect([...names].sort(compareText)).toEqual([...names].sort(collate));
  });

  it('falls back to the collator for other characters (accents, CJK, controls)', () => {
    const names = ['é', 'e', 'f', 'E', '微信', 'wechat', 'a\u0301', 'á', 'ß', 'ss', 'a\u0000b', 'ab', 'Ω'];
    expect([...names].sort(compareText)).toEqual([...names].sort(collate));
  });
});
