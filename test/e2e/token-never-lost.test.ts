// Issue class 3: a token, once minted, is never lost. Save targets are checked before the request;
// saves are all-or-nothing; a save that fails after the code is spent keeps the token in a 0600
// file outside the project and exits 6 naming it.
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, leftovers, makeTempDir, readTree, runCli, startCli, startHoldingTokenServer, waitFor } from './helpers.js';

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
  it.each([
    ['--export-environment pointing at a folder', async () => ['--export-environment', await mkdir(join(dir, 'exports'), { recursive: true }).then(() => join(dir, 'exports'))], 'is a folder'],
    ['--export-environment inside a file', async () => ['--export-environment', await writeFile(join(dir, 'plain'), 'x').then(() => join(dir, 'plain', 'env.json'))], 'is not a folder'],
    ['--export-environment in a missing folder', async () => ['--export-environment', join(dir, 'missing', 'env.json')], 'does not exist'],
  ])('%s: exit 2, no request, nothing written', async (_what, extra, why) => {
    await writeFile(join(dir, '.env'), 'KEEP=1\n');
    const flags = await extra();
    const before = await readTree(dir);
    const result = await runCli(args(flags), { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unwritable_save_target]');
    expect(result.stderr).toContain(why);
    expect(result.stderr).toContain('Nothing was sent');
    expect(server.requests).toHaveLength(0);
    expect(await readTree(dir)).toEqual(before);
  });
});

// Issue 14 F9: the state folder (where a failed save rescues the token, and paste-mode authorize
// keeps its state and verifier) is checked up front: exit 2 naming XDG_STATE_HOME, before a
// consent URL is printed or a request sent, never exit 1 from deep inside a save.
describe('the state folder is checked before anything is sent', () => {
  const unusable: Array<[string, () => Promise<string>, RegExp]> = [
    ['a file', async () => writeFile(join(dir, 'state-file'), 'x').then(() => join(dir, 'state-file')), /a file stands where a folder above it should be/],
    ['a read-only folder', async () => {
      await mkdir(join(dir, 'ro', 'dribbble-oauth'), { recursive: true, mode: 0o700 });
      await chmod(join(dir, 'ro', 'dribbble-oauth'), 0o500);
      return join(dir, 'ro');
    }, /read-only|cannot write/],
    ['writable by anyone', async () => {
      await mkdir(join(dir, 'open', 'dribbble-oauth'), { recursive: true });
      await chmod(join(dir, 'open', 'dribbble-oauth'), 0o777);
      return join(dir, 'open');
    }, /others can write to it/],
  ];

  it.each(unusable)('exchange with XDG_STATE_HOME %s: exit 2 naming it, no request', async (_what, make, why) => {
    const state = await make();
    const result = await runCli(args([]), { cwd: dir, env: { ...env(), XDG_STATE_HOME: state } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unsafe_state_folder]');
    expect(result.stderr).toContain('(chosen by XDG_STATE_HOME)');
    expect(result.stderr).toMatch(why);
    expect(server.requests).toHaveLength(0);
  });

  it.each(unusable)('paste-mode authorize with XDG_STATE_HOME %s: exit 2 before the consent URL is printed (F9)', async (_what, make, why) => {
    const state = await make();
    const result = await runCli(['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', 'https://portfolio.example/cb', '--oauth-url', `${server.origin}/oauth`], { cwd: dir, env: { ...env(), XDG_STATE_HOME: state } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('(chosen by XDG_STATE_HOME)');
    expect(result.stderr).toMatch(why);
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

  it('when the second of two renames fails, the first is rolled back: .env keeps its bytes, exit 6', async () => {
    const before = '# mine\nDRIBBBLE_ACCESS_TOKEN=old-token\n';
    await writeFile(join(dir, '.env'), before);
    const exportPath = join(dir, 'mine.local.postman_environment.json');
    const run = startCli(args(['--export-environment', exportPath]), { cwd: dir, env: { ...env(), DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS: '1500' } });
    await server.arrived();
    server.release();
    // Both temporary files exist: now make the export's rename fail (a folder with content in its place).
    await waitFor(async () => (await leftovers(dir)).filter((n) => n.endsWith('.dribbble-oauth-tmp')).length === 2, 'two temporary files');
    await mkdir(join(exportPath, 'blocker'), { recursive: true });
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(6);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(before);
    const [kept] = await rescued();
    expect(await readFile(kept!, 'utf8')).toContain(TOKEN);
    expect(await leftovers(dir)).toEqual([]);
  });
});
