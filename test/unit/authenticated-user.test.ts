// whoami's decisions in process: what it prints of the user, what each status of Get
// authenticated user means as an exit code, and what is refused before any request.
import { afterEach, describe, expect, test } from 'vitest';
import { authenticatedUserResult, describeAuthenticatedUser, fetchAuthenticatedUser, validateUserResponse } from '../../scripts/lib/api/user-lookup.js';
import { runCollectionItems } from '../../scripts/lib/newman/newman-runner.js';
import { asyncRefusalOf as failure } from '../support/refusals.js';

const config = { values: { api_origin: 'https://api.dribbble.com', access_token: 'User-t0ken-0123456789abcdefghijkl' }, sources: {}, envFilePath: '/nowhere/.env', envFileExists: false };
const URL_ = 'https://api.dribbble.com/v2/user';

describe('what whoami prints', () => {
  test('login and name, profile URL, and the rate-limit headroom with the reset time', () => {
    expect(describeAuthenticatedUser({ user: { login: 'demo-designer', name: 'Demo Designer', html_url: 'https://dribbble.com/demo-designer' }, rateLimit: { limit: 2, remaining: 1, reset: Date.UTC(2026, 10, 29, 12, 1, 0) / 1000 } })).toEqual([
      'Signed in as demo-designer (Demo Designer)',
      'Profile: https://dribbble.com/demo-designer',
      'Rate limit: 1 of 2 requests left this minute (resets at 12:01:00 UTC)',
    ]);
  });

  test('what the server left out is left out; an unknown limit is "?" and an unknown reset "in a minute"', () => {
    expect(describeAuthenticatedUser({ user: { login: 'zoe' }, rateLimit: {} })).toEqual(['Signed in as zoe']);
    expect(describeAuthenticatedUser({ user: { login: 'zoe', name: 7 }, rateLimit: { remaining: 0 } })).toEqual(['Signed in as zoe', 'Rate limit: 0 of ? requests left this minute (resets in a minute)']);
  });

  test('--json prints the whole user and the rate limit', () => {
    const found = { user: { login: 'demo-designer', html_url: 'https://dribbble.com/demo-designer', id: 1 }, rateLimit: { limit: 2, remaining: 0, reset: 1 } };
    expect(authenticatedUserResult(found)).toEqual({ user: found.user, rate_limit: found.rateLimit });
  });

  test('values from the server are terminal-safe', () => {
    const lines = describeAuthenticatedUser({ user: { login: 'a\u001b[2Jb', name: 'n\u0007', html_url: 'https://x/\u001b]8;;' }, rateLimit: {} });
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe('exit codes of Get authenticated user (PRODUCT.md)', () => {
  test.each([
    [401, 3, 'invalid_token', {}],
    [403, 3, 'forbidden', {}],
    [502, 4, 'server_unavailable', {}],
    [429, 4, 'rate_limited', { 'x-ratelimit-reset': '4102444800' }],
    [404, 5, 'unexpected_user_response', {}],
  ] as const)('status %i is exit %i (%s)', async (status, exitCode, code, headers) => {
    const error = await failure(() => validateUserResponse({ status, headers: { 'content-type': 'application/json', ...headers }, body: '{"message":"nope"}' }, config, URL_));
    expect(error.exitCode).toBe(exitCode);
    expect(error.code).toBe(code);
  });
});

describe('refused before any request', () => {
  const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  });

  test('no access token: exit 2 naming DRIBBBLE_ACCESS_TOKEN and how to get one', async () => {
    const error = await failure(() => fetchAuthenticatedUser({ ...config, values: { api_origin: 'https://api.dribbble.com' } }, 1000, { progress: () => undefined }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('DRIBBBLE_ACCESS_TOKEN');
    expect(error.message).toContain('npm run authorize');
  });

  test('TLS checks off by NODE_TLS_REJECT_UNAUTHORIZED=0: every Newman run (whoami\'s included) is exit 2 before loading anything', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    // A closed local port: were the check missing, nothing could leave this machine.
    const error = await failure(() => runCollectionItems(['Get authenticated user'], { ...config.values, api_origin: 'http://127.0.0.1:9' }, { timeoutMs: 1000 }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('tls_verification_off');
  });
});
