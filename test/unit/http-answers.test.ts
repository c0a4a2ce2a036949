// What an answer means before its body is read: redirects, refusals, "not now" with the wait,
// and the echo of a body (short, one line, no credential in clear).
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import type { ItemRun } from '../../scripts/lib/http/http-exchange.js';
import { assertNotRedirectedOrRefused, describeRetryWait, firstLine, maskCredentials, parseJsonBody, quotedServerMessage, requestedUrl, requireResponse } from '../../scripts/lib/http/http-answers.js';

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

  test('a wait with a part of a second left is rounded up, never promised early', () => {
    expect(describeRetryWait({ 'retry-after': 'Thu, 01 Jan 2026 12:00:45 GMT' }, NOW + 500)).toBe('at 12:00:45 UTC (in 45 s) (Retry-After)');
  });

  test('header values are read trimmed: " 30 " is 30 s, a padded epoch is that epoch', () => {
    expect(describeRetryWait({ 'retry-after': ' 30 ' }, NOW)).toBe('in 30 s (Retry-After)');
    expect(describeRetryWait({ 'x-ratelimit-reset': ` ${NOW / 1000 + 90} ` }, NOW)).toBe('at 12:01:30 UTC (in 90 s) (X-RateLimit-Reset)');
  });

  test('a number with anything before or after it is no number of seconds (whole value only)', () => {
    const epoch = NOW / 1000 + 90;
    for (const junk of ['30x', 'x30']) expect(describeRetryWait({ 'retry-after': junk }, NOW)).toBe('later (the server said not when)');
    for (const junk of [`${epoch}x`, `x${epoch}`]) expect(describeRetryWait({ 'x-ratelimit-reset': junk }, NOW)).toBe('later (the server said not when)');
  });
});

describe('assertNotRedirectedOrRefused', () => {
  test('a 2xx or a 4xx other than 401/403/429 passes to the caller', () => {
    expect(refusal(200)).toBeUndefined();
    expect(refusal(404)).toBeUndefined();
  });

  test('redirects are exactly 300-399: 300 and 399 are refused as redirect_refused, 299 and 400 pass', () => {
    for (const status of [300, 399]) expect(refusal(status)).toMatchObject({ code: 'redirect_refused', exitCode: 5 });
    expect(refusal(299)).toBeUndefined();
    expect(refusal(400)).toBeUndefined();
    expect(refusal(302)!.message).toContain(`${TARGET} answered 302, a redirect to nowhere (no Location header). The request carries a secret`);
  });

  test('a Location that is no URL is named "an unreadable Location", never echoed', () => {
    const message = refusal(302, { location: 'http://[broken-Secret-0123456789' })!.message;
    expect(message).toContain('a redirect to an unreadable Location.');
    expect(message).not.toContain('broken-Secret');
  });

  test('a relative Location is named by the origin it resolves to on the target', () => {
    expect(refusal(307, { location: '/elsewhere?code=x' })!.message).toContain('a redirect to https://api.dribbble.com. ');
  });

  test('401 is "unauthorized" (credentials not accepted), 403 "forbidden" (valid but lacking a scope), each with the remedy', () => {
    const e401 = refusal(401)!;
    expect(e401.code).toBe('unauthorized');
    expect(e401.message).toBe(`${TARGET} answered 401: the credentials were not accepted. Remedy.`);
    const e403 = refusal(403, {}, JSON.stringify({ message: 'No scope' }))!;
    expect(e403.code).toBe('forbidden');
    expect(e403.message).toBe(`${TARGET} answered 403 ("No scope"): the credentials are valid but not allowed to do this (on Dribbble: the token lacks a scope, such as "upload", or the account may not do it). Remedy.`);
  });

  test('429 is "rate_limited" and a 5xx "server_unavailable", both quoting what the server said', () => {
    const e429 = refusal(429, {}, JSON.stringify({ message: 'Slow down' }))!;
    expect(e429.code).toBe('rate_limited');
    expect(e429.message).toBe(`${TARGET} answered 429 ("Slow down"): too many requests (Dribbble allows 60 a minute). Try again later (the server said not when).`);
    const e500 = refusal(500, { 'retry-after': '5' }, 'Oops\nmore')!;
    expect(e500.code).toBe('server_unavailable');
    expect(e500.message).toBe(`${TARGET} answered 500, a server error: Oops. Try again in 5 s (Retry-After).`);
    expect(refusal(499)).toBeUndefined();
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
    expect(firstLine('y'.repeat(200))).toBe('y'.repeat(200)); // 200 is not yet cut
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
    expect(parseJsonBody({ status: 200, headers: {}, body: '{"a":"x\ufeff"}' })).toEqual({ a: 'x\ufeff' }); // only a leading one
    expect(parseJsonBody({ status: 200, headers: {}, body: '[1]' })).toBeUndefined();
    expect(parseJsonBody({ status: 200, headers: {}, body: 'nope' })).toBeUndefined();
  });

  test('parseJsonBody: JSON null, numbers, strings and booleans are no object', () => {
    for (const body of ['null', '42', '"text"', 'true']) expect(parseJsonBody({ status: 200, headers: {}, body })).toBeUndefined();
  });

  test('the masked value keeps its key and quotes; an empty value stays empty', () => {
    expect(maskCredentials('{"access_token":"abcdefghijklmnopqrstuvwxyz"}')).toBe('{"access_token":"abcd…wxyz"}');
    expect(maskCredentials('code=abcdefghijklmnopqrstuvwxyz&state=s')).toBe('code=abcd…wxyz&state=s');
    expect(maskCredentials('{"token":""} token=&x=1')).toBe('{"token":""} token=&x=1');
  });

  test('quotedServerMessage: the message quoted in parentheses, or nothing without a string message', () => {
    expect(quotedServerMessage({ status: 400, headers: {}, body: '{"message":"Nope"}' })).toBe(' ("Nope")');
    expect(quotedServerMessage({ status: 400, headers: {}, body: '{"message":7}' })).toBe('');
    expect(quotedServerMessage({ status: 400, headers: {}, body: 'not json' })).toBe('');
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

  test('from 16 characters a value is registered; 15 is not (the length a credential starts at)', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const sixteen = 'Sixteen-chars-16';
    const fifteen = 'Fifteen-chars15';
    maskCredentials(`{"token":"${sixteen}","code":"${fifteen}"}`);
    expect(redact(`x ${sixteen}`)).not.toContain(sixteen);
    expect(redact(`x ${fifteen}`)).toBe(`x ${fifteen}`);
  });

  test('a long value with a space is a sentence, not a credential: masked in the echo, not registered', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const sentence = 'the code was already used';
    expect(maskCredentials(`{"code":"${sentence}"}`)).not.toContain(sentence);
    expect(redact(`x ${sentence}`)).toBe(`x ${sentence}`);
  });
});

