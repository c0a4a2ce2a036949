// The loopback callback of `authorize`, probed as a hostile page or a second tab would: it checks
// the Host header, listens on loopback only, takes one callback, escapes what it shows, frames
// nothing, and never exchanges a callback that carries an error. Each run of authorize carries
// every probe its outcome allows (what each single callback is worth is
// test/unit/callback-server.test.ts's).
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, decodeHtmlText, makeTempDir, ownLoopbackHost, readTree, startCli, startStubServer, waitFor } from './helpers.js';

const CLIENT_ID = 'cb-client"><script>alert(1)</script>';
const CLIENT_SECRET = 'Callback-s3cret-0123456789abcdefghijklm';
const HOST = ownLoopbackHost();
const PORT = 8738;
const CALLBACK = `http://${HOST}:${PORT}/cb`;
let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK] }] });
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

async function start() {
  const run = startCli(['authorize', '--no-open', '--client-id', CLIENT_ID, '--redirect-uri', CALLBACK, '--oauth-url', mock.oauthBaseUrl, '--callback-timeout', '20000'], {
    cwd: dir,
    env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }),
  });
  children.push(run.child);
  const [, url] = await run.waitForOutput(AUTHORIZE_URL);
  return { run, url: url!, state: new URL(url!).searchParams.get('state')! };
}

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

describe('the loopback callback', () => {
  // F5: no request kills the callback.
  it('listens on the loopback address only, refuses another Host header (DNS rebinding) with 421, survives GET //[ and garbage, then serves the page with CSP, no framing, no caching, quotes escaped inside attributes', async () => {
    const { run, url, state } = await start();
    expect(await listenersOf(run.child.pid!)).toEqual([HOST]);
    const rebound = await get(`/cb?code=abc&state=${state}`, `evil.example:${PORT}`);
    expect(rebound.status).toBe(421);
    for (const target of ['//[', '//', 'http://[/cb', '*', '/cb?%zz=%', '/%E0%A4%A']) {
      const answer = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
    await rawRequest('GARBAGE\r\n\r\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(run.child.exitCode, run.output()).toBeNull();
    expect(mock.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(0);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(dir, '.env'), 'utf8')).toMatch(/^DRIBBBLE_ACCESS_TOKEN=\S+$/m);
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
    const { run, state } = await start();
    const page = await get(`/cb?${new URLSearchParams({ code: 'abc', error: 'access_denied', error_description: '<b>denied</b>', state })}`, `${HOST}:${PORT}`);
    expect(page.status).toBe(403);
    expect(page.body).not.toMatch(/<b>/i);
    expect(decodeHtmlText(page.body)).toContain('<b>denied</b>');
    const result = await run.exit;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [access_denied]');
    expect(mock.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(0);
    expect(await readTree(dir)).toEqual([]);
  });
});

// F4: the command exits on its outcome, whatever the browser does; one callback only.
describe('one callback, and the command never held up by the browser', () => {
  /** authorize against an OAuth stub whose token answer waits for release(). */
  async function heldFlow() {
    let release: () => void = () => undefined;
    let tokenRequests = 0;
    let releasedAt = 0;
    const oauth = await startStubServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname.endsWith('/authorize')) {
        res.writeHead(302, { Location: `${url.searchParams.get('redirect_uri')}?code=held-code&state=${url.searchParams.get('state')}` }).end();
      } else {
        tokenRequests += 1;
        release = () => {
          releasedAt = Date.now();
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'HeldT0ken'.padEnd(40, 'x'), token_type: 'Bearer' }));
        };
      }
    });
    const run = startCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', CALLBACK, '--oauth-url', `${oauth.origin}/oauth`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }) });
    children.push(run.child);
    const [, consent] = await run.waitForOutput(AUTHORIZE_URL);
    const callbackUrl = (await fetch(consent!, { redirect: 'manual' })).headers.get('location')!;
    return { run, oauth, callbackUrl, tokenRequests: () => tokenRequests, tokenArrived: () => waitFor(async () => tokenRequests === 1, 'the token request'), release: () => release(), releasedAt: () => releasedAt };
  }

  it('a second callback while the first is exchanged gets 409; an idle keep-alive connection and a half-sent request do not delay the exit', async () => {
    const flow = await heldFlow();
    const idle = connect({ host: HOST, port: PORT });
    const slow = connect({ host: HOST, port: PORT }, () => slow.write(`GET /cb HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n`));
    for (const s of [idle, slow]) s.on('error', () => undefined);
    try {
      const first = fetch(flow.callbackUrl);
      await flow.tokenArrived();
      // The first callback is surely in flight: its token answer waits for the test.
      const state = new URL(flow.callbackUrl).searchParams.get('state')!;
      const second = await get(`/cb?code=second-code&state=${state}`, `${HOST}:${PORT}`);
      expect(second.status).toBe(409);
      flow.release();
      expect((await first).status).toBe(200);
      const result = await flow.run.exit;
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - flow.releasedAt()).toBeLessThan(5_000);
      expect(flow.tokenRequests()).toBe(1);
    } finally {
      idle.destroy();
      slow.destroy();
      await flow.oauth.close();
    }
  });

  it('the browser tab closed while the exchange runs (curl -m 0.1): the token is saved and the command exits within 5 s', async () => {
    const flow = await heldFlow();
    try {
      // The "browser" gives up after 100 ms, long before the token comes.
      const tab = request(flow.callbackUrl, { headers: { Host: `${HOST}:${PORT}` } });
      tab.on('error', () => undefined);
      tab.end();
      setTimeout(() => tab.destroy(), 100);
      await flow.tokenArrived();
      await new Promise((r) => setTimeout(r, 300));
      flow.release();
      const result = await flow.run.exit;
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - flow.releasedAt()).toBeLessThan(5_000);
      expect(await readFile(join(dir, '.env'), 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${'HeldT0ken'.padEnd(40, 'x')}`);
    } finally {
      await flow.oauth.close();
    }
  });
});
