// The Newman bundle and its V8 code cache: made at install time and on first use, kept in the XDG
// cache folder, keyed by content; a missing, damaged, stale or unwritable cache, or a missing
// bundle, still gives a working exchange.
import { chmod, mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, cliEnv, copyPackage, makeTempDir, startStubServer, waitFor } from './helpers.js';

let stub: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;
let cacheHome: string;

beforeAll(async () => {
  stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer' })));
});
afterAll(() => stub.close());
beforeEach(async () => {
  dir = await makeTempDir();
  cacheHome = join(dir, 'cache');
});

function exchange(cli = join(ROOT, 'dist', 'cli.js'), env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['--', cli, 'exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`, '--no-save'];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Cache-s3cret-0123456789abcdefghijk', DRIBBBLE_CODE: 'abc', XDG_CACHE_HOME: cacheHome, DRIBBBLE_OAUTH_DEBUG: 'cache', ...env }) }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
function runBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'dist', 'build', 'build-bundles.js'), outDir], { cwd: ROOT }, (error, _stdout, stderr) => (error ? reject(new Error(`build into ${outDir} failed: ${stderr}`)) : resolve())),
  );
}
const cacheFiles = async () => (await readdir(join(cacheHome, 'dribbble-oauth')).catch(() => [] as string[])).sort();
/** The caches are written by a detached process after the run: wait for both, whole, and no temporary file. */
const cachesWritten = () =>
  waitFor(async () => {
    const all = await cacheFiles();
    const files = all.filter((f) => f.endsWith('.v8cache'));
    // The writer is done when its lock is gone and no temporary file is left.
    if (all.includes('writing.lock') || all.some((f) => f.endsWith('.tmp')) || files.length < 2) return false;
    for (const f of files) {
      const bytes = await readFile(join(cacheHome, 'dribbble-oauth', f));
      if (!createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32))) return false;
    }
    return files;
  }, 'both code caches');

