// The Newman code cache (lib/newman/newman-loader.ts): loaded only from a private folder of the
// user's, only when whole and accepted by V8; a cache V8 rejects is rewritten, not kept forever.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { compileCached, usableCacheFolder, writeCodeCache } from '../../scripts/lib/newman/newman-loader.js';

// New source per test: V8 keeps compiled scripts per process, and a hit there never consults a cache.
let SOURCE: string;
let folder: string;

beforeEach(() => {
  SOURCE = `(function () { return ${JSON.stringify('x'.repeat(2000))}.length + ${Math.random()}; })`;
  const root = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
  folder = usableCacheFolder({ XDG_CACHE_HOME: join(root, 'cache') })!;
  expect(folder).toBe(join(root, 'cache', 'dribbble-oauth'));
});

/** A whole cache file: the SHA-256 of the data, then the data. */
const whole = (data: Buffer) => Buffer.concat([createHash('sha256').update(data).digest(), data]);

describe('the code cache', () => {
  test('is written (0600) for a script compiled without one, then used', () => {
    const first = compileCached(SOURCE, 'a.js', folder, 'c.v8cache');
    expect(first.used).toBe(false);
    writeCodeCache(first);
    expect(statSync(join(folder, 'c.v8cache')).mode & 0o777).toBe(0o600);
    expect(compileCached(SOURCE, 'a.js', folder, 'c.v8cache').used).toBe(true);
  });

  test('a whole cache that V8 rejects is not used, and is rewritten so the next run uses it (N17)', () => {
    writeFileSync(join(folder, 'c.v8cache'), whole(Buffer.alloc(4096, 7)), { mode: 0o600 });
    const rejected = compileCached(SOURCE, 'a.js', folder, 'c.v8cache');
    expect(rejected.script.cachedDataRejected).toBe(true);
    expect(rejected.used).toBe(false);
    writeCodeCache(rejected);
    expect(compileCached(SOURCE, 'a.js', folder, 'c.v8cache').used).toBe(true);
  });

  test('a whole, valid cache that others can write is never loaded (F1: a planted cache runs as the victim)', () => {
    writeCodeCache(compileCached(SOURCE, 'a.js', folder, 'c.v8cache'));
    chmodSync(join(folder, 'c.v8cache'), 0o666);
    expect(compileCached(SOURCE, 'a.js', folder, 'c.v8cache').used).toBe(false);
  });

  test('a valid cache reached through a symlink is never loaded', () => {
    const elsewhere = join(folder, '..', 'planted.v8cache');
    writeCodeCache(compileCached(SOURCE, 'a.js', folder, 'c.v8cache'));
    writeFileSync(elsewhere, readFileSync(join(folder, 'c.v8cache')), { mode: 0o600 });
    writeFileSync(join(folder, 'c.v8cache'), '');
    const link = join(folder, 'd.v8cache');
    symlinkSync(elsewhere, link);
    expect(compileCached(SOURCE, 'a.js', folder, 'd.v8cache').used).toBe(false);
  });

  test('a cache folder others can write is not used at all: nothing read, nothing written', () => {
    const root = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
    mkdirSync(join(root, 'dribbble-oauth'));
    chmodSync(join(root, 'dribbble-oauth'), 0o777);
    expect(usableCacheFolder({ XDG_CACHE_HOME: root })).toBeUndefined();
    const cached = compileCached(SOURCE, 'a.js', undefined, 'c.v8cache');
    expect(cached.used).toBe(false);
    writeCodeCache(cached); // no folder: a no-op, no throw
  });
});
