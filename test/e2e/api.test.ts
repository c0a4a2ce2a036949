// `api` end to end against the mock: any request by name or method and path, every page in one
// Newman run, the rate limit kept as a budget shared by concurrent commands (no 429 earned, a
// wait said out loud, exit 4 past --timeout), Dribbble's refusals explained, no secret printed.
// What the modules decide is unit-tested: the request and its fields (api-arguments.test.ts), the
// refusals' meanings and flag checks (api-command-checks.test.ts), the budget (rate-limiter.test.ts,
// rate-budget.test.ts); here, one run per code path.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { pngOfSize } from '../support/images.js';
import { MOCK_OTHER_USER, startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { cliEnv, makeTempDir, runCli, startCli, startStubServer, type CliResult } from './helpers.js';

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
/** The ids of the demo user's shots, from the mock's store (no CLI run, no request spent on it). */
const shotIds = (m: MockServer) => [...m.store.shots.values()].filter((s) => s.userId !== MOCK_OTHER_USER.id).map((s) => s.id);

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

  test('GET /v2/shots/ID prints the shot; --include shows the status and X-RateLimit-*', async () => {
    const { mock, api } = await setUp({ seedShots: 2 });
    const [id] = shotIds(mock);
    const title = mock.store.shots.get(id!)!.title;
    const result = await api('GET', `/v2/shots/${id}`, '--include');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^HTTP 200\n/);
    expect(result.stdout).toMatch(/x-ratelimit-remaining: \d+/);
    expect(result.stdout).toContain(`"title":"${title}"`);
    expect(apiRequests(mock, `/v2/shots/${id}`)).toHaveLength(1);
  });

  test('-F image=@file: the multipart upload through the collection item, 202 with the Location to poll', async () => {
    const { mock, dir, token, api } = await setUp({}, 'public upload');
    await writeFile(join(dir, 'shot.png'), pngOfSize(400, 300));
    const result = await api('POST', '/shots', '-f', 'title=By api', '-f', 'tags=a,b', '-F', 'image=@shot.png');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Accepted: processing; poll http:\/\/127\.0\.0\.1:\d+\/v2\/shots\/\d+ until it answers 200/);
    expect(mock.requests.filter((r) => r.method === 'POST' && r.path === '/v2/shots')).toHaveLength(1);
    noSecret(result, token);
    // A file that is not there: exit 2 naming it, nothing sent (in process: api-command-checks.test.ts).
  });

  test('a 403 on GET /popular_shots says the endpoint needs Dribbble\'s approval (exit 3); a missing scope, in process: api-command-checks.test.ts', async () => {
    const { token, api } = await setUp();
    const result = await api('GET', '/popular_shots', '--json');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'needs_approval' });
    expect(result.stderr).toMatch(/reserved for apps Dribbble has approved/);
    noSecret(result, token);
  });

  test('a usage error is exit 2 before any request (every kind of them, in process: api-arguments.test.ts, api-command-checks.test.ts)', async () => {
    const { mock, api } = await setUp();
    const result = await api('GET', '/nowhere');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('is not an endpoint of Dribbble\'s API v2');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the rate limit as a budget', () => {
  test('PUT by name with -f; then pages past the minute\'s budget, streamed with --jsonl: no 429 earned, the tool waited for the reset and said so; meanwhile whoami, sharing the budget, stops at once with --timeout (exit 4), nothing sent', { timeout: 90_000 }, async () => {
    // A "minute" of 2 requests that lasts 4 s (long enough for 2 pages in one run on a loaded
    // machine). The first run (a PUT: path parameter by name, body fields as JSON) teaches the CLI
    // the limit, in a minute already over (the mock's clock set back past it); the next needs 3
    // pages of 1, so it sends 2 in one Newman run, waits for the reset the second answer names,
    // then sends the third. (70 calls at the real 60 a minute, on a simulated clock:
    // test/unit/rate-limiter.test.ts.)
    const windowMs = 4000;
    let clockOffset = -(windowMs + 1000);
    const { mock, token, dir, env, api } = await setUp({ seedShots: 3, rateLimit: { perMinute: 2, windowMs }, now: () => Date.now() + clockOffset }, 'public upload');
    const [id] = shotIds(mock);
    const put = await api('Update a shot', '-f', `id=${id}`, '-f', 'title=Renamed', '-f', 'tags=a,b', '--json');
    clockOffset = 0;
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ id, title: 'Renamed', tags: ['a', 'b'] });

    const paging = startCli(['api', 'List my shots', '--paginate', '--jsonl', '-f', 'per_page=1'], { cwd: dir, env });
    await paging.waitForOutput(/waiting \d+ s/, 60_000);
    // While it waits: whoami spends the same budget, and --timeout 100 is shorter than the wait.
    const whoami = await runCli(['whoami', '--timeout', '100'], { cwd: dir, env });
    expect(whoami.code, whoami.stderr).toBe(4);
    expect(whoami.stderr).toMatch(/resets at \d\d:\d\d:\d\d UTC, in \d+ s, which is past --timeout 100 ms/);
    expect(apiRequests(mock, '/v2/user')).toHaveLength(0);

    const pages = await paging.exit;
    expect(pages.code, pages.stderr).toBe(0);
    const lines = pages.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { id: number }).id)).size).toBe(3);
    expect(apiRequests(mock, '/v2/user/shots').map((r) => r.query.per_page)).toEqual(['1', '1', '1']);
    expect(pages.stderr.match(/Rate limit: the minute's 2 requests are spent; waiting \d+ s until \d\d:\d\d:\d\d UTC/g) ?? [], pages.stderr).toHaveLength(1);
    for (const result of [put, whoami, pages]) noSecret(result, token);
  });
});

