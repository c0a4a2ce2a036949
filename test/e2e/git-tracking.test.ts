// Issue class 2: "is this file tracked?" fails closed. When git cannot answer inside a work tree,
// no secret is written there (exit 2, before any request); a tracked or staged .env is refused.
// Each case of the answer (no git, dubious ownership, staged, committed, symlink) is a unit test
// (git-tracking); here the whole run: refused before any request, nothing written or left behind.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, leftovers, makeTempDir, runCli, startStubServer } from './helpers.js';

const SECRET = 'Git-check-s3cret-0123456789abcdefghij';
const TOKEN = 'c'.repeat(64);
let server: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;

beforeAll(async () => {
  server = await startStubServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', scope: 'public' })));
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await makeTempDir();
  server.requests.length = 0;
  execFileSync('git', ['init', '-q'], { cwd: dir });
});

const args = () => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${server.origin}/oauth`, '--code', 'abc'];
const envWith = (extra: Record<string, string> = {}) => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: SECRET, ...extra });

describe('git tracking, fail-closed', () => {
  it('a committed .env is refused (exit 2) before any request, stays byte for byte, and no temporary file or lock is left', async () => {
    await writeFile(join(dir, '.env'), 'DRIBBBLE_CLIENT_ID=id\n');
    execFileSync('git', ['add', '.env'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'oops'], { cwd: dir });
    const result = await runCli(args(), { cwd: dir, env: envWith() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [tracked_secret_file]');
    expect(server.requests).toHaveLength(0);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('DRIBBBLE_CLIENT_ID=id\n');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('with no git on PATH outside any work tree: saves as usual', async () => {
    const outside = await makeTempDir();
    const result = await runCli(args(), { cwd: outside, env: cliEnv(outside, { DRIBBBLE_CLIENT_SECRET: SECRET, PATH: '/nonexistent' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(outside, '.env'), 'utf8')).toBe(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}\n`);
  });
});
