// Issue class 8: base URLs are normalized or refused, the URL actually requested is named, and the
// exit codes follow PRODUCT.md: refusals 3, "not now" 4 with the server's wait, protocol 5.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

const TOKEN_JSON = JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer', scope: 'public' });
let dir: string;
let answer: { status: number; headers: Record<string, string>; body: string };
let stub: Awaited<ReturnType<typeof startStubServer>>;

beforeAll(async () => {
  stub = await startStubServer((_q, res) => res.writeHead(answer.status, answer.headers).end(answer.body));
});
afterAll(() => stub.close());
beforeEach(async () => {
  dir = await makeTempDir();
  stub.requests.length = 0;
  answer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: TOKEN_JSON };
});

const exchange = (oauthUrl: string, extra: string[] = []) =>
  runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', oauthUrl, '--code', 'abc', '--no-save', ...extra], {
    cwd: dir,
    env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Exit-codes-s3cret-0123456789abcdefghij' }),
  });
const whoami = (apiUrl: string) => runCli(['whoami', '--api-url', apiUrl], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'a'.repeat(40) }) });

describe('base URLs', () => {
  it('trailing slashes are dropped: the request goes to /oauth/token, and an error names that URL', async () => {
    const ok = await exchange(`${stub.origin}/oauth//`);
    expect(ok.code, ok.stderr).toBe(0);
    expect(stub.requests[0]!.url).toBe('/oauth/token');
    answer = { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>' };
    const failed = await exchange(`${stub.origin}/oauth/`);
    expect(failed.code).toBe(5);
    expect(failed.stderr).toContain(`The token endpoint ${stub.origin}/oauth/token answered 200`);
  });

  it.each(['?x=1', '#f', '?'])('a base URL ending in %s is exit 2 before any request', async (suffix) => {
    const result = await exchange(`${stub.origin}/oauth${suffix}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has a query or fragment');
    expect(stub.requests).toHaveLength(0);
  });

  it('an API base URL with a trailing slash reaches /v2/user', async () => {
    answer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'someone' }) };
    const result = await whoami(`${stub.origin}/v2/`);
    expect(result.code, result.stderr).toBe(0);
    expect(stub.requests[0]!.url).toBe('/v2/user');
  });
});

describe('exit codes of the token request', () => {
  it.each([
    ['401 without an OAuth error', 401, {}, 'text/plain', 'Unauthorized', 3, 'unauthorized', 'the credentials were not accepted'],
    ['403 without an OAuth error', 403, {}, 'text/plain', 'Forbidden', 3, 'forbidden', 'lacks a scope'],
    ['an OAuth error with status 500', 500, {}, 'application/json', '{"error":"server_error"}', 3, 'server_error', 'failed'],
    ['an OAuth error with status 200', 200, {}, 'application/json', '{"error":"invalid_grant"}', 3, 'invalid_grant', 'Authorize again'],
    ['429 with Retry-After seconds', 429, { 'Retry-After': '120' }, 'text/plain', 'slow down', 4, 'rate_limited', 'Try again in 120 s (Retry-After)'],
    ['503 with Retry-After as a date', 503, { 'Retry-After': 'Wed, 21 Oct 2099 07:28:00 GMT' }, 'text/html', 'down', 4, 'server_unavailable', 'Try again at 07:28:00 UTC'],
    ['502 with X-RateLimit-Reset', 502, { 'X-RateLimit-Reset': '4102444800' }, 'text/html', 'bad gateway', 4, 'server_unavailable', 'Try again at 00:00:00 UTC'],
    ['500 with no hint', 500, {}, 'text/html', 'oops', 4, 'server_unavailable', 'Try again later (the server said not when)'],
    ['404 HTML', 404, {}, 'text/html', '<h1>Not found</h1>', 5, 'not_json', 'not JSON'],
  ])('%s: the exit code and message PRODUCT.md gives', async (_what, status, headers, type, body, exitCode, code, text) => {
    answer = { status, headers: { 'Content-Type': type, ...headers }, body };
    const result = await exchange(`${stub.origin}/oauth`);
    expect(result.code, result.stderr).toBe(exitCode);
    expect(result.stderr).toContain(`error [${code}]`);
    expect(result.stderr).toContain(text);
    expect(result.stderr).not.toContain('in a minute');
  });
});

describe('exit codes of Get authenticated user', () => {
  it.each([
    [403, {}, 3, 'forbidden'],
    [502, {}, 4, 'server_unavailable'],
    [429, { 'X-RateLimit-Reset': '4102444800' }, 4, 'rate_limited'],
  ])('status %i: the exit code PRODUCT.md gives', async (status, headers, exitCode, code) => {
    answer = { status, headers: { 'Content-Type': 'application/json', ...headers }, body: '{"message":"nope"}' };
    const result = await whoami(`${stub.origin}/v2`);
    expect(result.code, result.stderr).toBe(exitCode);
    expect(result.stderr).toContain(`error [${code}]`);
  });
});

describe('demo', () => {
  it('demo --timeout 1 is "try again" (exit 4), never called a bug', async () => {
    const result = await runCli(['demo', '--timeout', '1'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).not.toMatch(/bug|internal/i);
  });
});

// F3: a token in an answer Dribbble would not send is handled as a token, never printed in clear.
describe('a token in an unexpected answer', () => {
  const TOKEN = 'Unexp3cted-t0ken-0123456789abcdefghij';
  const saveExchange = (extra: string[] = []) =>
    runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`, ...extra], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Exit-codes-s3cret-0123456789abcdefghij', DRIBBBLE_CODE: 'abc' }),
    });

  it('a 201 with an access_token: saved, masked, the token printed nowhere; a note says 201', async () => {
    answer = { status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer' }) };
    const result = await saveExchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.stdout).toContain('answered 201');
    expect(await readFile(join(dir, '.env'), 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}`);
  });

  it('a 200 whose JSON starts with a BOM: the token is saved, not printed', async () => {
    answer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: `\ufeff${JSON.stringify({ access_token: TOKEN, token_type: 'bearer' })}` };
    const result = await saveExchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(await readFile(join(dir, '.env'), 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}`);
  });

  it('a 400 carrying a token (no OAuth error): exit 5, the token kept safe and in no output, --json included', async () => {
    answer = { status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer' }) };
    const result = await saveExchange(['--json']);
    expect(result.code, result.stderr).toBe(5);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(JSON.parse(result.stdout).error.code).toBe('unexpected_token_answer');
    const kept = /kept in (\S+rescued-token-\S+\.env)/.exec(result.stderr)?.[1];
    expect(kept, result.stderr).toBeTruthy();
    expect(await readFile(kept!, 'utf8')).toContain(TOKEN);
  });

  it('an HTML or 5xx body holding a token-like value is echoed masked', async () => {
    answer = { status: 502, headers: { 'Content-Type': 'text/plain' }, body: `upstream said access_token=${TOKEN}&x=1` };
    const result = await saveExchange(['--json']);
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.stderr).toContain('access_token=');
  });

  it('expires_in 0, -7200 and 1e308 print "expiry unknown" (never "does not expire"); --json carries refresh_token and expires_in', async () => {
    for (const sent of ['0', '-7200', '1e308']) {
      answer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: `{"access_token":"${TOKEN}","token_type":"bearer","expires_in":${sent}}` };
      const result = await exchange(`${stub.origin}/oauth`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('expiry unknown');
      expect(result.stdout).not.toMatch(/does not expire|expires in -/);
    }
    const refresh = 'Refr3sh-t0ken-0123456789abcdefghijkl';
    answer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 7200, refresh_token: refresh }) };
    const human = await exchange(`${stub.origin}/oauth`);
    expect(human.stdout).toContain('expires in 7200 s');
    expect(human.stdout).toContain('Refresh token:');
    expect(human.stdout + human.stderr).not.toContain(refresh);
    const json = await exchange(`${stub.origin}/oauth`, ['--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ refresh_token: refresh, expires_in: 7200 });
    expect(json.stderr).not.toContain(refresh);
  });
});

