// Files that hold secrets (lib/disk/secret-file-store.ts): written to a temporary file that reaches
// the disk (fsync) before it is renamed into place, so a crash never leaves an empty or torn
// .env; the file being replaced is read through the user-file gate (a FIFO never blocks).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { commitFiles, planEnvFileUpdate } from '../../scripts/lib/disk/secret-file-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secret-file-store-test-'));
});
afterEach(() => vi.restoreAllMocks());

/** The prototype of the FileHandle class, which node:fs/promises does not export. */
async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(dir, 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

describe('commitFiles', () => {
  test('syncs each temporary file to disk before renaming it into place (O05)', async () => {
    const target = join(dir, '.env');
    writeFileSync(target, 'OLD=1\n');
    const prototype = await fileHandlePrototype();
    const original = prototype.sync;
    const seenAtSync: string[] = [];
    vi.spyOn(prototype, 'sync').mockImplementation(async function (this: unknown) {
      // At sync time the target must still hold the old bytes: the rename comes after.
      seenAtSync.push(readFileSync(target, 'utf8'));
      return original.call(this);
    });
    await commitFiles([{ path: target, content: 'NEW=1\n' }]);
    expect(seenAtSync).toEqual(['OLD=1\n']);
    expect(readFileSync(target, 'utf8')).toBe('NEW=1\n');
    expect(readdirSync(dir).sort()).toEqual(['.env', 'probe']);
  });
});

describe('planEnvFileUpdate', () => {
  test('an env file that is a FIFO is refused at once with exit 2, never blocks (F6)', async () => {
    const fifo = join(dir, '.env');
    execFileSync('mkfifo', [fifo]);
    const error = await planEnvFileUpdate(fifo, { DRIBBBLE_ACCESS_TOKEN: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect((error as DribbbleOAuthError).exitCode).toBe(2);
    expect((error as Error).message).toContain('a named pipe');
  });

  test('a missing env file is planned as a new one', async () => {
    expect((await planEnvFileUpdate(join(dir, 'new.env'), { A: 'b' })).content.toString()).toBe('A=b\n');
  });
});
