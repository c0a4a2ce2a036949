// Issue class 2: "is this file tracked?" fails closed. When git cannot answer inside a work tree,
// no secret is written there (exit 2, before any request); a tracked or staged .env is refused.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, readTree, runCli, startStubServer } from './helpers.js';

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
  it('with no git on PATH inside a work tree: exit 2 before any request, nothing written', async () => {
    await writeFile(join(dir, '.env'), 'KEEP=1\n');
    const result = await runCli(args(), { cwd: dir, env: envWith({ PATH: '/nonexistent' }) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [git_tracking_unknown]');
    expect(result.stderr).toContain('git is not installed or not on PATH');
    expect(result.stderr).toContain(`inside the git work tree ${dir}`);
    expect(server.requests).toHaveLength(0);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('KEEP=1\n');
  });

  it('with no git on PATH outside any work tree: saves as usual', async () => {
    const outside = await makeTempDir();
    const result = await runCli(args(), { cwd: outside, env: cliEnv(outside, { DRIBBBLE_CLIENT_SECRET: SECRET, PATH: '/nonexistent' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(outside, '.env'), 'utf8')).toBe(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}\n`);
  });

  it('a work tree owned by another user ("dubious ownership"): exit 2 naming safe.directory, nothing sent', async () => {
    // Git's own switch for its ownership check (git >= 2.35.2): git then refuses this work tree as it
    // refuses one another user owns, for root and non-root alike, with no chown (which needs root).
    const result = await runCli(args(), { cwd: dir, env: envWith({ GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' }) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [git_tracking_unknown]');
    expect(result.stderr).toMatch(/dubious ownership/);
    expect(result.stderr).toContain(`git config --global --add safe.directory ${dir}`);
    expect(server.requests).toHaveLength(0);
    expect((await readTree(dir)).filter((f) => !f.path.includes('/.git/'))).toEqual([]);
  });

  it.each([
    ['committed', ['commit', '-qm', 'oops']],
    ['only staged', []],
  ])('a %s .env is refused (exit 2) before any request and stays byte for byte', async (_what, commit) => {
    await writeFile(join(dir, '.env'), 'DRIBBBLE_CLIENT_ID=id\n');
    execFileSync('git', ['add', '.env'], { cwd: dir });
    if (commit.length) execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...commit], { cwd: dir });
    const result = await runCli(args(), { cwd: dir, env: envWith() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [tracked_secret_file]');
    expect(server.requests).toHaveLength(0);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('DRIBBBLE_CLIENT_ID=id\n');
  });

  it('a symlinked .env whose target git tracks is refused', async () => {
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'shared.env'), 'A=1\n');
    execFileSync('git', ['add', 'conf/shared.env'], { cwd: dir });
    execFileSync('ln', ['-s', 'conf/shared.env', '.env'], { cwd: dir });
    const result = await runCli(args(), { cwd: dir, env: envWith() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'conf', 'shared.env')}: git tracks that file`);
    expect(server.requests).toHaveLength(0);
  });
});
