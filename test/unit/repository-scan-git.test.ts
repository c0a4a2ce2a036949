// The repository scan's conversation with git, in process: git is an in-memory fake
// (test/support/fake-git.ts) that answers in git's own formats. What is read is what the commit
// holds, byte for byte; what blocks a commit is only what it adds; git's errors stay off the terminal.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fakeGit, type FakeRepo } from '../support/fake-git.js';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';

vi.mock('node:child_process', async (original) => {
  const { fakeGit: git } = await import('../support/fake-git.js');
  return { ...(await original<typeof import('node:child_process')>()), execFileSync: git.execFileSync };
});

const { ALLOW_LIST_FILE, MAX_BLOB_BYTES, allowListEntry, readAllowList, readIndex, repositoryRoot, scanRepository } = await import('../../scripts/lib/secrets/repository-scan.js');

const OWN = 'my-own-client-secret-0123456789';
const values = { own: new Map([[OWN, 'DRIBBBLE_CLIENT_SECRET']]), clientIds: new Set<string>() };

function repo(fields: Omit<FakeRepo, 'root'>): string {
  const root = mkdtempSync(join(tmpdir(), 'scan-git-'));
  fakeGit.reset({ root, ...fields });
  return root;
}

afterEach(() => fakeGit.reset());

describe('repositoryRoot', () => {
  test('the top of the work tree, from any folder inside it', () => {
    const root = repo({ index: [] });
    expect(repositoryRoot(join(root, 'a', 'b'))).toBe(root);
  });

  test('outside a work tree: exit 2 naming the folder and why, git\'s own message kept off the terminal', () => {
    fakeGit.reset();
    const error = (() => {
      try {
        repositoryRoot('/nowhere/x');
      } catch (e) {
        return e as DribbbleOAuthError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect([error.code, error.exitCode]).toEqual(['not_a_git_repository', 2]);
    expect(error.message).toBe('Cannot check for secrets in /nowhere/x: this folder is not inside a git work tree. Run it inside the repository you share.');
    expect(fakeGit.calls.map((c) => c.stderrShown)).toEqual([false]);
  });

  // Second audit: dubious ownership or a broken config line was "not inside a git work tree".
  test('git refusing this repository for another reason: exit 2 git_failed with git\'s own words, its remedy included, its trace left out', () => {
    fakeGit.reset({ root: '/r', index: [], refusal: "12:00:00.000000 git.c:463 trace: built-in: git rev-parse --show-toplevel\nfatal: detected dubious ownership in repository at '/r'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /r" });
    expect(() => repositoryRoot('/r')).toThrow(expect.objectContaining({ code: 'git_failed', exitCode: 2, message: "Cannot check for secrets in /r: git cannot read this repository (fatal: detected dubious ownership in repository at '/r' To add an exception for this directory, call: git config --global --add safe.directory /r). Fix what git says, then run it again." }));
    // git that cannot start (no stderr at all): git_failed with the error itself.
    fakeGit.reset({ root: '/r', index: [] });
    fakeGit.spawnFailure = 'EACCES';
    expect(() => repositoryRoot('/r')).toThrow(expect.objectContaining({ code: 'git_failed', message: 'Cannot check for secrets in /r: git cannot read this repository (spawnSync git EACCES). Fix what git says, then run it again.' }));
    // Not a repository, said after a trace line (GIT_TRACE=1): still not_a_git_repository.
    fakeGit.reset({ root: '/r', index: [], refusal: '12:00:00.000000 git.c:463 trace: built-in: git rev-parse --show-toplevel\nfatal: not a git repository (or any of the parent directories): .git' });
    expect(() => repositoryRoot('/r')).toThrow(expect.objectContaining({ code: 'not_a_git_repository' }));
  });

  test('without git installed, the message says so', () => {
    fakeGit.reset();
    fakeGit.missing = true;
    expect(() => repositoryRoot('/x')).toThrow(expect.objectContaining({ code: 'not_a_git_repository', exitCode: 2, message: 'Cannot check for secrets in /x: git is not installed. Run it inside the repository you share.' }));
  });
});

describe('readIndex: the bytes the commit would hold', () => {
  test('every tracked file with its exact bytes and size, newlines and binary included; submodules hold none of ours', () => {
    const binary = Buffer.from([0x00, 0x0a, 0xff, 0x0a, 0x0a, 0x20]);
    const root = repo({ index: [{ path: 'a.txt', content: 'one\ntwo\n' }, { path: 'empty', content: '' }, { path: 'bin/x.png', content: binary }, { path: 'dir with space/ü.md', content: 'z' }], submodules: ['vendor/lib'] });
    expect(readIndex(root)).toEqual([
      { path: 'a.txt', content: Buffer.from('one\ntwo\n'), size: 8 },
      { path: 'empty', content: Buffer.alloc(0), size: 0 },
      { path: 'bin/x.png', content: binary, size: 6 },
      { path: 'dir with space/ü.md', content: Buffer.from('z'), size: 1 },
    ]);
  });

  test('a tracked file of several megabytes is read whole (git\'s output is not cut at a small buffer)', () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'x');
    const root = repo({ index: [{ path: 'big.txt', content: big }] });
    expect(readIndex(root)[0]!.content!.equals(big)).toBe(true);
  });

  test(`a blob over ${MAX_BLOB_BYTES} bytes is listed with its size and no content, and is not read; one of exactly that size is read`, () => {
    const root = repo({ index: [{ path: 'huge.bin', content: 'h', size: MAX_BLOB_BYTES + 1 }, { path: 'edge.bin', content: 'e', size: MAX_BLOB_BYTES }] });
    expect(readIndex(root)).toEqual([
      { path: 'huge.bin', content: undefined, size: MAX_BLOB_BYTES + 1 },
      { path: 'edge.bin', content: Buffer.from('e'), size: MAX_BLOB_BYTES },
    ]);
    const batch = fakeGit.calls.find((c) => c.args.join(' ') === 'cat-file --batch')!;
    expect(batch.input!.trim().split('\n')).toHaveLength(1);
  });

  test('an empty index, or one holding only too-large blobs, starts no more git processes than needed', () => {
    let root = repo({ index: [] });
    expect(readIndex(root)).toEqual([]);
    expect(fakeGit.calls.map((c) => c.args[0])).toEqual(['ls-files']);
    root = repo({ index: [{ path: 'huge.bin', content: 'h', size: MAX_BLOB_BYTES + 1 }] });
    readIndex(root);
    expect(fakeGit.calls.map((c) => c.args.join(' '))).not.toContain('cat-file --batch');
  });

  test('every git call runs in the work tree with its stderr piped, never shown on the terminal', () => {
    const root = repo({ index: [{ path: 'a', content: 'a' }], head: [{ path: 'a', content: 'b' }] });
    scanRepository(root, values, false);
    expect(fakeGit.calls.length).toBeGreaterThan(3);
    for (const c of fakeGit.calls) expect([c.cwd, c.stderrShown]).toEqual([root, false]);
  });
});

describe('readAllowList', () => {
  test('one entry a line, trimmed; # comments, blank lines and CRLF line ends ignored; no file, no entries', () => {
    const root = mkdtempSync(join(tmpdir(), 'allow-'));
    expect(readAllowList(root)).toEqual(new Set());
    writeFileSync(join(root, ALLOW_LIST_FILE), '# accepted\r\n  a.json:own-secret:0123  \r\n\r\n   \nb.md:token-shape:4567\n#c:d\n');
    expect(readAllowList(root)).toEqual(new Set(['a.json:own-secret:0123', 'b.md:token-shape:4567']));
  });

  // Audit: a FIFO named .secretsignore hung check-secrets, and so every commit; a folder was read as no list.
  test('a named pipe or a folder as the list: exit 2 naming it at once, never a hang or an empty list', () => {
    for (const make of [(path: string) => spawnSync('mkfifo', [path]), (path: string) => mkdirSync(path)]) {
      const root = mkdtempSync(join(tmpdir(), 'allow-'));
      make(join(root, ALLOW_LIST_FILE));
      expect(() => readAllowList(root)).toThrow(expect.objectContaining({ code: 'allow_list_unreadable', exitCode: 2, message: expect.stringMatching(/^Cannot read the allow-list \.secretsignore: it is (not a regular file \(a named pipe\), so it was not read|a folder, not a file)\. Make it a regular file of "file:rule:hash" lines, or remove it\.$/) }));
    }
  });
});

describe('scanRepository: what blocks a commit', () => {
  test('--all: every finding in every tracked file blocks, and every file counts as scanned', () => {
    const root = repo({ index: [{ path: 'old.md', content: `kept ${OWN}` }, { path: 'clean.md', content: 'nothing' }], head: [{ path: 'old.md', content: `kept ${OWN}` }] });
    const result = scanRepository(root, values, true);
    expect(result.blocking.map((f) => [f.file, f.rule])).toEqual([['old.md', 'own-secret']]);
    expect([result.warnings, result.scanned]).toEqual([[], 2]);
  });

  test('a commit: a secret it adds blocks; one in a file it does not touch, or already in HEAD\'s version, is a warning', () => {
    const root = repo({
      index: [
        { path: 'untouched.md', content: `old ${OWN}` },
        { path: 'edited.md', content: `still ${OWN}, edited` },
        { path: 'new.md', content: `new ${OWN}` },
        { path: 'leaked.md', content: `now ${OWN}` },
      ],
      head: [
        { path: 'untouched.md', content: `old ${OWN}` },
        { path: 'edited.md', content: `still ${OWN}` },
        { path: 'leaked.md', content: 'clean before' },
      ],
    });
    const result = scanRepository(root, values, false);
    expect(result.blocking.map((f) => f.file)).toEqual(['new.md', 'leaked.md']);
    expect(result.warnings.map((f) => f.file)).toEqual(['untouched.md', 'edited.md']);
    expect(result.scanned).toBe(4);
  });

  test('a commit that changes no file reads nothing from HEAD, and what HEAD holds is a warning', () => {
    const root = repo({ index: [{ path: 'a.md', content: OWN }], head: [{ path: 'a.md', content: OWN }] });
    const result = scanRepository(root, values, false);
    expect([result.blocking, result.warnings.map((f) => f.file)]).toEqual([[], ['a.md']]);
    expect(fakeGit.calls.map((c) => c.args[0])).not.toContain('ls-tree');
  });

  test('the first commit (no HEAD yet): every finding blocks', () => {
    const root = repo({ index: [{ path: 'a.md', content: OWN }] });
    expect(scanRepository(root, values, false).blocking.map((f) => f.file)).toEqual(['a.md']);
  });

  test('a finding accepted in the allow-list is neither blocking nor a warning; others in the same file still count', () => {
    const other = 'another-secret-of-mine-987654';
    const both = { ...values, own: new Map([...values.own, [other, 'DRIBBBLE_ACCESS_TOKEN']]) };
    const root = repo({ index: [{ path: 'a.md', content: `${OWN} ${other}` }] });
    const first = scanRepository(root, both, true).blocking;
    expect(first).toHaveLength(2);
    writeFileSync(join(root, ALLOW_LIST_FILE), `${allowListEntry(first[0]!)}\n`);
    expect(scanRepository(root, both, true).blocking).toEqual([first[1]]);
    expect(scanRepository(root, both, false).warnings).toEqual([]);
  });
});
