// Issue class 3: a token, once minted, is never lost. Save targets are checked before the request;
// saves are all-or-nothing; a save that fails after the code is spent keeps the token in a 0600
// file outside the project and exits 6 naming it. One whole run per path; why each target or state
// folder is refused is decided in process (test/unit/exchange-preflight.test.ts: checkSaveTargets),
// and the rollback of a half-done save too (test/unit/commit-files-rollback.test.ts).
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, leftovers, makeTempDir, readTree, runCli, startCli, startHoldingTokenServer } from './helpers.js';

const SECRET = 'Never-lost-s3cret-0123456789abcdefghij';
const TOKEN = 'd'.repeat(64);
let server: Awaited<ReturnType<typeof startHoldingTokenServer>>;
let dir: string;

beforeAll(async () => {
  server = await startHoldingTokenServer(TOKEN);
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await makeTempDir();
  server.requests.length = 0;
});

const args = (extra: string[]) => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${server.origin}/oauth`, '--code', 'abc', ...extra];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: SECRET });
const rescued = async () => {
  const folder = join(dir, 'state', 'dribbble-oauth');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith('rescued-token-'));
  return names.map((n) => join(folder, n));
};

describe('save targets are checked before the request', () => {
  it('--export-environment pointing at a folder: exit 2, no request, nothing written', async () => {
    await writeFile(join(dir, '.env'), 'KEEP=1\n');
    await mkdir(join(dir, 'exports'));
    const before = await readTree(dir);
    const result = await runCli(args(['--export-environment', join(dir, 'exports')]), { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unwritable_save_target]');
    expect(result.stderr).toContain('is a folder');
    expect(result.stderr).toContain('Nothing was sent');
    expect(server.requests).toHaveLength(0);
    expect(await readTree(dir)).toEqual(before);
  });
});

// Issue 14 F9: the state folder (where a failed save rescues the token, and paste-mode authorize
// keeps its state and verifier) is checked up front: exit 2 naming XDG_STATE_HOME, before a
// consent URL is printed or a request sent, never exit 1 from deep inside a save.
describe('the state folder is checked before anything is sent', () => {
  it('paste-mode authorize with XDG_STATE_HOME a file: exit 2 naming it before the consent URL is printed (F9)', async () => {
    await writeFile(join(dir, 'state-file'), 'x');
    const result = await runCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', 'https://portfolio.example/cb', '--oauth-url', `${server.origin}/oauth`], { cwd: dir, env: { ...env(), XDG_STATE_HOME: join(dir, 'state-file') } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unsafe_state_folder]');
    expect(result.stderr).toContain('(chosen by XDG_STATE_HOME)');
    expect(result.stderr).toMatch(/a file stands where a folder above it should be/);
    expect(result.stdout + result.stderr).not.toContain('/oauth/authorize');
    expect(server.requests).toHaveLength(0);
  });
});

describe('a save that fails after the token exists', () => {
  it('keeps the token in a 0600 file outside the project, names it, exits 6, and changes nothing else', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', '.env'), 'A=1\n');
    const run = startCli(args(['--env-file', join(dir, 'sub', '.env')]), { cwd: dir, env: env() });
    await server.arrived();
    // The folder disappears while the token is on its way (a disk unmounted, a clean-up script).
    await rm(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'sub'), 'now a file\n');
    server.release();
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toContain('error [token_not_saved]');
    const [kept] = await rescued();
    expect(kept).toBeDefined();
    expect(result.stderr).toContain(`The token is kept in ${kept} (mode 0600`);
    expect((await stat(kept!)).mode & 0o777).toBe(0o600);
    expect(await readFile(kept!, 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}\n`);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(await readFile(join(dir, 'sub'), 'utf8')).toBe('now a file\n');
    expect(await leftovers(dir)).toEqual([]);
  });
});
