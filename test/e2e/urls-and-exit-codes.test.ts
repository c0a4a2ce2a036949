// Issue class 8: base URLs are normalized or refused, the URL actually requested is named, and the
// exit codes follow PRODUCT.md: refusals 3, "not now" 4 with the server's wait, protocol 5.
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
