// The terminal escaper: outside text never reaches the terminal with a control, bidi, invisible
// format character or line separator; JSON output keeps the same value.
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { sanitizeForTerminal, showUntrusted, terminalSafeJson } from '../../scripts/lib/core/terminal-text.js';

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const FORBIDDEN_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

// Strings rich in what matters: every kind of dangerous character mixed with ordinary text.
const DANGEROUS = [
  '\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u00ad',
  '\u061c', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2028', '\u2029',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064',
  '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\ufff9', '\u{e0001}', '\u{e0041}', '\ud800', '\udfff',
];
const risky = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.constantFrom(...DANGEROUS), fc.string({ maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 2 }))).map((parts) => parts.join('')),
);

describe('showUntrusted', () => {
  test.prop([risky])('any string comes out with no control, bidi, format or separator character', (text) => {
    expect(showUntrusted(text)).not.toMatch(FORBIDDEN);
  });

  test('bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown as escapes', () => {
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(showUntrusted(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16)}b`);
    }
  });

  test('zero-width and invisible format characters are shown: U+200B, U+FEFF, U+2060, U+061C, U+180E', () => {
    expect(showUntrusted('to\u200bken')).toBe('to\\u200bken');
    expect(showUntrusted('\ufeffx\u2060y\u061cz\u180e')).toBe('\\ufeffx\\u2060y\\u061cz\\u180e');
  });

  test('a character beyond the BMP (a tag) is shown as its two UTF-16 escapes', () => {
    expect(showUntrusted('a\u{e0041}')).toBe('a\\udb40\\udc41');
  });

  test('the named controls read as they are written in code; ordinary text, accents and emoji stay', () => {
    expect(showUntrusted('a\nb\rc\td\u001b[31m')).toBe('a\\nb\\rc\\td\\e[31m');
    expect(showUntrusted('Zoë 👋 日本')).toBe('Zoë 👋 日本');
  });
});

describe('sanitizeForTerminal', () => {
  test.prop([risky])('keeps newlines and nothing else of the kind', (text) => {
    const out = sanitizeForTerminal(text);
    expect(out).not.toMatch(FORBIDDEN_BUT_NEWLINE);
    expect(out.split('\n').length).toBe(text.split('\n').length);
  });
});

describe('terminalSafeJson', () => {
  const json = fc.jsonValue().chain((v) => fc.constant(v));
  const withDanger = fc.dictionary(risky, fc.oneof(risky, fc.integer(), fc.boolean(), fc.constant(null)));
  test.prop([fc.oneof(json, withDanger)])('any JSON value: no raw dangerous character, and the same value when parsed', (value) => {
    const out = terminalSafeJson(value);
    expect(out).not.toMatch(FORBIDDEN);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  test('C1, U+2028 and bidi characters become \\u escapes', () => {
    expect(terminalSafeJson({ a: '\u009b\u2028\u202e\u200b' })).toBe('{"a":"\\u009b\\u2028\\u202e\\u200b"}');
  });
});
