// Issue class 4: no leftovers holding secrets. Temporary files are removed on every path, SIGINT
// SIGTERM and SIGHUP included; their names are covered by .gitignore; a later run removes a dead run's.
// Each signal's exit code is a unit test (interrupt-cleanup), which files are stale too
// (stale-temporary-files); a refused save leaving nothing is in git-tracking.test.ts.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, cliEnv, leftovers, makeTempDir, startCli, startHoldingTokenServer, waitFor } from './helpers.js';

const SECRET = 'Temp-files-s3cret-0123456789abcdefghij';
const TOKEN = 'f0'.repeat(32);
let server: Awaited<ReturnType<typeof startHoldingTokenServer>>;
let dir: string;

beforeAll(async () => {
  server = await startHoldingTokenServer(TOKEN);
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await makeTempDir();
});

const args = () => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${server.origin}/oauth`, '--code', 'abc'];
const BEFORE = `DRIBBBLE_CLIENT_SECRET=${SECRET}\nOTHER=1\n`;

describe('signals during the save', () => {
  it('SIGHUP with the temporary file written: removed, a dead run\'s leftovers removed first (a live run\'s kept), .env unchanged, token kept safe, exit 129', async () => {
    await writeFile(join(dir, '.env'), BEFORE);
    const dead = ['..env.4194999-deadbeef.dribbble-oauth-tmp', '..env.4194999.deadbeef.tmp'];
    const live = `..env.${process.pid}-cafebabe.dribbble-oauth-tmp`;
    for (const name of [...dead, live]) await writeFile(join(dir, name), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n`);
    const run = startCli(args(), { cwd: dir, env: { ...cliEnv(dir), DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS: '10000' } });
    await server.arrived();
    server.release();
    const ours = async () => (await leftovers(dir)).filter((n) => n.endsWith('.dribbble-oauth-tmp') && n !== live && !dead.includes(n));
    // It holds the secret from .env and the new token: exactly what must not outlive the run. (Seen
    // once created, it may not be written yet: the wait is for its content.)
    await waitFor(async () => {
      const [temporary] = await ours();
      return temporary !== undefined && (await readFile(join(dir, temporary), 'utf8').catch(() => '')).includes(SECRET);
    }, 'the temporary file, written');
    run.child.kill('SIGHUP');
    const result = await run.exit;
    expect(result.code).toBe(129);
    expect(await leftovers(dir)).toEqual([live]);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(BEFORE);
    expect(result.stderr).toMatch(/Interrupted while saving: the access token is kept in \S+rescued-token-/);
    const kept = (await readdir(join(dir, 'state', 'dribbble-oauth'))).filter((n) => n.startsWith('rescued-token-'));
    expect(await readFile(join(dir, 'state', 'dribbble-oauth', kept[0]!), 'utf8')).toContain(TOKEN);
  });

  it('SIGINT while the server holds the answer: no file changes, nothing left', async () => {
    await writeFile(join(dir, '.env'), BEFORE);
    const run = startCli(args(), { cwd: dir, env: cliEnv(dir) });
    await server.arrived();
    run.child.kill('SIGINT');
    await run.exit;
    server.release();
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(BEFORE);
    expect(await readdir(dir)).toEqual(['.env']);
  });
});

describe('names', () => {
  it('the temporary and lock names are covered by the project .gitignore', async () => {
    const names = ['..env.123-deadbeef.dribbble-oauth-tmp', '.mine.local.postman_environment.json.123-deadbeef.dribbble-oauth-tmp', '.env.lock'];
    const ignored = execFileSync('git', ['check-ignore', '--no-index', ...names], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    expect(ignored).toEqual(names);
  });
});
