// The Newman bundle and its V8 code cache: made at install time and on first use, kept in the XDG
// cache folder, keyed by content; a missing, damaged, stale or unwritable cache, or a missing
// bundle, still gives a working exchange. What decides (a damaged file, a folder others can
// write, a file where the folder should be) is unit-tested: test/unit/newman-code-cache*.test.ts,
// test/unit/private-folder.test.ts. Here: whole runs, sharing one cold start.
import { chmod, cp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cliEnv, copyPackage, makeTempDir, startStubServer, waitFor } from './helpers.js';

let stub: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;
/** The cache home of the sequence below: the tests run in order, each on what the previous left. */
let cacheHome: string;

beforeAll(async () => {
  stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer' })));
  dir = await makeTempDir();
  cacheHome = join(dir, 'cache');
});
afterAll(() => stub.close());

type Run = { code: number; stdout: string; stderr: string };
function exchange(options: { cli?: string; cacheHome?: string } = {}): Promise<Run> {
  const args = ['--', options.cli ?? join(ROOT, 'dist', 'cli.js'), 'exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`, '--no-save'];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Cache-s3cret-0123456789abcdefghijk', DRIBBBLE_CODE: 'abc', XDG_CACHE_HOME: options.cacheHome ?? cacheHome, DRIBBBLE_OAUTH_DEBUG: 'cache' }) }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
const cacheFolder = () => join(cacheHome, 'dribbble-oauth');
const cacheFiles = async () => (await readdir(cacheFolder()).catch(() => [] as string[])).sort();
const v8caches = async () => (await cacheFiles()).filter((f) => f.endsWith('.v8cache'));
/** The caches are written by a detached process after the run: wait for `count`, each whole, the lock gone, no temporary file. */
const cachesWritten = (count = 2) =>
  waitFor(async () => {
    const all = await cacheFiles();
    const files = all.filter((f) => f.endsWith('.v8cache'));
    if (all.includes('writing.lock') || all.some((f) => f.endsWith('.tmp')) || files.length < count) return false;
    for (const f of files) {
      const bytes = await readFile(join(cacheFolder(), f));
      if (!createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32))) return false;
    }
    return files;
  }, `${count} whole code caches`);

describe('the Newman code cache (one cold start, then what happens to it)', () => {
  it('concurrent first runs all work; the caches are written after first use by one background process: one whole cache of each kind, 0600, no temporary file', async () => {
    const runs = await Promise.all([exchange(), exchange()]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Access token: aaaa…aaaa');
    }
    // A run that started the writer had compiled both without a cache.
    const starters = runs.filter((r) => /code caches: written in the background by process \d+/.test(r.stderr));
    expect(starters.length).toBeGreaterThanOrEqual(1);
    for (const r of starters) {
      expect(r.stderr).toMatch(/code cache \S+\/newman-\S+: missing or damaged, compiled/);
      expect(r.stderr).toMatch(/code cache \S+\/sandbox-\S+: missing or damaged, compiled/);
    }
    const files = await cachesWritten();
    expect(files).toHaveLength(2);
    const [file, sandbox] = files;
    expect(file).toMatch(/^newman-[0-9a-f]{32}\.v8cache$/);
    expect(sandbox).toMatch(/^sandbox-[0-9a-f]{32}-[0-9a-f]{16}\.v8cache$/);
    for (const f of files) expect((await stat(join(cacheFolder(), f))).mode & 0o777).toBe(0o600);
  });

  it('the next run uses both caches and starts no writer', async () => {
    const warm = await exchange();
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stderr).toMatch(/code cache \S+\/newman-\S+: used/);
    expect(warm.stderr).toMatch(/code cache \S+\/sandbox-\S+: used/);
    expect(warm.stderr).not.toContain('background');
  });

  it('a damaged cache file still gives a working exchange and is rewritten whole; a symlink planted at writing.lock is never written through (F1)', async () => {
    const [file] = await v8caches();
    const path = join(cacheFolder(), file!);
    const good = await readFile(path);
    // One flipped byte (the other damages, in process: test/unit/newman-code-cache-damage.test.ts).
    await writeFile(path, Buffer.concat([good.subarray(0, 5000), Buffer.from([good[5000]! ^ 0xff]), good.subarray(5001)]));
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'keep me');
    const longAgo = new Date(Date.now() - 3_600_000); // older than a live writer's lock
    await utimes(victim, longAgo, longAgo);
    await symlink(victim, join(cacheFolder(), 'writing.lock'));
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Access token: aaaa…aaaa');
    expect(result.stderr).toMatch(/code cache \S+\/newman-\S+: missing or damaged, compiled/);
    expect(result.stderr).toMatch(/code caches: written in the background by process \d+/);
    expect(await cachesWritten()).toHaveLength(2); // whole again
    expect(await readFile(victim, 'utf8')).toBe('keep me');
  });

  it('a changed bundle (stale cache) gets a cache of its own; a missing bundle falls back to require("newman")', async () => {
    const cli = await copyPackage(dir);
    const manifestPath = join(dir, 'package', 'dist', 'newman-bundle.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(join(dir, 'package', 'dist', 'newman-bundle.cjs'), `${await readFile(join(dir, 'package', 'dist', 'newman-bundle.cjs'), 'utf8')}\n// rebuilt\n`);
    manifest.sha256 = 'f'.repeat(64);
    await writeFile(manifestPath, JSON.stringify(manifest));
    const rebuilt = await exchange({ cli });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/code cache \S+\/newman-\S+: missing or damaged, compiled/);
    expect(await cachesWritten(4)).toHaveLength(4);

    await rm(join(dir, 'package', 'dist', 'newman-bundle.cjs'));
    const fallback = await exchange({ cli });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stdout).toContain('Access token: aaaa…aaaa');
    expect(fallback.stderr).toContain('newman bundle missing: loaded with require("newman")');
  });

  // Issue 14 F1: with a cache folder another local user can write, that user could plant a whole,
  // valid cache (the key is public) and run code as the victim, with the secret in reach. (The
  // same for an XDG_CACHE_HOME anyone can write, in process: test/unit/private-folder.test.ts.)
  it('a planted cache is never used when the cache folder is writable by anyone: the run compiles, says why, writes nothing there', async () => {
    await chmod(cacheFolder(), 0o777);
    const before = await cacheFiles();
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/code cache folder not used: The folder \S+ \(chosen by XDG_CACHE_HOME\).*others can write to it \(mode 0777\)/);
    expect(result.stderr).toMatch(/code cache \(none\)\/newman-\S+: missing or damaged, compiled/);
    expect(result.stderr).not.toMatch(/: used$/m);
    expect(result.stderr).not.toContain('written in the background');
    expect(await cacheFiles()).toEqual(before);
  });
});

