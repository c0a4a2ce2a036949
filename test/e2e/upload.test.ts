// `upload` end to end against the mock: the checks before any request (each refusal in process:
// test/unit/shot-upload-checks.test.ts, shot-image.test.ts), the token's scope, then the multipart
// upload through Newman, the 202's Location polled until the shot is processed, and the shot's URL
// printed. No secret in any output.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer, type MockServerOptions } from '../../scripts/lib/mock/mock-server.js';
import { pngOfSize } from '../support/images.js';
import { cliEnv, makeTempDir, runCli } from './helpers.js';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function setUp(tokenScope: string, envScope?: string, options: MockServerOptions = {}) {
  mock = await startMockServer({ port: 0, ...options });
  const token = mock.issueToken({ scope: tokenScope });
  const dir = await makeTempDir();
  const env = cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: token, DRIBBBLE_API_URL: mock.origin, ...(envScope ? { DRIBBBLE_SCOPE: envScope } : {}) });
  const image = async (w: number, h: number) => {
    const path = join(dir, `shot-${w}x${h}.png`);
    await writeFile(path, pngOfSize(w, h));
    return path;
  };
  const upload = (...args: string[]) => runCli(['upload', ...args], { cwd: dir, env });
  return { mock, token, dir, image, upload };
}

describe('upload', () => {
  test('an 800x600 PNG with a token lacking "upload", as DRIBBBLE_SCOPE says: exit 2 naming the scope, before any request', async () => {
    const { mock, token, image, upload } = await setUp('public', 'public');
    const result = await upload(await image(800, 600), '--title', 'No scope', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe('missing_scope');
    expect(result.stderr).toContain('needs the "upload" scope');
    expect(result.stderr).toContain('npm run authorize -- --scope "public upload"');
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(mock.requests).toHaveLength(0);
  });

  // A token that lacks "upload" while DRIBBBLE_SCOPE claims it passes the local check
  // (shot-upload-checks.test.ts), and Dribbble's 403 on "Create a shot" names the scope, exit 3
  // (api-command-checks.test.ts); a 403 explained end to end: api.test.ts.

  test('with the scope: exit 0 after the processing, the shot\'s URL on a line of its own; --json parses', async () => {
    // Processing that ends exactly at the second poll, however slow the machine: the mock's clock
    // jumps past it once that poll arrives (the first answers 404, the tool waits 1 s, asks again).
    let m: MockServer | undefined;
    const polls = () => m?.requests.filter((r) => r.method === 'GET' && /^\/v2\/shots\/\d+$/.test(r.path)).length ?? 0;
    const { mock, token, image, upload } = await setUp('public upload', 'public upload', { processingDelayMs: 600_000, now: () => Date.now() + (polls() >= 2 ? 3_600_000 : 0) });
    m = mock;
    const started = Date.now();
    const result = await upload(await image(800, 600), '--title', 'Sasquatch', '--tags', 'sketch, wip', '--description', '<p>Hi</p>', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const out = JSON.parse(result.stdout);
    expect(out.shot_url).toMatch(/^https:\/\/dribbble\.com\/shots\/\d+/);
    expect(out.shot).toMatchObject({ title: 'Sasquatch', tags: ['sketch', 'wip'] });
    expect(result.stderr).toMatch(/Processing: .* answers 404 for now; asking again in 1 s/);
    // The human lines (on stderr under --json, which test/unit/command-output*.test.ts guard): the URL alone on its line.
    expect(result.stderr).toMatch(/^Uploaded 800x600 PNG: shot \d+ processed after 2 checks\.$/m);
    expect(result.stderr).toContain(`\n${out.shot_url}\n`);
    expect(mock.requests.filter((r) => r.method === 'POST' && r.path === '/v2/shots')).toHaveLength(1);
    expect(polls()).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(token);
  });
});
