// A damaged Newman code cache file (lib/newman/newman-loader.ts): whatever the damage, it is not
// used (the script compiles as without a cache) and the next write makes it whole and used again.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileCached, usableCacheFolder, writeCodeCache } from '../../scripts/lib/newman/newman-loader.js';

const DAMAGES: Array<[string, (b: Buffer) => Buffer]> = [
  ['garbage of the same length', (b) => Buffer.alloc(b.length, 7)],
  ['truncated', (b) => b.subarray(0, 1000)],
  ['with one flipped byte in the data', (b) => Buffer.concat([b.subarray(0, 5000), Buffer.from([b[5000]! ^ 0xff]), b.subarray(5001)])],
  ['with one flipped byte in the digest', (b) => Buffer.concat([Buffer.from([b[0]! ^ 0xff]), b.subarray(1)])],
  ['empty', () => Buffer.alloc(0)],
];

describe('a damaged code cache file', () => {
  test.each(DAMAGES)('%s: not used, then rewritten whole and used', (_what, damage) => {
    // New source per case: V8 keeps compiled scripts per process, and a hit there never consults a cache.
    const source = `(function () { return ${JSON.stringify('y'.repeat(20_000))}.length + ${Math.random()}; })`;
    const folder = usableCacheFolder({ XDG_CACHE_HOME: join(mkdtempSync(join(tmpdir(), 'code-cache-damage-')), 'cache') })!;
    writeCodeCache(compileCached(source, 'a.js', folder, 'c.v8cache'));
    const path = join(folder, 'c.v8cache');
    const good = readFileSync(path);
    expect(good.length).toBeGreaterThan(5001);
    expect(compileCached(source, 'a.js', folder, 'c.v8cache').used).toBe(true);
    writeFileSync(path, damage(good));
    const damaged = compileCached(source, 'a.js', folder, 'c.v8cache');
    expect(damaged.used).toBe(false);
    expect((damaged.script.runInThisContext() as () => number)()).toBeGreaterThan(20_000);
    writeCodeCache(damaged);
    expect(compileCached(source, 'a.js', folder, 'c.v8cache').used).toBe(true);
  });
});
