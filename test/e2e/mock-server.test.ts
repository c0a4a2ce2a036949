// The bundled mock behaves like the reference's Dribbble (Doorkeeper), not like a happy-path stub.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ENDPOINTS } from '../../scripts/lib/dribbble/api-v2.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { CODE_LIFETIME_SECONDS, startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { pngOfSize } from '../support/images.js';
import { authorizeAtMock, cliEnv, makeTempDir, pkcePair, startCli } from './helpers.js';

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

describe('npm run mock', () => {
  it('prints its address and demo credentials, and shuts down cleanly on SIGTERM', async () => {
    const dir = await makeTempDir();
    const run = startCli(['mock', '--port', '0'], { cwd: dir, env: cliEnv(dir) });
    const [, origin] = await run.waitForOutput(/Dribbble mock server on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(run.output()).toContain('client id      demo-client-id');
    expect(run.output()).toContain('client secret  demo-client-secret-not-a-real-secret');
    expect((await fetch(`${origin}/v2/user`)).status).toBe(401);
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  /** `npm run mock` with flags, on a free port: its origin, and a way to stop it. */
  async function runMock(flags: string[]) {
    const dir = await makeTempDir();
    const run = startCli(['mock', '--port', '0', ...flags], { cwd: dir, env: cliEnv(dir) });
    const [, origin] = await run.waitForOutput(/Dribbble mock server on (http:\/\/127\.0\.0\.1:\d+)/);
    await run.waitForOutput(/Try it:/);
    return { run, origin: origin!, stop: async () => (run.child.kill('SIGTERM'), (await run.exit).code) };
  }
  const authorizeAt = (origin: string) =>
    fetch(`${origin}/oauth/authorize?${new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', state: 's' })}`, { redirect: 'manual' });
  async function tokenAt(origin: string, scope: string): Promise<string> {
    const { code } = await authorizeAtMock(`${origin}/oauth`, { clientId: MOCK_DEMO_CLIENT.clientId, redirectUri: MOCK_DEMO_CLIENT.redirectUri, scope });
    const answer = await fetch(`${origin}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: MOCK_DEMO_CLIENT.clientId, client_secret: MOCK_DEMO_CLIENT.clientSecret, code, redirect_uri: MOCK_DEMO_CLIENT.redirectUri }) });
    return ((await answer.json()) as { access_token: string }).access_token;
  }

  it('npm run mock -- --sign-in sends a client without a session to the sign-in page first (N33); without it, authorize approves at once', async () => {
    const signIn = await runMock(['--sign-in']);
    try {
      const answer = await authorizeAt(signIn.origin);
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toMatch(/^\/session\/new\?return_to=/);
      expect(signIn.run.output()).toContain('sign-in page first');
    } finally {
      expect(await signIn.stop()).toBe(0);
    }
    const plain = await runMock([]);
    try {
      expect((await authorizeAt(plain.origin)).headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:8738\/auth\/dribbble\/callback\?code=/);
    } finally {
      expect(await plain.stop()).toBe(0);
    }
  });

  it('GET //[ and other garbage do not kill npm run mock (issue 14 F5): 400, and it keeps answering', async () => {
    const { origin, run, stop } = await runMock([]);
    const port = Number(new URL(origin).port);
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.on('data', (d) => (text += d.toString('latin1')));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
    try {
      expect(await raw(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
      await raw('GET /v2/shots/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n');
      await raw('\x00\xff garbage\r\n\r\n');
      expect((await fetch(`${origin}/v2/user`)).status).toBe(401);
      expect(run.child.exitCode).toBeNull();
    } finally {
      expect(await stop()).toBe(0);
    }
  });

  it('prints every API route it serves, and its flags take effect: --seed-shots, --processing-delay, --rate-limit with --rate-window, --approved-client', async () => {
    const { origin, run, stop } = await runMock(['--seed-shots', '250', '--processing-delay', '1500', '--rate-limit', '7', '--rate-window', '20000', '--approved-client', MOCK_DEMO_CLIENT.clientId]);
    try {
      for (const e of API_ENDPOINTS) expect(run.output()).toMatch(new RegExp(`${e.method} +${e.path.replace(/[/]/g, '\\/')} +${e.name}`));
      const token = await tokenAt(origin, 'public upload');
      const get = (path: string) => fetch(`${origin}/v2${path}`, { headers: { Authorization: `Bearer ${token}` } });
      const page = await get('/user/shots?per_page=100&page=3');
      expect(await page.json()).toHaveLength(50);
      expect(page.headers.get('x-ratelimit-limit')).toBe('7');
      expect((await get('/popular_shots')).status).toBe(200);
      const form = new FormData();
      form.append('title', 'Flagged');
      form.append('image', new Blob([new Uint8Array(pngOfSize(400, 300))], { type: 'image/png' }), 'a.png');
      const accepted = await fetch(`${origin}/v2/shots`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location')!;
      expect((await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
      await new Promise((r) => setTimeout(r, 1600));
      expect((await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await get('/user')).status).toBe(200); // the 6th request of the window
      const seventh = await get('/user');
      expect(seventh.status).toBe(200);
      expect(seventh.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await get('/user')).status).toBe(429);
      expect(Number((await get('/user')).headers.get('x-ratelimit-reset')) * 1000).toBeLessThanOrEqual(Date.now() + 20_000);
    } finally {
      expect(await stop()).toBe(0);
    }
  });
});
