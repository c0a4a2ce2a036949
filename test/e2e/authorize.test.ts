// `authorize` without a browser, as whole runs, its loopback callback probed as a hostile page or a
// second tab would: it checks the Host header, listens on loopback only, survives any request,
// ignores callbacks of other authorizations, takes one callback, escapes what it shows, frames
// nothing, never exchanges a callback that carries an error, and never waits for the browser
// (F4, F5). Then the paste flow for a non-loopback redirect URI. Each run carries every probe its
// outcome allows. What each single callback or paste is worth, the timeout and a taken port are
// decided in modules tested in process: test/unit/callback-server.test.ts, test/unit/pasted-callback.test.ts.
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, decodeHtmlText, makeTempDir, ownLoopbackHost, readTree, runCli, startCli, startStubServer, waitFor } from './helpers.js';

// A client id with markup in it: the success page must keep it inside its attribute.
const CLIENT_ID = 'cb-client"><script>alert(1)</script>';
const CLIENT_SECRET = 'Callback-s3cret-0123456789abcdefghijklm';
const PORTFOLIO_CALLBACK = 'https://myportfolio.example/auth/dribbble/callback';
const HOST = ownLoopbackHost();
const PORT = 8738;
const PATH = '/auth/dribbble/callback';
const CALLBACK = `http://${HOST}:${PORT}${PATH}`;
let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK, PORTFOLIO_CALLBACK] }] });
});
afterAll(() => mock.close());
beforeEach(async () => {
  dir = await makeTempDir();
  mock.requests.length = 0;
});
// Each test's CLI is stopped here, not after its assertions: a failed assertion must not leave a
// child holding the callback port, failing the tests after it.
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});

const baseFlags = (redirectUri = CALLBACK) => ['--no-open', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--redirect-uri', redirectUri, '--oauth-url', mock.oauthBaseUrl, '--api-url', mock.apiBaseUrl];
function start(redirectUri?: string) {
  const run = startCli(['authorize', ...baseFlags(redirectUri)], { cwd: dir, env: cliEnv(dir) });
  children.push(run.child);
  return run;
}
const tokenRequests = () => mock.requests.filter((r) => r.path === '/oauth/token');

/** A GET to the callback port with the Host header given. */
function get(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: HOST, port: PORT, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Raw bytes to the callback port; resolves with what came back when the server closes or after 2 s. */
function rawRequest(bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT }, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    setTimeout(() => (socket.destroy(), resolve(answer)), 2_000);
  });
}

/**
 * The addresses `pid` itself listens on at PORT: the kernel's TCP tables (IPv4 and IPv6) filtered
 * to the socket inodes among that process's own file descriptors, so another process listening on
 * the same port (another test file, a developer's own authorize) is not seen.
 */
