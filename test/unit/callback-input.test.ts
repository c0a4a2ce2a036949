// What a user pastes (a bare code or the whole callback URL) and what a callback carries: read
// without ever throwing anything but our error family; a refusal in it stops the flow.
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { assertNoCallbackError, parseCallbackInput, readCallbackParams } from '../../scripts/lib/oauth/callback-input.js';
import { refusalOf as failure } from '../support/refusals.js';

const SOURCE = '--code';

describe('parseCallbackInput', () => {
  test('a bare code is the code', () => {
    expect(parseCallbackInput('  abc123  ', SOURCE)).toEqual({ code: 'abc123' });
  });

  test('a whole callback URL gives code, state and where it came back to', () => {
    expect(parseCallbackInput('http://127.0.0.1:8080/cb?code=c0de&state=st4te', SOURCE)).toEqual({ code: 'c0de', state: 'st4te', returnedTo: 'http://127.0.0.1:8080/cb' });
  });

  test('a fragment carries them too; the query wins when both do', () => {
    expect(parseCallbackInput('https://app.example/cb#code=frag&state=s', SOURCE)).toMatchObject({ code: 'frag', state: 's' });
    expect(parseCallbackInput('https://app.example/cb?code=q#code=frag', SOURCE).code).toBe('q');
  });

  test('a query string alone ("code=...&state=...") is read as one', () => {
    expect(parseCallbackInput('?code=abc&state=x', SOURCE)).toMatchObject({ code: 'abc', state: 'x' });
  });

  test('empty, whitespace in a bare code, or "{{" are usage errors (exit 2)', () => {
    expect(failure(() => parseCallbackInput('   ', SOURCE)).code).toBe('missing_code');
    expect(failure(() => parseCallbackInput('abc def', SOURCE)).code).toBe('malformed_code');
    expect(failure(() => parseCallbackInput('{{client_secret}}', SOURCE)).exitCode).toBe(2);
    expect(failure(() => parseCallbackInput('https://x.example/cb?code={{client_secret}}', SOURCE)).exitCode).toBe(2);
  });

  test('a URL without a code names where it points, escaped (no control character reaches the message)', () => {
    const error = failure(() => parseCallbackInput('https://evil.example/p\u202eath?state=x', SOURCE));
    expect(error.code).toBe('missing_code');
    expect(error.message).toContain('it points at https://evil.example/p%E2%80%AEath');
    const raw = failure(() => parseCallbackInput('code=&x=\u001b[2J', SOURCE));
    expect(raw.message).not.toMatch(/\p{Cc}/u);
  });

  test('a pasted error= URL is a refusal (exit 3), its text escaped', () => {
    const error = failure(() => parseCallbackInput('http://127.0.0.1/cb?error=access_denied&error_description=No%1B%5B31m%E2%80%8B&code=c', SOURCE));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('access_denied');
    expect(error.message).toContain('No\\e[31m\\u200b');
  });

  test('a query string without its leading "?" is read as one too, and a "?" inside a value stays', () => {
    expect(parseCallbackInput('code=abc&state=x', SOURCE)).toMatchObject({ code: 'abc', state: 'x' });
    expect(parseCallbackInput('code=a?b&state=s', SOURCE)).toMatchObject({ code: 'a?b', state: 's' });
  });

  test('only a string starting with a scheme is a URL: "://" further in is part of a bare code', () => {
    expect(parseCallbackInput('0a://b', SOURCE)).toEqual({ code: '0a://b' });
    const error = failure(() => parseCallbackInput('https://app.example/cb', SOURCE));
    expect(error.code).toBe('missing_code');
    expect(error.message).toContain('(it points at https://app.example/cb)');
  });

  test('each refusal of a pasted code says what is wrong and names where the code came from', () => {
    expect(failure(() => parseCallbackInput('   ', SOURCE)).message).toBe('The code from --code is empty. Pass the code, or the whole URL the browser landed on after you approved.');
    expect(failure(() => parseCallbackInput('abc def', SOURCE)).message).toBe(
      'The code from --code contains whitespace, so it is not an authorization code. Paste just the code, or the whole callback URL in quotes.',
    );
    expect(failure(() => parseCallbackInput('{{client_secret}}', SOURCE)).message).toMatch(/^The authorization code from --code contains "\{\{"/);
    expect(failure(() => parseCallbackInput('https://x.example/cb?code={{client_secret}}', SOURCE)).message).toMatch(/^The authorization code in the URL from --code contains "\{\{"/);
  });

  test('a query string without a code says so, with no "points at" part (there is no URL to point at)', () => {
    expect(failure(() => parseCallbackInput('state=x', SOURCE)).message).toMatch(/^The URL from --code has no code parameter\. Paste the URL the browser landed on/);
  });

  const urlish = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.tuple(fc.webUrl(), fc.dictionary(fc.constantFrom('code', 'state', 'error', 'error_description', 'x'), fc.string({ unit: 'binary' }))).map(([u, q]) => `${u}?${new URLSearchParams(q)}`),
    fc.array(fc.constantFrom('code=', 'state=', 'error=', '?', '#', '&', '%', '%ZZ', '{{', ' ', '\n', 'http://', '//[', ':', 'x')).map((a) => a.join('')),
  );
  test.prop([urlish])('any string: a code without whitespace or "{{", or an error of our family', (raw) => {
    try {
      const parsed = parseCallbackInput(raw, SOURCE);
      expect(parsed.code).not.toMatch(/\s/);
      expect(parsed.code).not.toContain('{{');
    } catch (error) {
      expect(error).toBeInstanceOf(DribbbleOAuthError);
      expect([2, 3]).toContain((error as DribbbleOAuthError).exitCode);
      expect((error as Error).message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
  });

  test.prop([urlish])('readCallbackParams never throws', (raw) => {
    expect(readCallbackParams(raw).params).toBeInstanceOf(URLSearchParams);
  });
});

describe('assertNoCallbackError', () => {
  test('no error parameter: nothing', () => {
    expect(() => assertNoCallbackError(new URLSearchParams('code=x'))).not.toThrow();
  });

  test('a refusal without a description names the error and its meaning, nothing in between', () => {
    const error = failure(() => assertNoCallbackError(new URLSearchParams('error=access_denied')));
    expect(error.message).toMatch(/^The authorization failed: access_denied\. \S/);
  });

  test.prop([fc.dictionary(fc.constantFrom('error', 'error_description', 'code', 'state'), fc.string({ unit: 'binary' }))])(
    'any parameters: nothing, or a refusal (exit 3) whose text is escaped',
    (params) => {
      try {
        assertNoCallbackError(new URLSearchParams(params));
        expect(params.error ?? '').toBe('');
      } catch (error) {
        expect(error).toBeInstanceOf(DribbbleOAuthError);
        expect((error as DribbbleOAuthError).exitCode).toBe(3);
        expect((error as Error).message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
        expect((error as DribbbleOAuthError).code).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      }
    },
  );
});
