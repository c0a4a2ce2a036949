// `authorize` without a browser: the printed URL followed like `curl -L`, the loopback callback's
// refusals, and the paste flow for a non-loopback redirect URI.
import { createServer } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, decodeHtmlText, makeTempDir, ownLoopbackHost, readTree, runCli, startCli } from './helpers.js';

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
  it('completes when the printed URL is followed like curl -L, saves a working token, and shows a success page', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const consent = new URL(url!);
    expect(consent.searchParams.get('redirect_uri')).toBe(callback);
    expect(consent.searchParams.get('response_type')).toBe('code');
    expect(consent.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    // Stray requests, such as the browser's favicon, are ignored.
    expect((await fetch(`http://${callbackHost}:${callbackPort}/favicon.ico`)).status).toBe(404);
    const page = await fetch(url!, { redirect: 'follow' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    const token = parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(html).toContain('Your Dribbble access token is ready');
    expect(html).toContain(`value="${token}"`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(result.stdout).not.toContain(token);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    const whoami = await runCli(['whoami', '--api-url', mock.apiBaseUrl], { cwd: dir, env: cliEnv(dir) });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain('Signed in as demo-designer');
  });

  it('answers a callback with a wrong or missing state with a 400 page, ignores it, and still completes the real one', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    for (const query of ['code=abc&state=forged', 'error=access_denied', 'error=access_denied&state=forged&code=abc']) {
      const page = await fetch(`${callback}?${query}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('This callback does not belong to this authorization');
    }
    expect(await readTree(dir)).toEqual([]);
    expect(run.child.exitCode).toBeNull();
    expect((await fetch(url!, { redirect: 'follow' })).status).toBe(200);
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Ignored a request to the callback with a wrong state');
    expect(result.stdout).toContain('Ignored a request to the callback with no state');
  });

  it('reports access_denied from the callback (exit 3) with its description shown as text on the page', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const state = new URL(url!).searchParams.get('state')!;
    const page = await fetch(`${callback}?${new URLSearchParams({ error: 'access_denied', error_description: '<b>denied</b>', state })}`);
    const html = await page.text();
    expect(html).not.toMatch(/<b>/i);
    expect(decodeHtmlText(html)).toContain('<b>denied</b>');
    const result = await run.exit;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [access_denied]');
    expect(await readTree(dir)).toEqual([]);
  });

  it('a callback without a code is a clear failure and writes nothing', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const state = new URL(url!).searchParams.get('state')!;
    await fetch(`${callback}?state=${state}`);
    const result = await run.exit;
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('error [missing_code]');
    expect(await readTree(dir)).toEqual([]);
  });

  it('times out with a clear message (exit 4)', async () => {
    const result = await runCli(['authorize', ...baseFlags(), '--callback-timeout', '400'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('error [callback_timeout]');
    expect(result.stderr).toContain(`No callback reached ${callback}`);
  });

  it('a loopback port in use is exit 2, naming the port and the redirect URI', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(callbackPort, callbackHost, r));
    try {
      const result = await runCli(['authorize', ...baseFlags()], { cwd: dir, env: cliEnv(dir) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${callbackHost}:${callbackPort}`);
      expect(result.stderr).toContain('another program is using that port');
      expect(result.stderr).toContain('--redirect-uri');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a redirect URI that is not a URL is exit 2 before anything is opened', async () => {
    const result = await runCli(['authorize', ...baseFlags('127.0.0.1:8738/callback')], { cwd: dir, env: cliEnv(dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(from --redirect-uri) is not an http:// or https:// URL');
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

  it('refuses a pasted URL from another authorization (exit 3) and writes no token', async () => {
    const run = start([], PORTFOLIO_CALLBACK);
    await run.waitForOutput(/Paste the URL the browser landed on/);
    run.child.stdin!.end(`${PORTFOLIO_CALLBACK}?code=abc&state=someone-elses\n`);
    const result = await run.exit;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [state_mismatch]');
    await expect(stat(join(dir, '.env'))).rejects.toThrow();
  });

  it('a pasted URL without a code is exit 2 and writes no token', async () => {
    const run = start([], PORTFOLIO_CALLBACK);
    await run.waitForOutput(/Paste the URL the browser landed on/);
    run.child.stdin!.end(`${PORTFOLIO_CALLBACK}?state=x\n`);
    const result = await run.exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [missing_code]');
    await expect(stat(join(dir, '.env'))).rejects.toThrow();
  });
});
