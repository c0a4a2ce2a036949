// The private-folder gate (lib/disk/private-folder.ts): every folder the tool keeps for itself
// (code cache, state, rescue, locks, rate budget) is used only if it is a real folder of this user
// that nobody else can write, with no folder above it that lets anyone swap it; files in it are
// created exclusively and never read or written through a symlink. "Someone else" is played by
// injecting a uid, so these run the same as root or not.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  UnsafePrivateFileError,
  checkPrivateFolder,
  createPrivateFile,
  folderLocation,
  folderProblem,
  preparePrivateFolder,
  privateFolder,
  readPrivateFile,
  writePrivateFile,
} from '../../scripts/lib/disk/private-folder.js';
import { refusalOf as refusal } from '../support/refusals.js';

const me = process.getuid!();
const someoneElse = { uid: me + 4242 };
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'private-folder-test-'));
});

describe('a folder the tool keeps is used only if it is the user\'s own and private', () => {
  test('an absent folder is made 0700 (its missing parents too) and accepted', () => {
    const folder = join(root, 'a', 'b', 'dribbble-oauth');
    expect(preparePrivateFolder(folder)).toBeUndefined();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
  });

  test.each([
    [0o777, /others can write to it \(mode 0777\)/],
    [0o770, /others can write to it \(mode 0770\)/],
    [0o702, /others can write to it/],
    [0o500, /read-only \(mode 0500\)/],
  ])('a folder with mode %o is refused', (mode, why) => {
    const folder = join(root, 'dribbble-oauth');
    mkdirSync(folder);
    chmodSync(folder, mode);
    expect(preparePrivateFolder(folder)).toMatch(why);
  });

  test('a symlink to a private folder is refused: the link could be switched to another folder', () => {
    mkdirSync(join(root, 'real'), { mode: 0o700 });
    symlinkSync(join(root, 'real'), join(root, 'dribbble-oauth'));
    expect(preparePrivateFolder(join(root, 'dribbble-oauth'))).toMatch(/symlink/);
  });

  test('a file where the folder (or a folder above it) should be is refused', () => {
    writeFileSync(join(root, 'dribbble-oauth'), 'x');
    expect(preparePrivateFolder(join(root, 'dribbble-oauth'))).toMatch(/not a folder/);
    expect(preparePrivateFolder(join(root, 'dribbble-oauth', 'below'))).toMatch(/a file stands where a folder above it should be/);
  });

  test('a folder of another user is refused (F1: a pre-created /tmp/dribbble-oauth-<uid> got the rescued token)', () => {
    const folder = join(root, 'dribbble-oauth');
    mkdirSync(folder, { mode: 0o700 });
    expect(folderProblem(folder)).toBeUndefined();
    expect(folderProblem(folder, someoneElse)).toMatch(new RegExp(`belongs to user ${me}, not to you \\(user ${someoneElse.uid}\\)`));
    if (me === 0) {
      // As root the real thing too: a folder chowned to another user.
      chownSync(folder, 4242, 4242);
      expect(folderProblem(folder)).toMatch(/belongs to user 4242/);
    }
  });

  test('a folder inside one anybody can write (no sticky bit) is refused: its owner could be anyone tomorrow (F1: a shared XDG_CACHE_HOME)', () => {
    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(preparePrivateFolder(join(shared, 'dribbble-oauth'))).toMatch(/anyone can write to the folder .*shared above it \(mode 0777, not sticky\)/);
    chmodSync(shared, 0o1777); // sticky, like /tmp: nobody renames what is not theirs
    expect(preparePrivateFolder(join(shared, 'dribbble-oauth'))).toBeUndefined();
  });
});

