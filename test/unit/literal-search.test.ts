// LiteralIndex and replaceInOrder: the detector's near-linear search and replace must give exactly
// what the plain loops they stand for give (a naive scan, `text.split(l).join(w)` in turn), on small
// alphabets where literals overlap, repeat, nest in each other and in the replacement texts.
import { describe, expect } from 'vitest';
import { LiteralIndex, replaceInOrder, type Replacement } from '../../scripts/lib/secrets/literal-search.js';
import { fc, test } from '../support/property.js';

/** Every occurrence, overlapping ones included, the slow way. */
function naiveOccurrences(text: string, literals: string[]): Array<{ at: number; literal: string }> {
  const out: Array<{ at: number; literal: string }> = [];
  for (const literal of new Set(literals)) {
    if (!literal) continue;
    for (let at = text.indexOf(literal); at !== -1; at = text.indexOf(literal, at + 1)) out.push({ at, literal });
  }
  return out;
}
const byPlace = (a: { at: number; literal: string }, b: { at: number; literal: string }) => a.at - b.at || (a.literal < b.literal ? -1 : a.literal > b.literal ? 1 : 0);
const naiveReplace = (text: string, replacements: Replacement[]) => replacements.reduce((t, r) => t.split(r.literal).join(r.with), text);

// Few characters, so that literals overlap and recur; brackets, so that some replacements are
// "settled" (one pass) and some are not (a split of their own).
const letters = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 4 });
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '{', '}', '<', '>'), maxLength: 60 });
const withText = fc.oneof(
  fc.constantFrom('{{access_token}}', '{{code}}', '<redacted>', '<a>', '{b}'),
  fc.string({ unit: fc.constantFrom('a', 'b', 'x', '{', '>'), maxLength: 4 }),
);
const replacement = fc.record({ literal: fc.oneof(letters, fc.string({ unit: fc.constantFrom('a', '{', '>'), minLength: 1, maxLength: 3 })), with: withText });

describe('LiteralIndex', () => {
  test('finds overlapping occurrences of each literal, and of literals of one length sharing a hash bucket', () => {
    const found = [...new LiteralIndex(['aa', 'ab', 'aba', '']).occurrences('aaabab')].sort(byPlace);
    expect(found).toEqual([
      { at: 0, literal: 'aa' },
      { at: 1, literal: 'aa' },
      { at: 2, literal: 'ab' },
      { at: 2, literal: 'aba' },
      { at: 4, literal: 'ab' },
    ]);
  });

  test('a literal at the very end and one as long as the text are found; a longer one is not', () => {
    expect([...new LiteralIndex(['cd', 'abcd', 'abcde']).occurrences('abcd')].sort(byPlace)).toEqual([
      { at: 0, literal: 'abcd' },
      { at: 2, literal: 'cd' },
    ]);
  });

  test('counts one length per group of equal-length literals, and ignores the empty literal and repeats', () => {
    expect(new LiteralIndex(['ab', 'cd', 'ab', '', 'xyz']).size).toBe(2);
    expect([...new LiteralIndex(['ab', 'ab']).occurrences('abab')]).toEqual([
      { at: 0, literal: 'ab' },
      { at: 2, literal: 'ab' },
    ]);
  });

  // Two literals whose rolling hashes are equal (97·65537 + 2000 ≡ 1121·65537 + 971 mod 67108859):
  // both must be found, each only where it really is.
  test('literals that share a hash are both kept, and each found only where its characters are', () => {
    const one = String.fromCharCode(97, 2000);
    const other = String.fromCharCode(1121, 971);
    expect((97 * 65_537 + 2000) % 67_108_859).toBe((1121 * 65_537 + 971) % 67_108_859);
    const index = new LiteralIndex([one, other]);
    expect([...index.occurrences(`${one}x${other}`)].sort(byPlace)).toEqual([
      { at: 0, literal: one },
      { at: 3, literal: other },
    ]);
    expect([...index.occurrences(`xx${other}`)]).toEqual([{ at: 2, literal: other }]);
    expect([...new LiteralIndex([other, one]).occurrences(`${one}`)]).toEqual([{ at: 0, literal: one }]);
  });

  test('a window past the modulus: characters above U+FFFF and long literals keep the rolling hash exact', () => {
    const long = '\u{1F600}z'.repeat(40);
    const haystack = `x${long}y${long}`;
    expect([...new LiteralIndex([long]).occurrences(haystack)].map((o) => o.at)).toEqual([1, 2 + long.length]);
  });

  test.prop([text, fc.array(fc.oneof(letters, fc.string({ unit: fc.constantFrom('{', 'a', '>'), maxLength: 3 })), { maxLength: 6 })])(
    'finds exactly what a naive scan finds',
    (haystack, literals) => {
      expect([...new LiteralIndex(literals).occurrences(haystack)].sort(byPlace)).toEqual(naiveOccurrences(haystack, literals).sort(byPlace));
    },
  );
});

