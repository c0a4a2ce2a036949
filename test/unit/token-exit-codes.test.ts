// The token endpoint's answer as an exit code and message (PRODUCT.md): refusals 3, "not now" 4
// with the server's wait, protocol 5; a token the env file cannot hold is refused, its bytes never
// echoed raw. In process: validateTokenResponse is what `exchange` and `authorize` run on the answer.
import { afterEach, describe, expect, test } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { checkExchangeInputs, validateTokenResponse, type ExchangeInput } from '../../scripts/lib/oauth/token-exchange.js';

const input: ExchangeInput = {
  config: {
    values: { client_id: 'id', client_secret: 'Exit-codes-s3cret-0123456789abcdefghij', redirect_uri: 'http://127.0.0.1:9/cb', oauth_origin: 'http://127.0.0.1:9', scope: 'public' },
    sources: {},
    envFilePath: '/nowhere/.env',
    envFileExists: false,
  },
  code: 'abc',
  timeoutMs: 1000,
};
const TOKEN_URL = 'http://127.0.0.1:9/oauth/token';

function refusal(status: number, headers: Record<string, string>, body: string): DribbbleOAuthError {
  try {
    validateTokenResponse({ status, headers, body }, input, TOKEN_URL);
  } catch (error) {
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    return error as DribbbleOAuthError;
  }
  throw new Error('expected a refusal');
}

describe('exit codes of the token request', () => {
  test.each([
    ['401 without an OAuth error', 401, {}, 'text/plain', 'Unauthorized', 3, 'unauthorized', 'the credentials were not accepted'],
    ['403 without an OAuth error', 403, {}, 'text/plain', 'Forbidden', 3, 'forbidden', 'lacks a scope'],
    ['an OAuth error with status 500', 500, {}, 'application/json', '{"error":"server_error"}', 3, 'server_error', 'failed'],
    ['an OAuth error with status 200', 200, {}, 'application/json', '{"error":"invalid_grant"}', 3, 'invalid_grant', 'Authorize again'],
    ['429 with Retry-After seconds', 429, { 'retry-after': '120' }, 'text/plain', 'slow down', 4, 'rate_limited', 'Try again in 120 s (Retry-After)'],
    ['503 with Retry-After as a date', 503, { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }, 'text/html', 'down', 4, 'server_unavailable', 'Try again at 07:28:00 UTC'],
    ['502 with X-RateLimit-Reset', 502, { 'x-ratelimit-reset': '4102444800' }, 'text/html', 'bad gateway', 4, 'server_unavailable', 'Try again at 00:00:00 UTC'],
    ['500 with no hint', 500, {}, 'text/html', 'oops', 4, 'server_unavailable', 'Try again later (the server said not when)'],
    ['404 HTML', 404, {}, 'text/html', '<h1>Not found</h1>', 5, 'not_json', 'not JSON'],
  ] as const)('%s: the exit code and message PRODUCT.md gives', (_what, status, headers, type, body, exitCode, code, text) => {
    const error = refusal(status, { 'content-type': type, ...headers }, body);
    expect(error.exitCode).toBe(exitCode);
    expect(error.code).toBe(code);
    expect(error.message).toContain(text);
    expect(error.message).not.toContain('in a minute');
  });

  test('the message names the URL actually requested', () => {
    expect(refusal(200, { 'content-type': 'text/html' }, '<html>').message).toContain(`The token endpoint ${TOKEN_URL} answered 200`);
  });
});

describe('a token the env file cannot hold', () => {
  test.each([
    ['a newline', 'abc\nDRIBBBLE_CLIENT_SECRET=stolen'],
    ['an escape sequence', 'abc\u001b]8;;http://evil\u0007def'],
  ])('with %s from the server is exit 5 (token_control_characters), and its message has no raw control character', (_what, token) => {
    const error = refusal(200, { 'content-type': 'application/json' }, JSON.stringify({ access_token: token, token_type: 'Bearer' }));
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe('token_control_characters');
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(error.message).not.toContain('stolen');
  });
});

describe('TLS verification off in the environment', () => {
  const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  });

  test('exchange\'s and authorize\'s first check (checkExchangeInputs) refuses it: exit 2, before anything is sent or printed', () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      checkExchangeInputs(input.config, { needsCode: true });
      expect.unreachable();
    } catch (error) {
      expect((error as DribbbleOAuthError).exitCode).toBe(2);
      expect((error as DribbbleOAuthError).code).toBe('tls_verification_off');
    }
  });
});
