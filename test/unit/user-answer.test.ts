// The API's answer to "Get authenticated user", classified in process: a user, or exit 3, 4 or 5.
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { validateUserResponse } from '../../scripts/lib/api/user-lookup.js';

const config = { values: { api_origin: 'https://api.dribbble.com', access_token: 'User-t0ken-0123456789abcdefghijkl' }, sources: {}, envFilePath: '/nowhere/.env', envFileExists: false };
const URL_ = 'https://api.dribbble.com/v2/user';

describe('validateUserResponse', () => {
  test('a 200 with a login is the user, with the rate-limit headers read', () => {
    const result = validateUserResponse({ status: 200, headers: { 'x-ratelimit-remaining': '59', 'x-ratelimit-limit': '60' }, body: '\ufeff{"login":"zoe"}' }, config, URL_);
    expect(result.user.login).toBe('zoe');
    expect(result.rateLimit).toMatchObject({ remaining: 59, limit: 60 });
  });

  test('401 is a refusal naming where the token came from; 500 echoes the body with credentials masked', () => {
    expect.assertions(3);
    try {
      validateUserResponse({ status: 401, headers: {}, body: '{"message":"Bad credentials"}' }, config, URL_);
    } catch (error) {
      expect((error as DribbbleOAuthError).exitCode).toBe(3);
    }
    try {
      validateUserResponse({ status: 500, headers: {}, body: '{"access_token":"Leaked-t0ken-0123456789abcdefghij"}' }, config, URL_);
    } catch (error) {
      expect((error as DribbbleOAuthError).exitCode).toBe(4);
      expect((error as Error).message).not.toContain('Leaked-t0ken-0123456789abcdefghij');
    }
  });

  const body = fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.record({ login: fc.oneof(fc.string(), fc.integer()), message: fc.string() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)));
  test.prop([fc.integer({ min: 100, max: 599 }), fc.dictionary(fc.constantFrom('content-type', 'location', 'retry-after', 'x-ratelimit-reset', 'x-ratelimit-remaining'), fc.string()), body])(
    'any status, headers and body: a user with a string login, or exit 3, 4 or 5',
    (status, headers, text) => {
      try {
        expect(typeof validateUserResponse({ status, headers, body: text }, config, URL_).user.login).toBe('string');
      } catch (error) {
        expect(error).toBeInstanceOf(DribbbleOAuthError);
        expect([3, 4, 5]).toContain((error as DribbbleOAuthError).exitCode);
      }
    },
  );
});