describe('replaceInOrder', () => {
  // Each case: the text, the replacements in order, and what the splits in turn give (checked too).
  const r = (...pairs: Array<[string, string]>): Replacement[] => pairs.map(([literal, w]) => ({ literal, with: w }));
  test.each([
    ['earlier literals win where they overlap later ones; a literal does not overlap itself', 'abcaaab', r(['bc', '<1>'], ['abc', '<2>'], ['aa', '<3>']), 'a<1><3>ab'],
    ['a later literal is taken wherever no earlier one overlaps it, even after an earlier one it does not touch', 'abccba', r(['cc', '{{a}}'], ['ab', '{{b}}'], ['ba', '{{c}}']), '{{b}}{{a}}{{c}}'],
    ['a literal given twice is replaced once, as its second split would find nothing', 'abcdab', r(['ab', '<x>'], ['cd', '<y>'], ['ab', '<z>']), '<x><y><x>'],
    // Not bracketed: each is a split of its own, in its turn ("aab" becomes "aa", and no "ab" is left for the last).
    ['a replacement that could make a new occurrence is a split of its own, in its turn', 'aabxy', r(['ab', 'a'], ['xy', '<1>'], ['ab', 'q']), 'aa<1>'],
    ['a literal inside a replacement text ("access" in "{{access_token}}") is replaced there too', 'tok access zz', r(['tok', '{{access_token}}'], ['access', '<redacted>'], ['zz', '<2>']), '{{<redacted>_token}} <redacted> <2>'],
    ['nothing found leaves the text as it is', 'abc', r(['xx', '<1>'], ['yy', '<2>'], ['zz', '<3>']), 'abc'],
  ])('%s', (_name, text, replacements, expected) => {
    expect(naiveReplace(text, replacements)).toBe(expected);
    expect(replaceInOrder(text, replacements)).toBe(expected);
  });

  // Only a replacement text bracketed at both ends, of a literal holding no bracket, may share a pass:
  // anything else can make an occurrence of a later literal across its edge, which the later split sees.
  test.each([
    ['a replacement text not bracketed at its start', 'cx', [{ literal: 'x', with: 'a<1>' }, { literal: 'ca', with: '<2>' }, { literal: 'zz', with: '<3>' }], '<2><1>'],
    ['a replacement text not bracketed at its end', 'xc', [{ literal: 'x', with: '<1>a' }, { literal: 'ac', with: '<2>' }, { literal: 'zz', with: '<3>' }], '<1><2>'],
    ['a replacement text with no bracket', 'xb', [{ literal: 'x', with: 'a' }, { literal: 'ab', with: '<1>' }, { literal: 'zz', with: '<2>' }], '<1>'],
    ['literals holding brackets', '<ax', [{ literal: '<a', with: '<1>' }, { literal: '>x', with: '<2>' }, { literal: 'zz', with: '<3>' }], '<1<2>'],
    // Two such replacements in a row: one pass would take both at once.
    ['replacement texts not bracketed at their start, side by side', 'cx', [{ literal: 'x', with: 'a<1>' }, { literal: 'ca', with: 'b<2>' }, { literal: 'zz', with: 'c<3>' }], 'b<2><1>'],
    ['replacement texts not bracketed at their end, side by side', 'xc', [{ literal: 'x', with: '<1>a' }, { literal: 'ac', with: '<2>b' }, { literal: 'zz', with: '<3>c' }], '<1><2>b'],
    ['literals of brackets only', '<}', [{ literal: '<', with: '{a}' }, { literal: '}}', with: '{b}' }, { literal: 'zz', with: '{c}' }], '{a{b}'],
  ])('%s: a later literal formed across its edge is replaced, as its split would', (_name, text, replacements, expected) => {
    expect(naiveReplace(text, replacements)).toBe(expected);
    expect(replaceInOrder(text, replacements)).toBe(expected);
  });

  test.prop([text, fc.array(replacement, { maxLength: 7 })])('gives exactly the splits and joins in turn', (haystack, replacements) => {
    expect(replaceInOrder(haystack, replacements)).toBe(naiveReplace(haystack, replacements));
  });

  test.prop([fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 80 }), fc.uniqueArray(letters, { minLength: 3, maxLength: 8 })])(
    'bracketed replacements of overlapping literals (the one-pass path): exactly the splits in turn',
    (haystack, literals) => {
      const replacements = literals.map((literal, i) => ({ literal, with: i % 2 ? `<${i}>` : `{{v${i}}}` }));
      expect(replaceInOrder(haystack, replacements)).toBe(naiveReplace(haystack, replacements));
    },
  );
});