describe('which request ran and what it got', () => {
  const run = (extra: Partial<ItemRun>): ItemRun => ({ name: 'Get authenticated user', failures: [], ...extra });
  const sent = { method: 'GET', url: 'https://api.example/v2/user\u001b', headers: {}, body: '' };

  test('requestedUrl: the URL Newman sent (escaped), else the one we built', () => {
    expect(requestedUrl(run({ request: sent }), TARGET)).toBe('https://api.example/v2/user\\e');
    expect(requestedUrl(run({}), TARGET)).toBe(TARGET);
    expect(requestedUrl(undefined, 'https://built\u0007')).toBe('https://built\\u0007');
  });

  test('requireResponse: the response of a run that got one', () => {
    const response = { status: 200, headers: {}, body: '{}' };
    expect(requireResponse(run({ response }), TARGET, 1000)).toBe(response);
  });

  test('requireResponse: a transport failure is the network error for it, even beside a response', () => {
    const error = (() => {
      try {
        requireResponse(run({ transportError: { code: 'ECONNREFUSED', message: 'refused' }, response: { status: 200, headers: {}, body: '' } }), TARGET, 1000);
      } catch (e) {
        return e as DribbbleOAuthError;
      }
      throw new Error('not thrown');
    })();
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`Could not reach ${TARGET}`);
  });

  test('requireResponse: no response says why the request was not sent (its failures, or that Newman did not run it)', () => {
    expect(() => requireResponse(run({ failures: ['pre-request script failed', 'twice'] }), TARGET, 1000)).toThrow(
      new Error(`The request to ${TARGET} was not sent: pre-request script failed twice.`),
    );
    expect(() => requireResponse(run({}), TARGET, 1000)).toThrow(new Error(`The request to ${TARGET} was not sent: Newman did not run it.`));
    expect(() => requireResponse(undefined, TARGET, 1000)).toThrow(new Error(`The request to ${TARGET} was not sent: Newman did not run it.`));
  });
});