it('an unwritable cache folder (a file in its place): the background writer loads Newman, runs, and says why nothing was cached', async () => {
  const fileHome = join(await makeTempDir(), 'cache');
  await writeFile(fileHome, 'not a folder');
  const writer = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, ['--', join(ROOT, 'dist', 'lib', 'newman', 'newman-cache-warmer.js')], { env: cliEnv(dir, { XDG_CACHE_HOME: fileHome, DRIBBBLE_OAUTH_DEBUG: 'cache' }) }, (error, _out, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr })),
  );
  expect(writer.code, writer.stderr).toBe(0);
  expect(writer.stderr).toMatch(/code cache folder not used: .*a file stands where a folder above it should be/);
  expect(writer.stderr).toMatch(/not written \(no private cache folder\)/);
  expect(await readFile(fileHome, 'utf8')).toBe('not a folder');
});

it('a build is deterministic (byte for byte what dist/ holds) and sees its own project: a copy whose code differs rebuilds, with the manifest naming the bundle\'s SHA-256', async () => {
  // A copy of the package with dist/.bundles.json (the record of the last build), the lock file and tsconfig.json:
  // a record keyed by the original's files would find them unchanged and skip, leaving a stale CLI.
  const own = await makeTempDir();
  await copyPackage(own);
  const copy = join(own, 'package');
  for (const file of ['package-lock.json', 'tsconfig.json']) await cp(join(ROOT, file), join(copy, file));
  const dispatch = join(copy, 'dist', 'dispatch.js');
  const [said, changed] = ['lists the profiles', 'lists THE profiles (a copy)'];
  await writeFile(dispatch, (await readFile(dispatch, 'utf8')).replace(said, changed));
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(copy, 'dist', 'build', 'build-bundles.js')], { cwd: copy }, (error, _stdout, stderr) => (error ? reject(new Error(`build in ${copy} failed: ${stderr}`)) : resolve())),
  );
  // The copy's node_modules is a symlink to ours: esbuild names its modules by their real path.
  const built = async (file: string) => (await readFile(join(copy, 'dist', file), 'latin1')).split(`${relative(copy, join(ROOT, 'node_modules'))}/`).join('node_modules/');
  const cli = await built(join('lib', 'cli', 'cli.bundle.mjs'));
  expect(cli).toContain(changed);
  // Deterministic: the same inputs give the bytes `npm test` built just before (pretest).
  expect(cli.replace(changed, said) === (await readFile(join(ROOT, 'dist', 'lib', 'cli', 'cli.bundle.mjs'), 'latin1')), 'the CLI bundle differs from a fresh build').toBe(true);
  expect((await built('newman-bundle.cjs')) === (await readFile(join(ROOT, 'dist', 'newman-bundle.cjs'), 'latin1')), 'the Newman bundle differs from a fresh build').toBe(true);
  const manifest = JSON.parse(await readFile(join(copy, 'dist', 'newman-bundle.json'), 'utf8'));
  expect(manifest).toEqual({ file: 'newman-bundle.cjs', sha256: createHash('sha256').update(await readFile(join(copy, 'dist', 'newman-bundle.cjs'))).digest('hex') });
}, 120_000);
