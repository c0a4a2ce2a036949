// maskSecret, encodedForms and redact: a secret never shows in full, in any spelling it travels in.
import { fc, test } from '../support/property.js';
import { describe, expect, vi } from 'vitest';

// A fresh registry of secrets for this file, even when modules are shared between runs (Stryker's
// runs are not isolated): the properties below register hundreds of secrets.
vi.resetModules();
const { describeJsonError, encodedForms, maskSecret, redact, registerSecret } = await import('../../scripts/lib/core/redaction.js');

const secretText = (min: number, max: number) => fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max });

describe('maskSecret', () => {
  test('a long secret (24+) shows its first four and last four characters around an ellipsis', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwx')).toBe('abcd…uvwx');
    expect(maskSecret('0123456789012345678901234567890123456789')).toBe('0123…6789');
  });

  test('a secret of 12 to 23 characters shows only its first two', () => {
    expect(maskSecret('abcdefghijkl')).toBe('ab…');
    expect(maskSecret('abcdefghijklmnopqrstuvw')).toBe('ab…');
  });

  test('a secret under 12 characters shows nothing of itself', () => {
    expect(maskSecret('abcdefghijk')).toBe('…');
    expect(maskSecret('abcd')).toBe('…');
    expect(maskSecret('')).toBe('…');
  });

  // O12: a short secret (8–23 characters) was shown in full by the mask.
  test.prop([secretText(8, 23)])('a short secret of 8 to 23 characters is never shown in full, nor more than two of its characters', (secret) => {
    const mask = maskSecret(secret);
    expect(mask).not.toBe(secret);
    expect(mask.replace('…', '').length).toBeLessThanOrEqual(2);
    expect(mask.endsWith('…')).toBe(true);
  });

  test.prop([secretText(1, 200)])('no mask gives away more than a third of the secret, and every mask holds the ellipsis', (secret) => {
    const mask = maskSecret(secret);
    expect(mask).toContain('…');
    expect(mask.replace('…', '').length * 3).toBeLessThanOrEqual(secret.length);
  });
});

describe('encodedForms', () => {
  test('a plain secret has one spelling', () => {
    expect(encodedForms('abcDEF123')).toEqual(['abcDEF123']);
  });

  test('every spelling a request or an echo gives it: raw, percent (upper and lower hex), form with "+", JSON, JSON with "\\/"', () => {
    const forms = encodedForms('a b/c"é');
    expect(forms).toEqual(['a b/c"é', 'a%20b%2Fc%22%C3%A9', 'a%20b%2fc%22%c3%a9', 'a+b%2Fc%22%C3%A9', 'a b/c\\"é', 'a b\\/c\\"é']);
  });

  test.prop([fc.string({ minLength: 1, maxLength: 40 })])('each spelling decodes back to the secret, and none is listed twice', (secret) => {
    const forms = encodedForms(secret);
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms[0]).toBe(secret);
    expect(forms).toContain(encodeURIComponent(secret));
    expect(forms).toContain(new URLSearchParams({ s: secret }).toString().slice(2));
    expect(forms).toContain(JSON.stringify(secret).slice(1, -1));
  });
});