async function listenersOf(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/net/${table}`, 'utf8').catch(() => '');
    for (const fields of text.split('\n').slice(1).map((line) => line.trim().split(/\s+/))) {
      if (fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
      const [hex, port] = fields[1]!.split(':');
      if (parseInt(port!, 16) !== PORT) continue;
      found.push(table === 'tcp' ? [3, 2, 1, 0].map((i) => parseInt(hex!.slice(i * 2, i * 2 + 2), 16)).join('.') : `[${hex}]`);
    }
  }
  return found;
}

describe('authorize with a loopback redirect URI', () => {
  it('listens on the loopback address only; refuses another Host header (DNS rebinding) with 421; survives GET //[ and garbage; ignores stray requests and callbacks with a wrong or missing state (400 page, nothing written); then completes when the printed URL is followed like curl -L', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const consent = new URL(url!);
    const state = consent.searchParams.get('state')!;
    expect(consent.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(consent.searchParams.get('response_type')).toBe('code');
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await listenersOf(run.child.pid!)).toEqual([HOST]);
    expect((await get(`${PATH}?code=abc&state=${state}`, `evil.example:${PORT}`)).status).toBe(421);
    // F5: no request kills the callback.
    for (const target of ['//[', '//', `http://[${PATH}`, '*', `${PATH}?%zz=%`, '/%E0%A4%A']) {
      const answer = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
    await rawRequest('GARBAGE\r\n\r\n');
    // Stray requests, such as the browser's favicon, are ignored.
    expect((await fetch(`http://${HOST}:${PORT}/favicon.ico`)).status).toBe(404);
    for (const query of ['code=abc&state=forged', 'error=access_denied', 'error=access_denied&state=forged&code=abc']) {
      const forged = await fetch(`${CALLBACK}?${query}`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('This callback does not belong to this authorization');
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(run.child.exitCode, run.output()).toBeNull();
    expect(tokenRequests()).toHaveLength(0);
    expect(await readTree(dir)).toEqual([]);

    const page = await fetch(url!, { redirect: 'follow' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Ignored a request to the callback with a wrong state');
    expect(result.stdout).toContain('Ignored a request to the callback with no state');
    expect(tokenRequests()).toHaveLength(1);
    // A working token in a 0600 .env, kept off stdout.
    const token = parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toContain(token);
    const me = await fetch(`${mock.apiBaseUrl}/user`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200); // (whoami reading .env is whoami.test.ts's)
    expect(((await me.json()) as { login: string }).login).toBe('demo-designer');
    // The success page: CSP, no framing, no caching, and values kept inside their attributes.
    expect(html).toContain('Your Dribbble access token is ready');
    expect(html).toContain(`value="${token}"`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const attribute = /<input id="client-id"[^>]* value="([^"]*)"/.exec(html);
    expect(attribute).not.toBeNull(); // the value did not break out of its quotes
    expect(decodeHtmlText(attribute![1]!)).toBe(CLIENT_ID);
    expect(html).not.toContain('<script>alert(1)');
  });

  it('a callback carrying both error and code (with the right state) is a refusal: a 403 page showing error_description as text, exit 3, never exchanged, nothing written', async () => {
    const run = start();
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    const state = new URL(url!).searchParams.get('state')!;
    const page = await get(`${PATH}?${new URLSearchParams({ code: 'abc', error: 'access_denied', error_description: '<b>denied</b>', state })}`, `${HOST}:${PORT}`);
    expect(page.status).toBe(403);
    expect(page.body).not.toMatch(/<b>/i);
    expect(decodeHtmlText(page.body)).toContain('<b>denied</b>');
    const result = await run.exit;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [access_denied]');
    expect(tokenRequests()).toHaveLength(0);
    expect(await readTree(dir)).toEqual([]);
  });

  // F4: the command exits on its outcome, whatever the browser does; one callback only.
  it('the browser tab closed while the exchange runs, a second callback (409), an idle keep-alive connection and a half-sent request: one exchange, the token saved, and the command exits within 5 s', async () => {
    // An OAuth server whose token answer waits for the test: the first callback is then surely in flight.
    let release: () => void = () => undefined;
    let heldTokenRequests = 0;
    let releasedAt = 0;
    const oauth = await startStubServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname.endsWith('/authorize')) {
        res.writeHead(302, { Location: `${url.searchParams.get('redirect_uri')}?code=held-code&state=${url.searchParams.get('state')}` }).end();
      } else {
        heldTokenRequests += 1;
        release = () => {
          releasedAt = Date.now();
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'HeldT0ken'.padEnd(40, 'x'), token_type: 'Bearer' }));
        };
      }
    });
    const run = startCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', CALLBACK, '--oauth-url', `${oauth.origin}/oauth`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }) });
    children.push(run.child);
    const [, consent] = await run.waitForOutput(AUTHORIZE_URL).catch(async (error: unknown) => {
      await oauth.close();
      throw error;
    });
    const idle = connect({ host: HOST, port: PORT });
    const slow = connect({ host: HOST, port: PORT }, () => slow.write(`GET ${PATH} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n`));
    for (const s of [idle, slow]) s.on('error', () => undefined);
    try {
      const callbackUrl = (await fetch(consent!, { redirect: 'manual' })).headers.get('location')!;
      // The "browser" gives up after 100 ms (curl -m 0.1), long before the token comes.
      const tab = request(callbackUrl, { headers: { Host: `${HOST}:${PORT}` } });
      tab.on('error', () => undefined);
      tab.end();
      setTimeout(() => tab.destroy(), 100);
      await waitFor(async () => heldTokenRequests === 1, 'the token request');
      const state = new URL(callbackUrl).searchParams.get('state')!;
      expect((await get(`${PATH}?code=second-code&state=${state}`, `${HOST}:${PORT}`)).status).toBe(409);
      await new Promise((r) => setTimeout(r, 300));
      release();
      const result = await run.exit;
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - releasedAt).toBeLessThan(5_000);
      expect(heldTokenRequests).toBe(1);
      expect(await readFile(join(dir, '.env'), 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${'HeldT0ken'.padEnd(40, 'x')}`);
    } finally {
      idle.destroy();
      slow.destroy();
      await oauth.close();
    }
  });
});

describe('authorize with a non-loopback redirect URI (paste flow)', () => {
  /** What the browser would land on: the mock's redirect for the printed consent URL. */
  async function landingUrl(url: string): Promise<string> {
    return (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
  }

  it('asks for the pasted URL, checks its state, exchanges and saves', async () => {
    const run = start(PORTFOLIO_CALLBACK);
    const [, url] = await run.waitForOutput(AUTHORIZE_URL);
    await run.waitForOutput(/Paste the URL the browser landed on/);
    run.child.stdin!.end(`${await landingUrl(url!)}\n`);
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the pending authorization when nothing is pasted, so exchange can finish it (state checked, verifier sent)', async () => {
    const run = start(PORTFOLIO_CALLBACK);
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