describe('the state folder is refused with exit 2 naming the variable that chose it (F9)', () => {
  test('XDG_STATE_HOME a file', () => {
    writeFileSync(join(root, 'file'), 'x');
    const error = refusal(() => privateFolder('state', { XDG_STATE_HOME: join(root, 'file'), HOME: root }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('unsafe_state_folder');
    expect(error.message).toContain('(chosen by XDG_STATE_HOME)');
    expect(error.message).toContain('point XDG_STATE_HOME at a private folder');
    expect(error.message).toContain('Nothing was sent.');
  });

  test('a read-only state folder, also for root (who could write it anyway)', () => {
    mkdirSync(join(root, 'state', 'dribbble-oauth'), { recursive: true, mode: 0o700 });
    chmodSync(join(root, 'state', 'dribbble-oauth'), 0o500);
    const error = refusal(() => privateFolder('state', { XDG_STATE_HOME: join(root, 'state'), HOME: root }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/read-only|cannot write/);
  });

  test('HOME, when XDG_STATE_HOME is unset or relative (the XDG spec ignores a relative one)', () => {
    mkdirSync(join(root, '.local', 'state', 'dribbble-oauth'), { recursive: true, mode: 0o777 });
    chmodSync(join(root, '.local', 'state', 'dribbble-oauth'), 0o777);
    for (const env of [{ HOME: root }, { HOME: root, XDG_STATE_HOME: 'relative/state' }]) {
      const error = refusal(() => privateFolder('state', env));
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('(chosen by HOME)');
      expect(error.message).toContain('set XDG_STATE_HOME to a private folder');
    }
  });

  test('the message shows an untrusted folder name escaped on one line', () => {
    writeFileSync(join(root, 'a\nb\u001b[31m'), 'x');
    const error = refusal(() => privateFolder('state', { XDG_STATE_HOME: join(root, 'a\nb\u001b[31m'), HOME: root }));
    expect(error.message).not.toMatch(/[\n\u001b]/);
    expect(error.message).toContain('a\\nb\\e[31m');
  });

  test('a usable one is returned, made 0700', () => {
    expect(privateFolder('state', { XDG_STATE_HOME: join(root, 's'), HOME: root })).toBe(join(root, 's', 'dribbble-oauth'));
    expect(privateFolder('cache', { XDG_CACHE_HOME: join(root, 'c'), HOME: root })).toBe(join(root, 'c', 'dribbble-oauth'));
    expect(statSync(join(root, 's', 'dribbble-oauth')).mode & 0o777).toBe(0o700);
    expect(folderLocation('cache', { HOME: root })).toEqual({ kind: 'cache', path: join(root, '.cache', 'dribbble-oauth'), chosenBy: 'HOME' });
  });
});

describe('checkPrivateFolder: the up-front check, which creates nothing', () => {
  test('an absent folder that could be made private passes, and is not made', () => {
    expect(checkPrivateFolder('state', { XDG_STATE_HOME: join(root, 'new'), HOME: root })).toBe(join(root, 'new', 'dribbble-oauth'));
    expect(readdirSync(root)).toEqual([]);
  });

  test('an absent folder that would land in a folder anybody can write, or under a file, is refused', () => {
    mkdirSync(join(root, 'shared'));
    chmodSync(join(root, 'shared'), 0o777);
    expect(refusal(() => checkPrivateFolder('state', { XDG_STATE_HOME: join(root, 'shared', 'x'), HOME: root })).message).toMatch(/anyone can write to the folder \S+shared above it/);
    writeFileSync(join(root, 'file'), 'x');
    expect(refusal(() => checkPrivateFolder('state', { XDG_STATE_HOME: join(root, 'file', 'x'), HOME: root })).message).toMatch(/a file stands where a folder above it should be/);
  });

  test('an existing folder is judged as it is', () => {
    mkdirSync(join(root, 'dribbble-oauth'));
    chmodSync(join(root, 'dribbble-oauth'), 0o777);
    expect(refusal(() => checkPrivateFolder('state', { XDG_STATE_HOME: root, HOME: root })).exitCode).toBe(2);
  });
});

describe('files in a private folder', () => {
  let folder: string;
  beforeEach(() => {
    folder = join(root, 'dribbble-oauth');
    expect(preparePrivateFolder(folder)).toBeUndefined();
  });

  test('are read only when they are this user\'s regular files that nobody else can write (F1: a planted cache)', () => {
    writeFileSync(join(folder, 'f'), 'mine', { mode: 0o600 });
    expect(readPrivateFile(folder, 'f', 100)?.toString()).toBe('mine');
    expect(readPrivateFile(folder, 'absent', 100)).toBeUndefined();
    expect(() => readPrivateFile(folder, 'f', 100, someoneElse)).toThrow(UnsafePrivateFileError);
    expect(() => readPrivateFile(folder, 'f', 100, someoneElse)).toThrow(/belongs to user/);
    chmodSync(join(folder, 'f'), 0o666);
    expect(() => readPrivateFile(folder, 'f', 100)).toThrow(/others can write/);
    chmodSync(join(folder, 'f'), 0o600);
    expect(() => readPrivateFile(folder, 'f', 3)).toThrow(/larger than 3 bytes/);
  });

  test('a symlink is never followed on read, even to a file of the user', () => {
    writeFileSync(join(root, 'elsewhere'), 'secret', { mode: 0o600 });
    symlinkSync(join(root, 'elsewhere'), join(folder, 'f'));
    expect(() => readPrivateFile(folder, 'f', 100)).toThrow(/symlink/);
  });

  test('a FIFO is refused at once, never blocks', () => {
    execFileSync('mkfifo', [join(folder, 'f')]);
    expect(() => readPrivateFile(folder, 'f', 100)).toThrow(/not a regular file/);
  });

  test('a write replaces a planted symlink instead of writing through it (F1: pending-authorizations.json)', () => {
    writeFileSync(join(root, 'victim'), 'keep me');
    symlinkSync(join(root, 'victim'), join(folder, 'pending.json'));
    writePrivateFile(folder, 'pending.json', 'verifier');
    expect(readFileSync(join(root, 'victim'), 'utf8')).toBe('keep me');
    expect(lstatSync(join(folder, 'pending.json')).isFile()).toBe(true);
    expect(statSync(join(folder, 'pending.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(folder, 'pending.json'), 'utf8')).toBe('verifier');
    expect(readdirSync(folder)).toEqual(['pending.json']); // no temporary file left
  });

  test('an exclusive create never opens what is there, a symlink included (F1: writing.lock)', () => {
    writeFileSync(join(root, 'victim'), 'keep me');
    symlinkSync(join(root, 'victim'), join(folder, 'writing.lock'));
    expect(() => createPrivateFile(folder, 'writing.lock', '123')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(join(root, 'victim'), 'utf8')).toBe('keep me');
    expect(createPrivateFile(folder, 'new', 'x')).toBe(join(folder, 'new'));
    expect(statSync(join(folder, 'new')).mode & 0o777).toBe(0o600);
    expect(() => createPrivateFile(folder, 'new', 'y')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });
});
