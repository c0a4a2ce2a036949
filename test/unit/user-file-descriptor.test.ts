// readRegularFile (lib/core/user-file.ts) where the file system has to be made to misbehave: open
// refused (EACCES cannot be provoked as root; EISDIR is what other systems answer for a folder), a
// socket, a file that grows between fstat and read, and the descriptor closed whatever happens.
import * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { readRegularFile } from '../../scripts/lib/core/user-file.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, openSync: vi.fn(real.openSync), fstatSync: vi.fn(real.fstatSync), closeSync: vi.fn(real.closeSync) };
});

const real = await vi.importActual<typeof import('node:fs')>('node:fs');
const options = { what: 'the file', remedy: 'Fix it.', maxBytes: 100 };
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'user-file-fd-test-'));
  file = join(dir, 'f');
});
afterEach(() => {
  vi.mocked(fs.openSync).mockReset().mockImplementation(real.openSync);
  vi.mocked(fs.fstatSync).mockReset().mockImplementation(real.fstatSync);
  vi.mocked(fs.closeSync).mockReset().mockImplementation(real.closeSync);
  rmSync(dir, { recursive: true, force: true });
});

function refusal(run: () => unknown): DribbbleOAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof DribbbleOAuthError) return error;
    throw error;
  }
  throw new Error('not refused');
}

/** The next fstat reports the real stats with `change` applied. */
function nextFstat(change: Partial<fs.Stats>): void {
  vi.mocked(fs.fstatSync).mockImplementationOnce(((fd: number) => Object.assign(real.fstatSync(fd), change)) as typeof fs.fstatSync);
}

describe('open refused', () => {
  test.each([
    ['EACCES', 'permission denied'],
    ['EISDIR', 'it is a folder, not a file'],
  ])('%s is said in words: "%s"', (code, why) => {
    vi.mocked(fs.openSync).mockImplementationOnce(() => {
      throw Object.assign(new Error(`${code}: raw system text`), { code });
    });
    const error = refusal(() => readRegularFile(file, options));
    expect(error.code).toBe('unreadable_file');
    expect(error.message).toBe(`Cannot read the file: ${why}. Fix it.`);
  });
});

describe('after open', () => {
  test('a socket is refused as one, unread', () => {
    writeFileSync(file, 'A=1\n');
    nextFstat({ isFile: () => false, isFIFO: () => false, isSocket: () => true });
    expect(refusal(() => readRegularFile(file, options)).message).toBe('Cannot read the file: it is not a regular file (a socket), so it was not read. Fix it.');
  });

  test('a file that grew past the cap after fstat is cut at the cap + 1 byte and refused', () => {
    writeFileSync(file, 'z'.repeat(150));
    nextFstat({ size: 100 });
    expect(refusal(() => readRegularFile(file, options)).message).toBe('Cannot read the file: it holds more than the 100 bytes this tool reads from such a file. Fix it.');
  });

  test('the descriptor is closed after a read and after a refusal', () => {
    writeFileSync(file, 'A=1\n');
    readRegularFile(file, options);
    nextFstat({ size: 1000 });
    refusal(() => readRegularFile(file, options));
    const opened = vi.mocked(fs.openSync).mock.results.map((r) => r.value as number);
    expect(opened).toHaveLength(2);
    expect(vi.mocked(fs.closeSync).mock.calls.map(([fd]) => fd)).toEqual(opened);
  });
});
