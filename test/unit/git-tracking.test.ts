// "Does git track this file?" fails closed, in process against real git repositories: a tracked,
// staged or symlinked-to-tracked file is refused, and so is any file whose tracking git cannot
// confirm inside a work tree (no git, "dubious ownership"); outside any work tree, no git is fine.
// The e2e git-tracking tests keep the whole run: refused before any request, nothing written.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { anchorGitEnvironment } from '../../scripts/lib/disk/git-environment.js';
import { assertNotTracked, gitTracking } from '../../scripts/lib/disk/git-tracking.js';

let dir: string;
const saved = { PATH: process.env.PATH, GIT_TEST_ASSUME_DIFFERENT_OWNER: process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER, GIT_INDEX_FILE: process.env.GIT_INDEX_FILE, GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'git-tracking-unit-')));
});
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function refusal(path: string): UsageError {
  try {
    assertNotTracked(path, 'the access token', '--env-file');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`${path} was not refused`);
}

describe('git cannot answer', () => {
  test('no git on PATH inside a work tree: exit 2 git_tracking_unknown, saying so and naming the work tree', () => {
    git('init', '-q');
    process.env.PATH = '/nonexistent';
    const error = refusal(join(dir, '.env'));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('git_tracking_unknown');
    expect(error.message).toContain('git is not installed or not on PATH');
    expect(error.message).toContain(`inside the git work tree ${dir}`);
  });

  test('no git on PATH outside any work tree: untracked, nothing refused', () => {
    process.env.PATH = '/nonexistent';
    expect(gitTracking(join(dir, '.env'))).toEqual({ state: 'untracked' });
    expect(() => assertNotTracked(join(dir, 'other.env'), 'the access token', '--env-file')).not.toThrow();
  });

  test('a work tree owned by another user ("dubious ownership"): exit 2 naming safe.directory', () => {
    git('init', '-q');
    // Git's own switch for its ownership check (git >= 2.35.2), for root and non-root alike.
    process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = '1';
    const error = refusal(join(dir, '.env'));
    expect(error.code).toBe('git_tracking_unknown');
    expect(error.message).toMatch(/dubious ownership/);
    expect(error.message).toContain(`git config --global --add safe.directory ${dir}`);
  });
});

describe('tracked files are refused', () => {
  test.each([
    ['committed', true],
    ['only staged', false],
  ])('a %s .env: exit 2 tracked_secret_file', async (_what, commit) => {
    git('init', '-q');
    await writeFile(join(dir, '.env'), 'DRIBBBLE_CLIENT_ID=id\n');
    git('add', '.env');
    if (commit) git('commit', '-qm', 'oops');
    const error = refusal(join(dir, '.env'));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('tracked_secret_file');
  });

  test('a symlinked .env whose target git tracks is refused, naming the target', async () => {
    git('init', '-q');
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'shared.env'), 'A=1\n');
    git('add', 'conf/shared.env');
    await symlink('conf/shared.env', join(dir, '.env'));
    const error = refusal(join(dir, '.env'));
    expect(error.code).toBe('tracked_secret_file');
    expect(error.message).toContain(`${join(dir, 'conf', 'shared.env')}: git tracks that file`);
  });

  test('an untracked .env in a work tree is not refused', async () => {
    git('init', '-q');
    await writeFile(join(dir, '.env'), 'A=1\n');
    expect(() => assertNotTracked(join(dir, '.env'), 'the access token', '--env-file')).not.toThrow();
  });

  // Audit: git was started in the file (spawnSync ENOTDIR), an "unknown" that refused as if git were broken.
  test('a path below a file, in a work tree: git is asked from the folder above it, and nothing there is tracked', async () => {
    git('init', '-q');
    await writeFile(join(dir, 'plain'), 'x');
    expect(gitTracking(join(dir, 'plain', 'sub', '.env'))).toEqual({ state: 'untracked' });
  });

  // Audit: anchoring GIT_INDEX_FILE=.git/index (what git gives a hook) to a subfolder named an index
  // that is not there, an empty one: a tracked env file looked untracked, and secrets went through.
  test('git\'s variables as a hook or a shell gives them, anchored in a subfolder: a tracked file is still tracked', async () => {
    git('init', '-q');
    await mkdir(join(dir, 'sub'));
    // A file of its own for each (gitTracking caches its answer by path).
    for (const [file, given] of [['a.env', { GIT_INDEX_FILE: '.git/index' }], ['b.env', { GIT_DIR: '../.git', GIT_WORK_TREE: '..' }]] as const) {
      await writeFile(join(dir, file), 'A=1\n');
      git('add', file);
      const env: NodeJS.ProcessEnv = { ...process.env, ...given };
      anchorGitEnvironment(env, join(dir, 'sub'));
      Object.assign(process.env, env);
      expect(gitTracking(join(dir, file)), JSON.stringify(given)).toEqual({ state: 'tracked' });
      for (const name of Object.keys(given)) delete process.env[name];
    }
  });
});
