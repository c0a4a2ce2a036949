// `authorize` without a browser, as whole runs: the printed URL followed like `curl -L` (after
// forged callbacks, which are ignored), and the paste flow for a non-loopback redirect URI. What
// each callback or paste is worth, the timeout and a taken port are decided in modules tested in
// process: test/unit/callback-server.test.ts, test/unit/pasted-callback.test.ts.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, makeTempDir, ownLoopbackHost, readTree, runCli, startCli } from './helpers.js';

const CLIENT_ID = 'authorize-client';
const CLIENT_SECRET = 'authorize-secret-0123456789abcdefghij';
const PORTFOLIO_CALLBACK = 'https://myportfolio.example/auth/dribbble/callback';
let mock: MockServer;
const callbackHost = ownLoopbackHost();
const callbackPort = 8738;
let callback: string;
let dir: string;

beforeAll(async () => {
  callback = `http://${callbackHost}:${callbackPort}/auth/dribbble/callback`;
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [callback, PORTFOLIO_CALLBACK] }] });
});
afterAll(() => mock.close());
beforeEach(async () => {
  dir = await makeTempDir();
});

const baseFlags = (redirectUri = callback) => ['--no-open', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--redirect-uri', redirectUri, '--oauth-url', mock.oauthBaseUrl, '--api-url', mock.apiBaseUrl];
const start = (extra: string[] = [], redirectUri?: string) => startCli(['authorize', ...baseFlags(redirectUri), ...extra], { cwd: dir, env: cliEnv(dir) });

describe('authorize with a loopback redirect URI', () => {
  it('ignores stray requests and callbacks with a wrong or missing state (400 page, nothing written), then completes when the printed URL is followed like curl -L: a working token in a 0600 .env, a success page, the token kept off stdout', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const consent = new URL(url!);
    expect(consent.searchParams.get('redirect_uri')).toBe(callback);
    expect(consent.searchParams.get('response_type')).toBe('code');
    expect(consent.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    // Stray requests, such as the browser's favicon, are ignored.
    expect((await fetch(`http://${callbackHost}:${callbackPort}/favicon.ico`)).status).toBe(404);
    for (const query of ['code=abc&state=forged', 'error=access_denied', 'error=access_denied&state=forged&code=abc']) {
      const forged = await fetch(`${callback}?${query}`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('This callback does not belong to this authorization');
    }
    expect(await readTree(dir)).toEqual([]);
    expect(run.child.exitCode).toBeNull();
    const page = await fetch(url!, { redirect: 'follow' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Ignored a request to the callback with a wrong state');
    expect(result.stdout).toContain('Ignored a request to the callback with no state');
    const token = parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(html).toContain('Your Dribbble access token is ready');
    expect(html).toContain(`value="${token}"`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(result.stdout).not.toContain(token);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    // The saved token works (whoami reading .env is whoami.test.ts's).
    const me = await fetch(`${mock.apiBaseUrl}/user`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { login: string }).login).toBe('demo-designer');
  });
});

describe('authorize with a non-loopback redirect URI (paste flow)', () => {
  /** What the browser would land on: the mock's redirect for the printed consent URL. */
  async function landingUrl(url: string): Promise<string> {
    return (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
  }

  it('asks for the pasted URL, checks its state, exchanges and saves', async () => {
    const run = start([], PORTFOLIO_CALLBACK);
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    await run.waitForOutput(/Paste the URL the browser landed on/);
    run.child.stdin!.end(`${await landingUrl(url!)}\n`);
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the pending authorization when nothing is pasted, so exchange can finish it (state checked, verifier sent)', async () => {
    const run = start([], PORTFOLIO_CALLBACK);
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const landed = await landingUrl(url!);
    run.child.stdin!.end();
    const result = await run.exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [no_callback_pasted]');
    expect(result.stderr).toContain("npm run exchange -- --code '<the URL the browser landed on>'");
    const pendingFile = join(dir, 'state', 'dribbble-oauth', 'pending-authorizations.json');
    expect((await stat(pendingFile)).mode & 0o777).toBe(0o600);

    // The code was issued with a PKCE challenge: exchange succeeds only by sending the kept verifier.
    const exchange = await runCli(['exchange', ...baseFlags(PORTFOLIO_CALLBACK).slice(1), `--code=${landed}`], { cwd: dir, env: cliEnv(dir) });
    expect(exchange.code, exchange.stderr).toBe(0);
    expect(JSON.parse(await readFile(pendingFile, 'utf8'))).toEqual([]);
  });
});
