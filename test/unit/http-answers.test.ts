// What an answer means before its body is read: redirects, refusals, "not now" with the wait,
// and the echo of a body (short, one line, no credential in clear).
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { assertNotRedirectedOrRefused, describeRetryWait, firstLine, maskCredentials, parseJsonBody, quotedServerMessage } from '../../scripts/lib/http/http-answers.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const TARGET = 'https://api.dribbble.com/v2/user';

function refusal(status: number, headers: Record<string, string> = {}, body = ''): DribbbleOAuthError | undefined {
  try {
    assertNotRedirectedOrRefused({ status, headers, body }, TARGET, 'The request', 'Remedy.');
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    return error as DribbbleOAuthError;
  }
}

describe('describeRetryWait', () => {
  test('Retry-After wins over X-RateLimit-Reset when both are sent (N24)', () => {
    const reset = String(NOW / 1000 + 600);
    expect(describeRetryWait({ 'retry-after': '30', 'x-ratelimit-reset': reset }, NOW)).toBe('in 30 s (Retry-After)');
    expect(describeRetryWait({ 'retry-after': 'Thu, 01 Jan 2026 12:00:45 GMT', 'x-ratelimit-reset': reset }, NOW)).toBe('at 12:00:45 UTC (in 45 s) (Retry-After)');
  });

  test('X-RateLimit-Reset (epoch seconds) when Retry-After is absent or unreadable', () => {
    const reset = String(NOW / 1000 + 90);
    expect(describeRetryWait({ 'x-ratelimit-reset': reset }, NOW)).toBe('at 12:01:30 UTC (in 90 s) (X-RateLimit-Reset)');
    expect(describeRetryWait({ 'retry-after': 'soon', 'x-ratelimit-reset': reset }, NOW)).toBe('at 12:01:30 UTC (in 90 s) (X-RateLimit-Reset)');
  });

  test('a date in the past is "in 0 s"; nothing readable says the server did not say', () => {
    expect(describeRetryWait({ 'retry-after': 'Thu, 01 Jan 2026 11:00:00 GMT' }, NOW)).toContain('(in 0 s)');
    expect(describeRetryWait({ 'x-ratelimit-reset': 'x' }, NOW)).toBe('later (the server said not when)');
    expect(describeRetryWait({}, NOW)).toBe('later (the server said not when)');
  });
});

describe('assertNotRedirectedOrRefused', () => {
  test('a 2xx or a 4xx other than 401/403/429 passes to the caller', () => {
    expect(refusal(200)).toBeUndefined();
    expect(refusal(404)).toBeUndefined();
  });

  test('a redirect is exit 5 naming only the origin of its Location (its query may hold a secret)', () => {
    const error = refusal(302, { location: 'https://evil.example/steal?token=Secret-0123456789abcdef' })!;
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('https://evil.example');
    expect(error.message).not.toContain('Secret-0123456789abcdef');
    expect(refusal(301, {})!.message).toContain('nowhere (no Location header)');
  });

  test('401 and 403 are refusals (exit 3) quoting the API message, escaped', () => {
    const e401 = refusal(401, {}, JSON.stringify({ message: 'Bad\u001b[31m credentials' }))!;
    expect(e401.exitCode).toBe(3);
    expect(e401.message).toContain('("Bad\\e[31m credentials")');
    expect(refusal(403)!.exitCode).toBe(3);
  });

  test('429 and 5xx are exit 4 with the wait', () => {
    const e429 = refusal(429, { 'retry-after': '17' })!;
    expect(e429.exitCode).toBe(4);
    expect(e429.message).toContain('in 17 s (Retry-After)');
    const e503 = refusal(503, {}, '<html>\n<h1>Down</h1>')!;
    expect(e503.exitCode).toBe(4);
    expect(e503.message).toContain('<html>');
  });

  test.prop([fc.integer({ min: 100, max: 599 }), fc.dictionary(fc.constantFrom('location', 'retry-after', 'x-ratelimit-reset', 'content-type'), fc.string()), fc.string({ unit: 'binary' })])(
    'any status, headers and body: passes, or an error of our family with exit 3, 4 or 5',
    (status, headers, body) => {
      const error = refusal(status, headers, body);
      if (error) expect([3, 4, 5]).toContain(error.exitCode);
    },
  );
});

describe('the echo of a body', () => {
  const TOKEN = 'Echo-t0ken-0123456789abcdefghijklmn';
  test('firstLine: the first non-empty line, cut at 200 characters, escaped', () => {
    expect(firstLine('\n\n  hello \nworld')).toBe('hello');
    expect(firstLine('')).toBe('(empty body)');
    expect(firstLine('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`);
    expect(firstLine('a\u001bb\u200bc')).toBe('a\\eb\\u200bc');
  });

  test('credential values are masked in JSON and form spellings', () => {
    expect(maskCredentials(`{"access_token": "${TOKEN}", "x": 1}`)).not.toContain(TOKEN);
    expect(maskCredentials(`access_token=${TOKEN}&token_type=bearer`)).not.toContain(TOKEN);
    expect(maskCredentials(`{"refresh_token":"${TOKEN}"}`)).not.toContain(TOKEN);
    expect(firstLine(`{"code":"${TOKEN}","client_secret":"${TOKEN}"}`)).not.toContain(TOKEN);
    expect(quotedServerMessage({ status: 400, headers: {}, body: JSON.stringify({ message: `token=${TOKEN}` }) })).not.toContain(TOKEN);
  });

  test.prop([fc.string({ unit: 'binary' })])('firstLine is one line with no control or invisible character', (body) => {
    expect(firstLine(body)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  });

  test('parseJsonBody: objects only, a leading BOM ignored', () => {
    expect(parseJsonBody({ status: 200, headers: {}, body: '\ufeff{"a":1}' })).toEqual({ a: 1 });
    expect(parseJsonBody({ status: 200, headers: {}, body: '[1]' })).toBeUndefined();
    expect(parseJsonBody({ status: 200, headers: {}, body: 'nope' })).toBeUndefined();
  });
});

describe('what the echo registers', () => {
  test('a short word under a credential key is masked in the echo but not registered (our own words stay readable)', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    expect(maskCredentials('{"code":"rate_limited"}')).not.toContain('rate_limited');
    expect(redact('error [rate_limited]')).toBe('error [rate_limited]');
    maskCredentials('{"token":"Long-credential-0123456789"}');
    expect(redact('x Long-credential-0123456789')).not.toContain('Long-credential-0123456789');
  });
});