describe('the Newman code cache', () => {
  it('is written after first use, by a background process (0600, in $XDG_CACHE_HOME/dribbble-oauth, whole), then used', async () => {
    const first = await exchange();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/code cache \S+\/newman-\S+: missing or damaged, compiled/);
    expect(first.stderr).toMatch(/code cache \S+\/sandbox-\S+: missing or damaged, compiled/);
    expect(first.stderr).toMatch(/code caches: written in the background by process \d+/);
    const [file, sandbox, ...others] = await cachesWritten();
    expect(others).toEqual([]);
    expect(file).toMatch(/^newman-[0-9a-f]{32}\.v8cache$/);
    expect(sandbox).toMatch(/^sandbox-[0-9a-f]{32}-[0-9a-f]{16}\.v8cache$/);
    for (const f of [file!, sandbox!]) expect((await stat(join(cacheHome, 'dribbble-oauth', f))).mode & 0o777).toBe(0o600);
    const second = await exchange();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/code cache \S+\/newman-\S+: used/);
    expect(second.stderr).toMatch(/code cache \S+\/sandbox-\S+: used/);
    expect(second.stderr).not.toContain('background');
  });

  it.each([
    ['garbage of the same length', (b: Buffer) => Buffer.alloc(b.length, 7)],
    ['truncated', (b: Buffer) => b.subarray(0, 1000)],
    ['with one flipped byte', (b: Buffer) => Buffer.concat([b.subarray(0, 5000), Buffer.from([b[5000]! ^ 0xff]), b.subarray(5001)])],
    ['empty', () => Buffer.alloc(0)],
  ])('a cache file %s still gives a working exchange, and is rewritten whole', async (_what, damage) => {
    expect((await exchange()).code).toBe(0);
    const [file] = await cachesWritten();
    const path = join(cacheHome, 'dribbble-oauth', file!);
    const good = await readFile(path);
    await writeFile(path, damage(good));
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Access token: aaaa…aaaa');
    expect(result.stderr).toMatch(/missing or damaged, compiled/);
    await cachesWritten(); // whole again
  });

  it('an unwritable cache folder (a file in its place) still gives a working exchange; the writer says why nothing was cached', async () => {
    await writeFile(cacheHome, 'not a folder');
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    const writer = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--', join(ROOT, 'dist', 'lib', 'newman', 'newman-cache-warmer.js')], { env: cliEnv(dir, { XDG_CACHE_HOME: cacheHome, DRIBBBLE_OAUTH_DEBUG: 'cache' }) }, (error, _out, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr })),
    );
    expect(writer.code, writer.stderr).toBe(0);
    expect(writer.stderr).toMatch(/code cache folder not used: .*a file stands where a folder above it should be/);
    expect(writer.stderr).toMatch(/not written \(no private cache folder\)/);
    expect(await readFile(cacheHome, 'utf8')).toBe('not a folder');
  });

  it('concurrent first runs all work and leave one whole cache of each kind, no temporary files', async () => {
    const results = await Promise.all([exchange(), exchange(), exchange()]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(await cachesWritten()).toHaveLength(2);
  });

  it('a changed bundle (stale cache) gets a cache of its own; a missing bundle falls back to require("newman")', async () => {
    const cli = await copyPackage(dir);
    const manifestPath = join(dir, 'package', 'dist', 'newman-bundle.json');
    expect((await exchange(cli)).code).toBe(0);
    await cachesWritten();
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(join(dir, 'package', 'dist', 'newman-bundle.cjs'), `${await readFile(join(dir, 'package', 'dist', 'newman-bundle.cjs'), 'utf8')}\n// rebuilt\n`);
    manifest.sha256 = 'f'.repeat(64);
    await writeFile(manifestPath, JSON.stringify(manifest));
    const rebuilt = await exchange(cli);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/missing or damaged, compiled/);
    await waitFor(async () => (await cacheFiles()).filter((f) => f.endsWith('.v8cache')).length === 4 && !(await cacheFiles()).includes('writing.lock'), 'a second pair of caches');

    await rm(join(dir, 'package', 'dist', 'newman-bundle.cjs'));
    const fallback = await exchange(cli);
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stderr).toContain('newman bundle missing: loaded with require("newman")');
  });

  // Issue 14 F1: with XDG_CACHE_HOME where another local user can write, that user could plant
  // a whole, valid cache (the key is public) and run code as the victim, with the secret in reach.
  it.each([
    ['the cache folder itself writable by anyone', async () => chmod(join(cacheHome, 'dribbble-oauth'), 0o777), /others can write to it \(mode 0777\)/],
    ['XDG_CACHE_HOME writable by anyone (no sticky bit)', async () => chmod(cacheHome, 0o777), /anyone can write to the folder \S+cache above it/],
  ])('a planted cache is never used when %s: the run compiles, says why, writes nothing there', async (_what, expose, why) => {
    expect((await exchange()).code).toBe(0);
    await cachesWritten(); // a whole, valid cache of each kind: what an attacker would copy
    await expose();
    const before = await cacheFiles();
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`code cache folder not used: The folder \\S+ \\(chosen by XDG_CACHE_HOME\\).*${why.source}`));
    expect(result.stderr).not.toMatch(/: used$/m);
    expect(result.stderr).not.toContain('written in the background');
    expect(await cacheFiles()).toEqual(before);
  });

  it('a symlink planted at writing.lock is never written through (F1)', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'keep me');
    const longAgo = new Date(Date.now() - 3_600_000); // older than a live writer's lock
    await utimes(victim, longAgo, longAgo);
    await mkdir(join(cacheHome, 'dribbble-oauth'), { recursive: true, mode: 0o700 });
    await symlink(victim, join(cacheHome, 'dribbble-oauth', 'writing.lock'));
    const result = await exchange();
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('keep me');
  });

  it('the bundle is built deterministically: two builds give the same bytes, and the manifest names their SHA-256', async () => {
    const builds = [join(dir, 'build-a'), join(dir, 'build-b')];
    // One after the other: the two esbuild runs would share 2 cores with the rest of the suite anyway.
    for (const out of builds) await runBuild(out);
    const files = ['newman-bundle.cjs', 'newman-bundle.json', join('lib', 'cli', 'cli.bundle.mjs')];
    const [a, b] = await Promise.all(builds.map((out) => Promise.all(files.map((f) => readFile(join(out, f))))));
    for (const [i, file] of files.entries()) expect(a![i]!.equals(b![i]!), `${file} differs between two builds`).toBe(true);
    const manifest = JSON.parse(a![1]!.toString('utf8'));
    expect(manifest).toEqual({ file: 'newman-bundle.cjs', sha256: createHash('sha256').update(a![0]!).digest('hex') });
    // The installed bundle is the one this build makes.
    expect(await readFile(join(ROOT, 'dist', 'newman-bundle.json'), 'utf8')).toBe(a![1]!.toString('utf8'));
  }, 120_000);
});
