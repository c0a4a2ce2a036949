// `api` end to end against the mock: any request by name or method and path, every page in one
// Newman run, the rate limit kept as a budget shared by concurrent commands (no 429 earned, a
// wait said out loud, exit 4 past --timeout), Dribbble's refusals explained, no secret printed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { pngOfSize } from '../support/images.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { cliEnv, makeTempDir, runCli, type CliResult } from './helpers.js';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function setUp(options: Parameters<typeof startMockServer>[0] = {}, scope = 'public') {
  mock = await startMockServer({ port: 0, ...options });
  const token = mock.issueToken({ scope });
  const dir = await makeTempDir();
  const env = cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: token, DRIBBBLE_API_URL: mock.origin });
  const api = (...args: string[]) => runCli(['api', ...args], { cwd: dir, env });
  return { mock, token, dir, env, api };
}

const apiRequests = (m: MockServer, path: string) => m.requests.filter((r) => r.path === path);
const noSecret = (result: CliResult, token: string) => expect(result.stdout + result.stderr).not.toContain(token);

describe('api', () => {
  test('GET /user/shots --paginate over 250 shots: 250 items in 3 requests (per_page 100), one JSON list', async () => {
    const { mock, token, api } = await setUp({ seedShots: 250 });
    const result = await api('GET', '/user/shots', '--paginate', '--json');
    expect(result.code, result.stderr).toBe(0);
    const items = JSON.parse(result.stdout) as Array<{ id: number }>;
    expect(items).toHaveLength(250);
    expect(new Set(items.map((s) => s.id)).size).toBe(250);
    const pages = apiRequests(mock, '/v2/user/shots');
    expect(pages).toHaveLength(3);
    expect(pages.map((r) => r.query.per_page)).toEqual(['100', '100', '100']);
    expect(result.stderr).toContain('250 items in 3 requests');
    noSecret(result, token);
  });

  test('--jsonl prints one item a line; by name, with /v2 and -f per_page', async () => {
    const { mock, api } = await setUp({ seedShots: 25 });
    const result = await api('List my shots', '--paginate', '--jsonl', '-f', 'per_page=10');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(25);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('id');
    expect(apiRequests(mock, '/v2/user/shots')).toHaveLength(3);
  });

  test('GET /v2/shots/ID prints the shot; --include shows the status and X-RateLimit-*', async () => {
    const { mock, api } = await setUp({ seedShots: 2 });
    const [first] = JSON.parse((await api('GET', '/user/shots', '--json')).stdout) as Array<{ id: number; title: string }>;
    const result = await api('GET', `/v2/shots/${first!.id}`, '--include');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^HTTP 200\n/);
    expect(result.stdout).toMatch(/x-ratelimit-remaining: \d+/);
    expect(result.stdout).toContain(`"title":"${first!.title}"`);
    expect(apiRequests(mock, `/v2/shots/${first!.id}`)).toHaveLength(1);
  });

  test('PUT with -f: path parameter by name, body fields as JSON', async () => {
    const { api } = await setUp({ seedShots: 1 }, 'public upload');
    const [shot] = JSON.parse((await api('GET', '/user/shots', '--json')).stdout) as Array<{ id: number }>;
    const result = await api('Update a shot', '-f', `id=${shot!.id}`, '-f', 'title=Renamed', '-f', 'tags=a,b', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: shot!.id, title: 'Renamed', tags: ['a', 'b'] });
  });

  test('-F image=@file: the multipart upload through the collection item, 202 with the Location to poll', async () => {
    const { mock, dir, api } = await setUp({}, 'public upload');
    await writeFile(join(dir, 'shot.png'), pngOfSize(400, 300));
    const result = await api('POST', '/shots', '-f', 'title=By api', '-f', 'tags=a,b', '-F', 'image=@shot.png');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Accepted: processing; poll http:\/\/127\.0\.0\.1:\d+\/v2\/shots\/\d+ until it answers 200/);
    expect(mock.requests.filter((r) => r.method === 'POST' && r.path === '/v2/shots')).toHaveLength(1);
    const missing = await api('POST', '/shots', '-f', 'title=x', '-F', `image=@${join(dir, 'nowhere.png')}`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.png');
    expect(mock.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('a 403 on GET /popular_shots says the endpoint needs Dribbble\'s approval (exit 3)', async () => {
    const { token, api } = await setUp();
    const result = await api('GET', '/popular_shots', '--json');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'needs_approval' });
    expect(result.stderr).toMatch(/reserved for apps Dribbble has approved/);
    noSecret(result, token);
  });

  test('a 403 for a missing scope names the scope and how to authorize with it (exit 3)', async () => {
    const { api } = await setUp({ seedShots: 1 });
    const [shot] = JSON.parse((await api('GET', '/user/shots', '--json')).stdout) as Array<{ id: number }>;
    const result = await api('DELETE', `/shots/${shot!.id}`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('needs the "upload" scope');
    expect(result.stderr).toContain('npm run authorize -- --scope "public upload"');
  });

  test('usage errors are exit 2 before any request', async () => {
    const { mock, api } = await setUp();
    for (const args of [['GET', '/nowhere'], ['Get a shot'], ['GET', '/user', '-f', 'page=2'], ['GET', '/user', '--jsonl']]) {
      const result = await api(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
    }
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the rate limit as a budget', () => {
  test('calls in a row earn no 429 when the minute runs out: the tool waited for the reset, and said so', { timeout: 150_000 }, async () => {
    // The same user's minute mostly spent elsewhere first (55 of 60), so that a handful of CLI runs
    // reach the limit on a loaded machine; the mock's "minute" is 30 s. (70 calls at the real
    // 60 a minute, on a simulated clock: test/unit/rate-limiter.test.ts.)
    const { mock, token, api } = await setUp({ rateLimit: { perMinute: 60, windowMs: 30_000 } });
    for (let i = 0; i < 55; i++) expect((await fetch(`${mock.origin}/v2/user`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const results: CliResult[] = [];
    for (let i = 0; i < 8; i++) results.push(await api('GET', '/user', '--json'));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveProperty('login');
      noSecret(r, token);
    }
    expect(apiRequests(mock, '/v2/user')).toHaveLength(55 + 8);
    expect(results.filter((r) => /Rate limit: the minute's 60 requests are spent; waiting \d+ s until \d\d:\d\d:\d\d UTC/.test(r.stderr))).toHaveLength(1);
  });

  test('with --timeout 1000 a spent minute is exit 4 with the reset time, nothing sent; whoami spends the same budget', async () => {
    const { mock, env, dir, api } = await setUp({ rateLimit: { perMinute: 3, windowMs: 60_000 } });
    expect((await api('GET', '/user')).code).toBe(0);
    expect((await runCli(['whoami'], { cwd: dir, env })).code).toBe(0);
    expect((await api('GET', '/user')).code).toBe(0);
    const sent = mock.requests.length;
    for (const result of [await api('GET', '/user', '--timeout', '1000', '--json'), await runCli(['whoami', '--timeout', '1000'], { cwd: dir, env })]) {
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/resets at \d\d:\d\d:\d\d UTC, in \d+ s, which is past --timeout 1000 ms/);
    }
    expect(mock.requests.length).toBe(sent);
  });
});

// Audit finding: a Link rel="next" that always points back to the same page cost a whole batch
// (50 requests, each with the token) before the loop was noticed.
test('a next link back to a page already read stops the run at once: exit 5 link_loop, no batch spent', async () => {
  const { startStubServer } = await import('./helpers.js');
  const stub = await startStubServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', Link: `<${stub.origin}/v2/user/shots?page=2&per_page=100>; rel="next"`, 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '50', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 30) });
    res.end('[{"id":1}]');
  });
  try {
    const dir = await makeTempDir();
    const result = await runCli(['api', 'GET', '/user/shots', '--paginate'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'loop-t0ken-0123456789abcdefghijklmnop', DRIBBBLE_API_URL: stub.origin }) });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toContain('link_loop');
    expect(stub.requests.length).toBeLessThanOrEqual(3);
  } finally {
    await stub.close();
  }
});
