// What the user points at (lib/core/user-file.ts readRegularFile, and its callers in
// config-resolution): only regular files are read (a symlink to one is fine), a FIFO or a device
// never blocks, a size cap; messages name the file escaped and advise what fits the problem.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { resolveConfig } from '../../scripts/lib/config/config-resolution.js';
import { entryAt, MissingUserFileError, readRegularFile } from '../../scripts/lib/core/user-file.js';
import { refusalOf as refusal } from '../support/refusals.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'user-file-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { what: 'the file', remedy: 'Fix it.', remedyWhenMissing: 'Create it.', maxBytes: 100 };
const flags = (extra: Partial<CommonFlags>): CommonFlags => ({ json: false, save: true, open: false, showToken: false, allowInsecureTls: false, ...extra });

describe('readRegularFile', () => {
  test('reads a regular file, and one behind a symlink', () => {
    writeFileSync(join(dir, 'f'), 'A=1\n');
    symlinkSync(join(dir, 'f'), join(dir, 'link'));
    expect(readRegularFile(join(dir, 'f'), options).toString()).toBe('A=1\n');
    expect(readRegularFile(join(dir, 'link'), options).toString()).toBe('A=1\n');
  });

  test.each([
    ['a FIFO', () => (execFileSync('mkfifo', [join(dir, 'x')]), join(dir, 'x')), /not a regular file \(a named pipe\)/],
    ['a symlink to a FIFO', () => (execFileSync('mkfifo', [join(dir, 'fifo')]), symlinkSync(join(dir, 'fifo'), join(dir, 'x')), join(dir, 'x')), /a named pipe/],
    ['a device', () => '/dev/zero', /not a regular file \(a device\)/],
    ['a folder', () => (mkdirSync(join(dir, 'x')), join(dir, 'x')), /it is a folder, not a file/],
  ])('refuses %s at once with exit 2 (F6: a FIFO env file blocked until SIGKILL)', (_what, make, why) => {
    const started = Date.now();
    const error = refusal(() => readRegularFile(make(), options));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(why);
    expect(error.message).toContain('Fix it.');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a missing file is its own error, with the advice for a missing file', () => {
    const error = refusal(() => readRegularFile(join(dir, 'absent'), options));
    expect(error).toBeInstanceOf(MissingUserFileError);
    expect(error.message).toBe('Cannot read the file: it does not exist. Create it.');
  });

  test('a file past the cap is refused', () => {
    writeFileSync(join(dir, 'big'), 'x'.repeat(101));
    expect(refusal(() => readRegularFile(join(dir, 'big'), options)).message).toMatch(/101 bytes, more than the 100/);
  });

  test('a file of exactly the cap is read in full', () => {
    writeFileSync(join(dir, 'cap'), 'y'.repeat(100));
    expect(readRegularFile(join(dir, 'cap'), options).toString()).toBe('y'.repeat(100));
  });

  test('a small file costs its own size in memory, not the cap', () => {
    writeFileSync(join(dir, 'small'), 'A=1\n');
    const bytes = readRegularFile(join(dir, 'small'), { ...options, maxBytes: 1_000_000 });
    expect(bytes.toString()).toBe('A=1\n');
    expect(bytes.buffer.byteLength).toBeLessThan(1000);
  });

  test('an error is "Cannot read <what>: <why>. <remedy>" with code unreadable_file, or the code the caller names', () => {
    mkdirSync(join(dir, 'folder'));
    const error = refusal(() => readRegularFile(join(dir, 'folder'), options));
    expect(error.code).toBe('unreadable_file');
    expect(error.message).toBe('Cannot read the file: it is a folder, not a file. Fix it.');
    const missing = refusal(() => readRegularFile(join(dir, 'absent'), { ...options, code: 'bad_profile' }));
    expect(missing.code).toBe('bad_profile');
    expect(refusal(() => readRegularFile(join(dir, 'folder'), { ...options, code: 'bad_profile' })).code).toBe('bad_profile');
  });

  test('a missing file without advice of its own gets the general remedy', () => {
    const { remedyWhenMissing: _none, ...general } = options;
    expect(refusal(() => readRegularFile(join(dir, 'absent'), general)).message).toBe('Cannot read the file: it does not exist. Fix it.');
  });

  test('a symlink loop is named as one', () => {
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    expect(refusal(() => readRegularFile(join(dir, 'loop'), options)).message).toBe('Cannot read the file: it is a symlink loop. Fix it.');
  });

  test('a file where a folder of the path should be (ENOTDIR) is said as such', () => {
    writeFileSync(join(dir, 'f'), '');
    expect(refusal(() => readRegularFile(join(dir, 'f', 'x'), options)).message).toBe('Cannot read the file: a file stands where a folder above it should be. Fix it.');
  });

  test('any other open failure shows the system message, escaped', () => {
    const long = join(dir, `f\u001b${'x'.repeat(300)}`);
    const error = refusal(() => readRegularFile(long, options));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`Cannot read the file: ENAMETOOLONG: name too long, open '${long.replace('\u001b', '\\e')}'. Fix it.`);
  });
});

describe('entryAt: what is at a path, as existsSync sees it', () => {
  test('a file, a folder, a symlink followed or not; nothing for a missing path or one under a file', () => {
    writeFileSync(join(dir, 'f'), '');
    symlinkSync(join(dir, 'f'), join(dir, 'link'));
    expect(entryAt(join(dir, 'f'))?.isFile()).toBe(true);
    expect(entryAt(dir)?.isDirectory()).toBe(true);
    expect(entryAt(join(dir, 'link'))?.isFile()).toBe(true);
    expect(entryAt(join(dir, 'link'), false)?.isSymbolicLink()).toBe(true);
    expect(entryAt(join(dir, 'absent'))).toBeUndefined();
    expect(entryAt(join(dir, 'f', 'x'))).toBeUndefined();
    expect(entryAt(join(dir, 'f', 'x'), false)).toBeUndefined();
  });
});

describe('env files through the gate', () => {
  test('--env-file a FIFO: exit 2 at once (F6)', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const error = refusal(() => resolveConfig(flags({ envFile: join(dir, 'fifo') }), {}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('(from --env-file): it is not a regular file (a named pipe)');
  });

  test('--env-file a folder: not advised to "npm run init -- --env-file" that folder (F13)', () => {
    mkdirSync(join(dir, 'folder'));
    const error = refusal(() => resolveConfig(flags({ envFile: join(dir, 'folder') }), {}));
    expect(error.message).toContain('it is a folder, not a file');
    expect(error.message).not.toContain('npm run init');
    expect(error.message).toContain('Name a regular file with --env-file PATH');
  });

  test('--env-file missing: advised to create it with init', () => {
    expect(refusal(() => resolveConfig(flags({ envFile: join(dir, 'absent') }), {})).message).toContain('Create it with "npm run init -- --env-file PATH"');
  });

  test('--profile with a line break is shown escaped on one line (F13)', () => {
    const error = refusal(() => resolveConfig(flags({ profile: 'a\nb\u001b[2J' }), {}));
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toMatch(/[\n\u001b]/);
    expect(error.message).toContain('"a\\nb\\e[2J"');
  });
});
