// oauth_origin / api_origin: an origin, or the origin followed by the older base path (/oauth,
// /v2, as in an existing .env); any other path is a usage error that says what to set.
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { normalizeOrigin, resolveConfig } from '../../scripts/lib/config/config-resolution.js';
import { UsageError } from '../../scripts/lib/core/errors.js';

const oauth = (raw: string) => normalizeOrigin(raw, 'OAuth base URL', '--oauth-url', 'https://dribbble.com', '/oauth');

describe('origins', () => {
  test.each([
    ['https://dribbble.com', 'https://dribbble.com'],
    ['https://dribbble.com/', 'https://dribbble.com'],
    ['https://dribbble.com/oauth', 'https://dribbble.com'],
    ['https://dribbble.com/oauth/', 'https://dribbble.com'],
    ['http://127.0.0.1:8737/oauth', 'http://127.0.0.1:8737'],
  ])('%s is the origin %s', (raw, origin) => {
    expect(oauth(raw)).toBe(origin);
  });

  test.each(['https://dribbble.com/v2', 'https://dribbble.com/oauth/authorize', 'https://dribbble.com/api/oauth'])('%s (another path) is exit 2, naming the path and the flag', (raw) => {
    const error = (() => {
      try {
        oauth(raw);
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`has the path "${new URL(raw).pathname.replace(/\/+$/, '')}"`);
    expect(error.message).toContain('--oauth-url');
  });

  test.prop([fc.webUrl({ withQueryParameters: false, withFragments: false })])('any http(s) URL is accepted exactly when its path is empty or /oauth', (raw) => {
    const url = new URL(raw);
    if (url.username || url.password) return;
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '' || path === '/oauth') expect(oauth(raw)).toBe(url.origin);
    else expect(() => oauth(raw)).toThrow(UsageError);
  });

  test('the variables from the environment: the old /oauth and /v2 values of an existing .env resolve to the origins', () => {
    const config = resolveConfig({} as never, { DRIBBBLE_OAUTH_URL: 'https://dribbble.com/oauth', DRIBBBLE_API_URL: 'https://api.dribbble.com/v2' }, { envFileMayBeMissing: true });
    expect(config.values.oauth_origin).toBe('https://dribbble.com');
    expect(config.values.api_origin).toBe('https://api.dribbble.com');
    expect(() => resolveConfig({} as never, { DRIBBBLE_API_URL: 'https://api.dribbble.com/oauth' }, { envFileMayBeMissing: true })).toThrow(/DRIBBBLE_API_URL.*has the path "\/oauth".*\/v2/);
  });
});
