// `upload` end to end against the mock: the image rule, the tags and the token's scope checked
// before any request; then the multipart upload through Newman, the 202's Location polled until
// the shot is processed, and the shot's URL printed. No secret in any output.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { pngOfSize } from '../support/images.js';
import { cliEnv, makeTempDir, runCli } from './helpers.js';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function setUp(tokenScope: string, envScope?: string) {
  mock = await startMockServer({ port: 0, processingDelayMs: 1500 });
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
  test('an 801x600 PNG is refused with exit 2 before any request, naming the size found and the allowed ones', async () => {
    const { mock, image, upload } = await setUp('public upload', 'public upload');
    const result = await upload(await image(801, 600), '--title', 'Off by one');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is 801x600 pixels; Dribbble takes exactly 400x300 or 800x600');
    expect(mock.requests).toHaveLength(0);
  });

  test('13 tags, no title, a folder for an image: exit 2, nothing sent', async () => {
    const { mock, dir, image, upload } = await setUp('public upload', 'public upload');
    const file = await image(800, 600);
    const tags = Array.from({ length: 13 }, (_, i) => `t${i}`).join(',');
    expect((await upload(file, '--title', 'T', '--tags', tags)).stderr).toContain('13 tags; Dribbble takes at most 12');
    expect((await upload(file)).code).toBe(2);
    expect((await upload(dir, '--title', 'T')).code).toBe(2);
    expect(mock.requests).toHaveLength(0);
  });

  test('an 800x600 PNG with a token lacking "upload": exit 2 naming the scope, before any request', async () => {
    const { mock, token, image, upload } = await setUp('public');
    const result = await upload(await image(800, 600), '--title', 'No scope', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe('missing_scope');
    expect(result.stderr).toContain('needs the "upload" scope');
    expect(result.stderr).toContain('npm run authorize -- --scope "public upload"');
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(mock.requests).toHaveLength(0);
  });

  test('a token that lacks "upload" while DRIBBBLE_SCOPE claims it: Dribbble\'s 403 names the scope (exit 3)', async () => {
    const { upload, image } = await setUp('public', 'public upload');
    const result = await upload(await image(800, 600), '--title', 'Claimed scope');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('needs the "upload" scope');
  });

  test('with the scope: exit 0 after the processing delay, printing the shot\'s URL; --json parses', async () => {
    const { mock, token, image, upload } = await setUp('public upload', 'public upload');
    const started = Date.now();
    const result = await upload(await image(800, 600), '--title', 'Sasquatch', '--tags', 'sketch, wip', '--description', '<p>Hi</p>', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const out = JSON.parse(result.stdout);
    expect(out.shot_url).toMatch(/^https:\/\/dribbble\.com\/shots\/\d+/);
    expect(out.shot).toMatchObject({ title: 'Sasquatch', tags: ['sketch', 'wip'] });
    expect(result.stderr).toMatch(/Processing: .* answers 404 for now; asking again in \d s/);
    const posts = mock.requests.filter((r) => r.method === 'POST' && r.path === '/v2/shots');
    expect(posts).toHaveLength(1);
    expect(mock.requests.filter((r) => r.method === 'GET' && /^\/v2\/shots\/\d+$/.test(r.path)).length).toBeGreaterThanOrEqual(2);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  test('human output: the shot\'s URL on its own line', async () => {
    const { image, upload } = await setUp('public upload', 'public upload');
    const result = await upload(await image(400, 300), '--title', 'Small');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^https:\/\/dribbble\.com\/shots\/\d+\S*$/m);
  });
});
