// What each OAuth error means, for the person holding the code (the CLI and the collection share it).
import { describe, expect, test } from 'vitest';
import { explainOAuthError, OAUTH_ERROR_MEANINGS } from '../../scripts/lib/dribbble/oauth-error-meanings.js';

describe('explainOAuthError', () => {
  test('every RFC 6749 error code (and Dribbble\'s invalid_redirect_uri) has its own meaning', () => {
    const codes = ['invalid_request', 'invalid_grant', 'invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'unsupported_response_type', 'invalid_scope', 'access_denied', 'invalid_redirect_uri', 'server_error', 'temporarily_unavailable'];
    expect(Object.keys(OAUTH_ERROR_MEANINGS).sort()).toEqual([...codes].sort());
    const meanings = codes.map(explainOAuthError);
    expect(new Set(meanings).size).toBe(codes.length);
    for (const meaning of meanings) expect(meaning).toMatch(/^[A-Z].*\.$/);
  });

  test('each meaning says what to do about it', () => {
    expect(explainOAuthError('invalid_grant')).toMatch(/Authorize again/);
    expect(explainOAuthError('invalid_grant')).toMatch(/10 minutes/);
    expect(explainOAuthError('invalid_client')).toMatch(/client secret is wrong/);
    expect(explainOAuthError('access_denied')).toMatch(/declined/);
    expect(explainOAuthError('invalid_redirect_uri')).toMatch(/byte for byte/);
    expect(explainOAuthError('invalid_scope')).toMatch(/"public upload"/);
    expect(explainOAuthError('server_error')).toMatch(/try again later/);
  });

  test('an unknown code, or one inherited from Object.prototype, falls back to the server\'s description', () => {
    const fallback = 'The server refused the request; see its description above.';
    expect(explainOAuthError('made_up')).toBe(fallback);
    expect(explainOAuthError('')).toBe(fallback);
    expect(explainOAuthError('toString')).toBe(fallback);
    expect(explainOAuthError('constructor')).toBe(fallback);
    expect(explainOAuthError('__proto__')).toBe(fallback);
  });
});
