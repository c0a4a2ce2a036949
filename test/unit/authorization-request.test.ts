// The authorize step: a fresh unguessable state, a PKCE S256 pair, and the consent URL built from them.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildAuthorizationRequest, calculateCodeChallenge, generateCodeVerifier, generateState } from '../../scripts/lib/oauth/authorization-request.js';
import { redact } from '../../scripts/lib/core/redaction.js';

const base = { oauthBaseUrl: 'https://dribbble.com/oauth', clientId: 'cid', redirectUri: 'http://127.0.0.1:8738/auth/dribbble/callback?x=1&y=a b', scope: 'public upload' };

describe('state and verifier', () => {
  test('state: 43 base64url characters (32 random bytes), new each time', () => {
    const states = new Set(Array.from({ length: 50 }, generateState));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('code verifier: 43 base64url characters (RFC 7636\'s minimum), new each time, registered as a secret', () => {
    const a = generateCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateCodeVerifier()).not.toBe(a);
    expect(redact(`v=${a}`)).toBe(`v=${a.slice(0, 4)}…${a.slice(-4)}`);
  });

  test('code challenge: base64url of the SHA-256 of the verifier (RFC 7636 appendix B)', () => {
    expect(calculateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(calculateCodeChallenge('x')).toBe(createHash('sha256').update('x').digest('base64url'));
  });
});

describe('buildAuthorizationRequest', () => {
  test('with PKCE: the consent URL carries every parameter, the challenge of the returned verifier, S256', () => {
    const request = buildAuthorizationRequest({ ...base, pkce: true });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://dribbble.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: base.redirectUri,
      response_type: 'code',
      scope: 'public upload',
      state: request.state,
      code_challenge: calculateCodeChallenge(request.codeVerifier!),
      code_challenge_method: 'S256',
    });
    expect(request.url).toContain('scope=public+upload');
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method']);
  });

  test('without PKCE: no verifier and no challenge parameters', () => {
    const request = buildAuthorizationRequest({ ...base, pkce: false });
    expect(request.codeVerifier).toBeUndefined();
    const url = new URL(request.url);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.has('code_challenge_method')).toBe(false);
  });

  test('trailing slashes of the base URL are dropped before /authorize', () => {
    expect(buildAuthorizationRequest({ ...base, oauthBaseUrl: 'http://127.0.0.1:8737/oauth//', pkce: false }).url).toMatch(/^http:\/\/127\.0\.0\.1:8737\/oauth\/authorize\?client_id=cid&/);
  });

  test('each request has its own state', () => {
    expect(buildAuthorizationRequest({ ...base, pkce: false }).state).not.toBe(buildAuthorizationRequest({ ...base, pkce: false }).state);
  });
});