// F12: TLS verification switched off by the environment is refused before anything is sent.
describe('TLS verification off in the environment', () => {
  let tls: { origin: string; requests: number; close: () => Promise<void> };
  beforeAll(async () => {
    const certDir = await makeTempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
    const server = createHttpsServer({ key: await readFile(join(certDir, 'key.pem')), cert: await readFile(join(certDir, 'cert.pem')) }, (req, res) => {
      tls.requests += 1;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(TOKEN_JSON));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    tls = {
      origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests: 0,
      close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
    };
  });
  afterAll(() => tls.close());
  const insecureEnv = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Tls-s3cret-0123456789abcdefghijkl', NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1' });

  it('exchange against a self-signed server with NODE_TLS_REJECT_UNAUTHORIZED=0: exit 2 naming it and NODE_EXTRA_CA_CERTS, nothing sent', async () => {
    const result = await runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`, '--code', 'abc', '--no-save'], { cwd: dir, env: insecureEnv() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [tls_verification_off]');
    expect(result.stderr).toContain('NODE_TLS_REJECT_UNAUTHORIZED');
    expect(result.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(tls.requests).toBe(0);
  });

  it('whoami and authorize are refused the same way (authorize before printing a consent URL)', async () => {
    const who = await runCli(['whoami', '--api-url', `${tls.origin}/v2`], { cwd: dir, env: { ...insecureEnv(), DRIBBBLE_ACCESS_TOKEN: 'a'.repeat(40) } });
    expect(who.code, who.stderr).toBe(2);
    expect(who.stderr).toContain('error [tls_verification_off]');
    const auth = await runCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`], { cwd: dir, env: insecureEnv() });
    expect(auth.code, auth.stderr).toBe(2);
    expect(auth.stdout).not.toContain('/oauth/authorize');
    expect(tls.requests).toBe(0);
  });

  it('with --allow-insecure-tls the request is sent, with a warning NODE_NO_WARNINGS does not hide', async () => {
    const result = await runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`, '--code', 'abc', '--no-save', '--allow-insecure-tls'], { cwd: dir, env: insecureEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: TLS certificate checks are OFF');
    expect(tls.requests).toBe(1);
  });

  it('without the variable, the self-signed certificate is refused: exit 4 (TLS), nothing accepted', async () => {
    const result = await runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`, '--code', 'abc', '--no-save'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Tls-s3cret-0123456789abcdefghijkl' }) });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('error [tls_failure]');
  });
});