// Audit finding: a Link rel="next" that always points back to the same page cost a whole batch
// (50 requests, each with the token) before the loop was noticed.
test('a next link back to a page already read stops the run at once: exit 5 link_loop, no batch spent', async () => {
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

// A server whose every page has a new next link (page=2,3,4,... for ever) ran until the budget
// alone slowed it. The cap stops it: exit 5 page_cap naming --max-pages, the items read printed
// (the cap logic and the default, in process: link-header.test.ts).
test('an endless next chain stops at --max-pages: exit 5 page_cap, the pages read printed as the one list, no request past the cap', async () => {
  const stub = await startStubServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', stub.origin).searchParams.get('page') ?? '1');
    res.writeHead(200, { 'Content-Type': 'application/json', Link: `<${stub.origin}/v2/user/shots?page=${page + 1}&per_page=100>; rel="next"` });
    res.end(JSON.stringify([{ id: page }]));
  });
  try {
    const dir = await makeTempDir();
    const result = await runCli(['api', 'GET', '/user/shots', '--paginate', '--max-pages', '3'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'endless-t0ken-0123456789abcdefghijklmn', DRIBBBLE_API_URL: stub.origin }) });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/error \[page_cap\]: Stopped after 3 pages \(3 items\), the cap of --max-pages 3: .* still sent a Link rel="next"/);
    expect(JSON.parse(result.stdout)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(stub.requests).toHaveLength(3);
  } finally {
    await stub.close();
  }
});

// Audit finding: a Link rel="next" holding {{client_secret}} and {{access_token}} went out with both
// filled in by Newman, twice. A server-given URL with "{{" is refused (exit 5), never requested.
test('a next link with {{client_secret}} / {{access_token}} in it: exit 5 templated_url, the server never receives either secret', async () => {
  const secret = 'Cl1ent-secret-0123456789abcdefghijklmn';
  const token = 'Templ4te-t0ken-0123456789abcdefghijklm';
  const stub = await startStubServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', Link: `<${stub.origin}/v2/user/shots?page={{client_secret}}&t={{access_token}}>; rel="next"` });
    res.end('[{"id":1}]');
  });
  try {
    const dir = await makeTempDir();
    await writeFile(join(dir, '.env'), `DRIBBBLE_CLIENT_ID=client-id-0123\nDRIBBBLE_CLIENT_SECRET=${secret}\nDRIBBBLE_ACCESS_TOKEN=${token}\nDRIBBBLE_API_URL=${stub.origin}\n`);
    const result = await runCli(['api', 'GET', '/user/shots', '--paginate', '--max-pages', '3'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/error \[templated_url\]: .* sent a Link rel="next" header whose URL contains "\{\{"/);
    expect(stub.requests).toHaveLength(1);
    const received = stub.requests.map((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
    for (const value of [secret, token]) for (const form of [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]) expect(received.replace(`Bearer ${token}`, '')).not.toContain(form);
    expect(result.stdout + result.stderr).not.toContain(secret);
  } finally {
    await stub.close();
  }
});