describe('redact', () => {
  test('text with no registered secret passes unchanged', () => {
    expect(redact('nothing secret here: abc 123')).toBe('nothing secret here: abc 123');
  });

  test('a registered secret is masked wherever it stands, every time it stands there', () => {
    registerSecret('unit-secret-ABCDEFGHIJKLMNOP');
    expect(redact('x unit-secret-ABCDEFGHIJKLMNOP y unit-secret-ABCDEFGHIJKLMNOP')).toBe('x unit…MNOP y unit…MNOP');
  });

  // O13: the form-encoded spelling of a secret (space as "+") was not masked.
  test('the form-encoded spelling of a secret, with "+" for its spaces, is masked', () => {
    const secret = 'form secret with spaces 123';
    registerSecret(secret);
    const body = `client_secret=${new URLSearchParams({ s: secret }).toString().slice(2)}&code=x`;
    expect(body).toContain('form+secret+with+spaces+123');
    expect(redact(body)).toBe(`client_secret=${maskSecret(secret)}&code=x`);
  });

  test('percent-encoded spellings in either hex case and JSON-escaped spellings are masked', () => {
    const secret = 'per/cent"secret:ÄBCDEFGH';
    registerSecret(secret);
    const shown = maskSecret(secret);
    for (const form of encodedForms(secret)) expect(redact(`[${form}]`)).toBe(`[${shown}]`);
  });

  test('a secret that contains another registered secret is masked whole, not in pieces', () => {
    registerSecret('innerABCDEFGH');
    registerSecret('outer-innerABCDEFGH-outer-12345');
    expect(redact('outer-innerABCDEFGH-outer-12345')).toBe('oute…2345');
  });

  test('values under four characters are not registered: they would mask ordinary words', () => {
    registerSecret('the');
    registerSecret('');
    registerSecret(undefined);
    expect(redact('the cat')).toBe('the cat');
    registerSecret('word');
    expect(redact('a word')).toBe('a …');
  });

  test.prop([fc.string({ minLength: 8, maxLength: 60 }).filter((s) => s.trim() === s && !s.includes('…')), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })])(
    'a registered secret never survives redact, raw or encoded, whatever surrounds it',
    (secret, before, after) => {
      registerSecret(secret);
      for (const form of encodedForms(secret)) expect(redact(`${before}${form}${after}`)).not.toContain(secret);
    },
  );
});

describe('describeJsonError: a parse error about a file never quotes the file', () => {
  const secret = 'S3cr3t-0123456789abcdefABCDEF';
  // The last ones put quotes inside V8's excerpt (a pairing of quotes would show the text between).
  const broken = [secret, `{"client_secret": "${secret}",}`, `{"values":[{"value":"${secret}"},]}`, `[1, ${secret}]`, `{"a": "${secret}\u0001"}`, `{"a": "${secret}`, `["${secret}",x${secret}]`, `["${secret.slice(0, 3)}","",x${secret}]`, `"${secret}"x`];

  test('for JSON broken right at, in or after a secret: no 4 characters of it in a row, and the message still says what is wrong', () => {
    for (const text of broken) {
      let error: unknown;
      try {
        JSON.parse(text);
      } catch (e) {
        error = e;
      }
      const shown = describeJsonError(error);
      for (let i = 0; i + 4 <= secret.length; i++) expect(shown, text).not.toContain(secret.slice(i, i + 4));
      expect(shown, text).toMatch(/JSON|Unexpected|Unterminated|Bad control/);
    }
  });

  // Audit: the message was cut at its first line break, which can fall inside V8's excerpt, and the
  // rest of the excerpt (the file's text up to the break) was shown.
  test.prop([fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\r', 'x', '1'), maxLength: 8 }), fc.string({ unit: fc.constantFrom('{', '}', '"', ',', ' ', '\n', '\r', '\u2028', 'x'), maxLength: 8 })])(
    'whatever surrounds a short secret, line breaks included, the message shows no 4 characters of it in a row',
    (before, after) => {
      // Short enough for V8's excerpt (about 10 characters from the fault) to reach past its end.
      const short = 'kQ2tZs9w';
      let error: unknown;
      try {
        JSON.parse(`${before}${short}${after}`);
      } catch (e) {
        error = e;
      }
      if (error === undefined) return;
      const shown = describeJsonError(error);
      for (let i = 0; i + 4 <= short.length; i++) expect(shown).not.toContain(short.slice(i, i + 4));
    },
  );

  test('an excerpt holding a line break is not shown either (the text before and after it)', () => {
    for (const text of ['{"s": tZs9kQ2\n', `{"a": ${secret}\n}`, `{"a": x${secret}\r\n`]) {
      let error: unknown;
      try {
        JSON.parse(text);
      } catch (e) {
        error = e;
      }
      expect(describeJsonError(error), text).toMatch(/^Unexpected token '.+', \(text not shown\) is not valid JSON$/);
    }
  });

  test('keeps the position V8 gives and escapes control characters', () => {
    expect(describeJsonError(new SyntaxError('Unexpected token \'x\', "abc\u001b[2J"... is not valid JSON'))).toBe("Unexpected token 'x', (text not shown) is not valid JSON");
    expect(describeJsonError(new SyntaxError('Unterminated string in JSON at position 20'))).toBe('Unterminated string in JSON at position 20');
  });
});
