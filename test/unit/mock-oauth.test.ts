// The bundled mock's OAuth endpoints and API gate behave like the reference's Dribbble
// (Doorkeeper), not like a happy-path stub: the mock module in process on port 0. (Was in
// e2e/mock-server.test.ts, which keeps what only `npm run mock` as a process shows.)
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_LIFETIME_SECONDS, startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';

/** Asks the mock's authorize endpoint for a code, as a browser would, without following the redirect. */
async function authorizeAtMock(oauthBaseUrl: string, params: { clientId: string; redirectUri: string; codeChallenge?: string }): Promise<{ code: string }> {
  const url = new URL(`${oauthBaseUrl}/authorize`);
  url.search = new URLSearchParams({ client_id: params.clientId, redirect_uri: params.redirectUri, response_type: 'code', scope: 'public', ...(params.codeChallenge ? { code_challenge: params.codeChallenge, code_challenge_method: 'S256' } : {}) }).toString();
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return { code };
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const client = { clientId: 'cid', clientSecret: 'csecret', redirectUris: ['http://127.0.0.1:9/cb'] };
let clock = Date.now();
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [client], now: () => clock });
});
afterAll(() => mock.close());

const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${mock.oauthBaseUrl}/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
const grantForm = (code: string, extra: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  client_id: client.clientId,
  client_secret: client.clientSecret,
  code,
  redirect_uri: client.redirectUris[0]!,
  ...extra,
});
const authorize = (params: Record<string, string>) => fetch(`${mock.oauthBaseUrl}/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });

describe('mock authorize', () => {
  it('redirects with code and state; an unknown client or redirect URI gets an error page, not a redirect', async () => {
    const ok = await authorize({ client_id: 'cid', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', state: 'xyz' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/cb\?code=[A-Za-z0-9_-]{43}&state=xyz$/);
    const unknown = await authorize({ client_id: 'nope', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Client authentication failed');
    const wrongRedirect = await authorize({ client_id: 'cid', redirect_uri: 'http://127.0.0.1:9/cb/', response_type: 'code' });
    expect(wrongRedirect.status).toBe(400);
    expect(await wrongRedirect.text()).toContain('redirect uri is malformed or doesn&#39;t match');
    const noResponseType = await authorize({ client_id: 'cid', redirect_uri: 'http://127.0.0.1:9/cb', state: 's' });
    expect(noResponseType.headers.get('location')).toContain('error=invalid_request');
    const badScope = await authorize({ client_id: 'cid', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope: 'admin' });
    expect(badScope.headers.get('location')).toContain('error=invalid_scope');
  });
});

describe('mock token endpoint', () => {
  it('requires grant_type and redirect_uri, authenticates the client, and issues a token once', async () => {
    const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb' });
    const noGrantType = await token({ ...grantForm(code), grant_type: '' });
    expect(noGrantType.status).toBe(400);
    expect(await noGrantType.json()).toEqual({ error: 'invalid_request', error_description: 'Missing required parameter: grant_type.' });
    const { redirect_uri: _omit, ...withoutRedirect } = grantForm(code);
    expect(await (await token(withoutRedirect)).json()).toMatchObject({ error: 'invalid_request', error_description: 'Missing required parameter: redirect_uri.' });
    expect(await (await token({ ...grantForm(code), grant_type: 'password' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    const badSecret = await token({ ...grantForm(code), client_secret: 'wrong' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client' });
    // Client credentials as HTTP Basic work too.
    const { client_id: _id, client_secret: _secret, ...bodyOnly } = grantForm(code);
    const ok = await token(bodyOnly, { Authorization: `Basic ${Buffer.from('cid:csecret').toString('base64')}` });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'public' });
    expect(body.access_token).toMatch(/^[0-9a-f]{64}$/);
    expect(body).not.toHaveProperty('expires_in');
    const reused = await token(grantForm(code));
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    // A reused code revokes the token it issued.
    const user = await fetch(`${mock.apiBaseUrl}/user`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(user.status).toBe(401);
  });

  it('expires codes after 10 minutes and checks the redirect URI', async () => {
    const first = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb' });
    clock += (CODE_LIFETIME_SECONDS + 1) * 1000;
    expect(await (await token(grantForm(first.code))).json()).toMatchObject({ error: 'invalid_grant' });
    clock = Date.now();
    const second = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb' });
    expect(await (await token({ ...grantForm(second.code), redirect_uri: 'http://127.0.0.1:9/other' })).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE: requires the matching verifier for a challenged grant, and refuses any verifier (even empty) without one', async () => {
    const { verifier, challenge } = pkcePair();
    const challenged = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb', codeChallenge: challenge });
    expect(await (await token(grantForm(challenged.code))).json()).toMatchObject({ error: 'invalid_request', error_description: 'Missing required parameter: code_verifier.' });
    expect(await (await token(grantForm(challenged.code, { code_verifier: 'wrong' }))).json()).toMatchObject({ error: 'invalid_grant' });
    const plain = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb' });
    expect(await (await token(grantForm(plain.code, { code_verifier: '' }))).json()).toMatchObject({ error: 'invalid_grant' });
    const again = await authorizeAtMock(mock.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb', codeChallenge: challenge });
    expect((await token(grantForm(again.code, { code_verifier: verifier }))).status).toBe(200);
  });
});

describe('mock API', () => {
  it('accepts only a Bearer header, sends X-RateLimit-* headers, and answers 429 past the limit', async () => {
    const limited = await startMockServer({ port: 0, clients: [client], rateLimit: 1 });
    try {
      const { code } = await authorizeAtMock(limited.oauthBaseUrl, { clientId: 'cid', redirectUri: 'http://127.0.0.1:9/cb' });
      const issued = (await (await fetch(`${limited.oauthBaseUrl}/token`, { method: 'POST', body: new URLSearchParams(grantForm(code)) })).json()) as { access_token: string };
      const viaQuery = await fetch(`${limited.apiBaseUrl}/user?access_token=${issued.access_token}`);
      expect(viaQuery.status).toBe(401);
      expect(await viaQuery.json()).toHaveProperty('message');
      const first = await fetch(`${limited.apiBaseUrl}/user`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('1');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      const second = await fetch(`${limited.apiBaseUrl}/user`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
      expect(second.status).toBe(429);
      expect(await second.json()).toEqual({ message: 'API rate limit exceeded.' });
    } finally {
      await limited.close();
    }
  });
});
