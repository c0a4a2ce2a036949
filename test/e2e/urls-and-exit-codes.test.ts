// Issue class 8: base URLs are normalized or refused, the URL actually requested is named, and the
// exit codes follow PRODUCT.md: refusals 3, "not now" 4 with the server's wait, protocol 5.
// What an answer means (each status, each header) is decided in process and tested there
// (test/unit/token-exit-codes.test.ts, authenticated-user.test.ts, token-answer.test.ts,
// http-answers.test.ts); here, whole runs: the process's exit code and streams, files written,
// real TLS sockets.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

const TOKEN_JSON = JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer', scope: 'public' });
const SECRET = 'Exit-codes-s3cret-0123456789abcdefghij';
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
  const REFRESH = 'Refr3sh-t0ken-0123456789abcdefghijkl';
  const saveExchange = (oauthUrl: string, extra: string[] = []) =>
    runCli(['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', oauthUrl, ...extra], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: SECRET, DRIBBBLE_CODE: 'abc' }),
    });

  it('a 201 with an access_token, a lifetime and a refresh token: saved, both tokens printed nowhere, a note says 201', async () => {
    answer = { status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 7200, refresh_token: REFRESH }) };
    const result = await saveExchange(`${stub.origin}/oauth`);
    expect(result.code, result.stderr).toBe(0);
    for (const secret of [TOKEN, REFRESH, SECRET]) expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stdout).toContain('answered 201');
    expect(result.stdout).toContain('expires in 7200 s');
    expect(result.stdout).toContain('Refresh token:');
    const saved = await readFile(join(dir, '.env'), 'utf8');
    expect(saved).toContain(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}`);
    expect(saved).not.toContain(REFRESH);
  });

  it('a 400 carrying a token, at a base URL with trailing slashes: the request goes to /oauth/token, exit 5 naming that URL, the token kept safe and in no output, --json included', async () => {
    answer = { status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer' }) };
    const result = await saveExchange(`${stub.origin}/oauth//`, ['--json']);
    expect(result.code, result.stderr).toBe(5);
    expect(stub.requests.map((r) => r.url)).toEqual(['/oauth/token']);
    expect(result.stderr).toContain(`The token endpoint ${stub.origin}/oauth/token answered 400`);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(JSON.parse(result.stdout).error.code).toBe('unexpected_token_answer');
    const kept = /kept in (\S+rescued-token-\S+\.env)/.exec(result.stderr)?.[1];
    expect(kept, result.stderr).toBeTruthy();
    expect(await readFile(kept!, 'utf8')).toContain(TOKEN);
    await expect(readFile(join(dir, '.env'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a 5xx body holding a token-like value: exit 4 with the server\'s wait, the value echoed masked', async () => {
    answer = { status: 502, headers: { 'Content-Type': 'text/plain', 'Retry-After': '120' }, body: `upstream said access_token=${TOKEN}&x=1` };
    const result = await saveExchange(`${stub.origin}/oauth`, ['--json']);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.stderr).toContain('access_token=');
    expect(result.stderr).toContain('Try again in 120 s (Retry-After)');
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
  const exchangeArgs = () => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`, '--code', 'abc', '--no-save'];

  // exchange checks the same way, by the same call (checkExchangeInputs); whoami's Newman run
  // refuses in runCollectionItems (test/unit/authenticated-user.test.ts).
  it('authorize against a self-signed server with NODE_TLS_REJECT_UNAUTHORIZED=0: exit 2 naming it and NODE_EXTRA_CA_CERTS, before printing a consent URL, nothing sent', async () => {
    const auth = await runCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${tls.origin}/oauth`], { cwd: dir, env: insecureEnv() });
    expect(auth.code, auth.stderr).toBe(2);
    expect(auth.stderr).toContain('error [tls_verification_off]');
    expect(auth.stderr).toContain('NODE_TLS_REJECT_UNAUTHORIZED');
    expect(auth.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(auth.stdout).not.toContain('/oauth/authorize');
    expect(tls.requests).toBe(0);
  });

  it('with --allow-insecure-tls the request is sent, with a warning NODE_NO_WARNINGS does not hide', async () => {
    const result = await runCli([...exchangeArgs(), '--allow-insecure-tls'], { cwd: dir, env: insecureEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: TLS certificate checks are OFF');
    expect(tls.requests).toBe(1);
  });

  it('without the variable, the self-signed certificate is refused: exit 4 (TLS), nothing accepted', async () => {
    const result = await runCli(exchangeArgs(), { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Tls-s3cret-0123456789abcdefghijkl' }) });
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('error [tls_failure]');
  });
});
