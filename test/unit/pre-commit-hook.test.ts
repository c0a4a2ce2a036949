// What install writes, in process: git is an in-memory fake (test/support/fake-git.ts), the work
// tree a temporary folder. The hook lands where git looks for it (hook-place.test.ts), runnable,
// never overwrites a hook that is not ours, and says when git will not run it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fakeGit } from '../support/fake-git.js';
import { UsageError } from '../../scripts/lib/core/errors.js';

vi.mock('node:child_process', async (original) => {
  const { fakeGit: git } = await import('../support/fake-git.js');
  return { ...(await original<typeof import('node:child_process')>()), execFileSync: git.execFileSync };
});

// writeFile as it is, but a test can make one call fail (a write error cannot be made as root).
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return { ...real, writeFile: vi.fn(real.writeFile) };
});
const { writeFile } = await import('node:fs/promises');

const { describeHookInstall, HOOK_BLOCK, HOOK_MARK, hookFindsTool, hookStatus, installHook } = await import('../../scripts/lib/secrets/pre-commit-hook.js');

import { husky, workTree } from '../support/hook-work-tree.js';

afterEach(() => fakeGit.reset());

describe('hookStatus', () => {
  test('outside a work tree: undefined', () => {
    fakeGit.reset();
    expect(hookStatus('/nowhere')).toBeUndefined();
  });

  test('installed only when the hook file holds our mark', () => {
    const root = workTree('.githooks');
    const path = join(root, '.githooks', 'pre-commit');
    expect(hookStatus(root)).toEqual({ path, installed: false });
    mkdirSync(join(root, '.githooks'));
    writeFileSync(path, '#!/bin/sh\nmake lint\n');
    expect(hookStatus(root)).toEqual({ path, installed: false });
    writeFileSync(path, `#!/bin/sh\n${HOOK_BLOCK}`);
    chmodSync(path, 0o755);
    expect(hookStatus(root)).toEqual({ path, installed: true });
  });

  test('ours, but never run: installed, with the reason init shows (not executable, after an exit, husky not set up)', () => {
    const root = workTree('.githooks');
    const path = join(root, '.githooks', 'pre-commit');
    mkdirSync(join(root, '.githooks'));
    writeFileSync(path, `#!/bin/sh\n${HOOK_BLOCK}`, { mode: 0o644 });
    expect(hookStatus(root)).toEqual({ path, installed: true, neverRuns: `git skips a hook it cannot execute: run chmod +x ${path}` });
    writeFileSync(path, `#!/bin/sh\nexit 0\n${HOOK_BLOCK}`, { mode: 0o755 });
    expect(hookStatus(root)?.neverRuns).toMatch(/^a line above it ends the hook/);
    const husky = workTree('.husky/_');
    mkdirSync(join(husky, '.husky'));
    writeFileSync(join(husky, '.husky', 'pre-commit'), HOOK_BLOCK);
    expect(hookStatus(husky)).toEqual({ path: join(husky, '.husky', 'pre-commit'), installed: true, neverRuns: expect.stringMatching(/^git runs no hook in this work tree/) });
  });
});

// Audit: --install-hook in a repository without the tool installed a hook that refused every commit,
// and said nothing. The command now warns when hookFindsTool says no; it must say what the hook's
// own shell test says, for every layout.
describe('hookFindsTool: the hook\'s own test of whether it can run, in TypeScript', () => {
  // Each path absent, a file, or a folder (the hook tests -f and -d, not mere existence).
  type Shape = 'none' | 'file' | 'folder';
  const shapes: Shape[] = ['none', 'file', 'folder'];
  const make = (path: string, shape: Shape | 'named') => {
    if (shape === 'none') return;
    mkdirSync(dirname(path), { recursive: true });
    if (shape === 'folder') mkdirSync(path, { recursive: true });
    else writeFileSync(path, shape === 'named' ? JSON.stringify({ name: 'dribbble-oauth' }, null, 2) : JSON.stringify({ name: 'team-site' }));
  };

  test('every layout of node_modules, the dependency\'s dist/cli.js, node_modules/.bin/dribbble-oauth, dist/cli.js and package.json: as the hook decides', () => {
    const layouts = shapes.flatMap((modules) =>
      shapes.flatMap((dependency) => shapes.flatMap((bin) => shapes.flatMap((built) => (['none', 'file', 'folder', 'named'] as const).map((pkg) => ({ modules, dependency, bin, built, pkg }))))),
    );
    const root = mkdtempSync(join(tmpdir(), 'hook-tool-'));
    const possible = layouts.filter(({ modules, dependency, bin }) => modules === 'folder' || (dependency === 'none' && bin === 'none')); // both live in node_modules
    possible.forEach(({ modules, dependency, bin, built, pkg }, i) => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      make(join(dir, 'node_modules'), modules);
      make(join(dir, 'node_modules', 'dribbble-oauth', 'dist', 'cli.js'), dependency);
      make(join(dir, 'node_modules', '.bin', 'dribbble-oauth'), bin);
      make(join(dir, 'dist', 'cli.js'), built);
      make(join(dir, 'package.json'), pkg);
    });
    // The hook's own lines up to its decision, in each layout's folder: one sh for them all.
    const lines = HOOK_BLOCK.split('\n');
    const choice = lines.slice(lines.findIndex((l) => l.startsWith('if [ -f dist/cli.js ]')), lines.indexOf('else dribbble_oauth=""; fi') + 1).join('\n');
    const script = `i=0; while [ -d "$i" ]; do (cd "$i" && ${choice.replaceAll('\n', '\n')}\nif [ -n "$dribbble_oauth" ] && [ -d node_modules ]; then echo yes; else echo no; fi); i=$((i+1)); done`;
    const shell = spawnSync('sh', ['-c', script], { cwd: root, encoding: 'utf8' });
    expect(shell.status, shell.stderr).toBe(0);
    const decided = shell.stdout.trim().split('\n');
    expect(decided).toHaveLength(possible.length);
    expect(possible.map((layout, i) => ({ ...layout, finds: hookFindsTool(join(root, String(i))) }))).toEqual(possible.map((layout, i) => ({ ...layout, finds: decided[i] === 'yes' })));
  });

  // Audit: an unreadable package.json was read bare: a stack trace after the hook was written.
  test('a package.json that is a named pipe, or unreadable: not this tool\'s repository, at once, no throw', () => {
    const root = mkdtempSync(join(tmpdir(), 'finds-'));
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'cli.js'), '');
    spawnSync('mkfifo', [join(root, 'package.json')]);
    expect(hookFindsTool(root)).toBe(false);
    rmSync(join(root, 'package.json'));
    writeFileSync(join(root, 'package.json'), '{ "name": "dribbble-oauth" }');
    expect(hookFindsTool(root)).toBe(true);
  });
});

describe('installHook', () => {
  test('.git/hooks: a new executable sh script, its folder made if missing; the path shown relative to the work tree', async () => {
    const root = workTree();
    expect(await installHook(root)).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'installed' });
    const path = join(root, '.git', 'hooks', 'pre-commit');
    expect(readFileSync(path, 'utf8')).toBe(`#!/bin/sh\n${HOOK_BLOCK}`);
    expect(statSync(path).mode & 0o777).toBe(0o755);
  });

  test('husky in a linked worktree it has not set up: the block goes into .husky/pre-commit, never into husky\'s folder, and the run says no hook runs here until husky sets it up', async () => {
    const root = workTree('.husky/_');
    mkdirSync(join(root, '.husky'));
    const done = await installHook(root);
    expect(done).toEqual({ path: join('.husky', 'pre-commit'), done: 'installed', neverRuns: `git runs no hook in this work tree (core.hooksPath ${join('.husky', '_')} does not exist here, as in a worktree added after husky ran). Set husky up here: run "npx husky .husky" in ${root}` });
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8')).toBe(HOOK_BLOCK);
    expect(existsSync(join(root, '.husky', '_'))).toBe(false);
    // What was written is said; that it does not run yet, too.
    const said = describeHookInstall(done);
    expect(said.line).toBe(`Installed in ${join('.husky', 'pre-commit')}.`);
    expect(said.warning).toContain('is there, but git runs no hook in this work tree');
    expect(describeHookInstall(await installHook(root))).toEqual({ warning: expect.stringContaining('is there, but git runs no hook') });
    // Once husky has run here, the same hook is current and runs.
    mkdirSync(join(root, '.husky', '_'));
    writeFileSync(join(root, '.husky', '_', 'h'), '# husky\n');
    expect(await installHook(root)).toEqual({ path: join('.husky', 'pre-commit'), done: 'current' });
    expect(hookStatus(root)).toEqual({ path: join(root, '.husky', 'pre-commit'), installed: true });
  });

  // Audit: the advice was a bare "npx husky" (for a folder other than .husky it points the shared
  // core.hooksPath at .husky/_), unquoted (a space split it), and "npm install" where no install runs
  // husky; a _ holding husky's stubs without h fails every commit.
  test('husky not set up: the advice names the folder, quoted, and npm install only when the install runs husky; stubs without h are said to fail every commit', async () => {
    const root = workTree('web app/.husky/_');
    mkdirSync(join(root, 'web app', '.husky', '_'), { recursive: true });
    expect((await installHook(root)).neverRuns).toBe(`git runs no hook in this work tree (core.hooksPath ${join('web app', '.husky', '_')} has no husky h, as in a worktree added after husky ran). Set husky up here: run "npx husky 'web app/.husky'" in ${root}`);
    writeFileSync(join(root, 'web app', '.husky', '_', 'pre-commit'), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky "web app/.husky"' } }));
    expect((await installHook(root)).neverRuns).toBe(`git runs ${join('web app', '.husky', '_', 'pre-commit')}, which needs husky's ${join('web app', '.husky', '_', 'h')}, missing here, so every commit fails before it. Set husky up here: run "npx husky 'web app/.husky'" in ${root}`);
    expect(readFileSync(join(root, 'web app', '.husky', 'pre-commit'), 'utf8')).toBe(HOOK_BLOCK);
    const quoted = workTree("it's/.husky/_");
    expect((await installHook(quoted)).neverRuns).toContain(`run "npx husky 'it'\\''s/.husky'" in ${quoted}`);
    const clone = workTree();
    writeFileSync(join(clone, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky' } }));
    mkdirSync(join(clone, '.husky'));
    writeFileSync(join(clone, '.husky', 'pre-commit'), 'npm test\n');
    const install = await installHook(clone);
    expect(install).toEqual({ path: join('.husky', 'pre-commit'), done: 'installed', neverRuns: `git does not run ${join('.husky', 'pre-commit')} yet: husky has not set up this work tree (git looks for hooks in ${join('.git', 'hooks')} for now). Set husky up here: run "npm install" in ${clone} (its prepare script runs husky), or "npx husky .husky" in ${clone}` });
    expect(readFileSync(join(clone, '.husky', 'pre-commit'), 'utf8')).toBe(`npm test\n${HOOK_BLOCK}`);
    expect(existsSync(join(clone, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  // Audit: a file where the hooks folder should be was an internal error (ENOTDIR), and /dev/null a
  // "file where a folder should be" told to become a regular file.
  test('where git looks for hooks is no folder (a file named .husky, /dev/null, a symlink to nothing): exit 2 naming it, nothing written', async () => {
    let root = workTree('.husky/_');
    writeFileSync(join(root, '.husky'), 'not a folder\n');
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_unwritable', exitCode: 2, message: `Git looks for the pre-commit hook in ${join('.husky', '_')}, which cannot be a folder: .husky is a file, so git runs no hook from it and nothing was written. Make it a folder, or point core.hooksPath at one (or unset it: git config --unset core.hooksPath), then run --install-hook again.` });
    expect(hookStatus(root)).toBeUndefined();
    root = workTree('/dev/null');
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_unwritable', message: expect.stringMatching(/^Git looks for the pre-commit hook in \/dev\/null, which is a file or a device, not a folder, so git runs no hook from it/) });
    root = workTree('.githooks');
    symlinkSync(join(root, 'gone'), join(root, '.githooks'));
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_unwritable', message: expect.stringMatching(/^Git looks for the pre-commit hook in \.githooks, which is a symlink to nothing/) });
    expect(existsSync(join(root, 'gone'))).toBe(false);
  });

  // Audit: a global core.hooksPath got our block, and every repository on the machine refused commits.
  test('a hooks folder of the global or system git config: exit 2 (hook_shared), nothing written; ours already there is current', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'global-hooks-'));
    const root = workTree(shared);
    fakeGit.repo!.hooksPathScope = 'global';
    const error = (await installHook(root).catch((e: unknown) => e)) as UsageError;
    expect(error).toMatchObject({ code: 'hook_shared', exitCode: 2 });
    expect(error.message).toMatch(/^core\.hooksPath is set in your global git config, so git runs \S+ in every repository on this machine, and this check would refuse commits in each one without dribbble-oauth\. Nothing was written\./);
    expect(error.message).toContain(`run "git config core.hooksPath .githooks" in ${root}`);
    expect(readdirSync(shared)).toEqual([]);
    writeFileSync(join(shared, 'pre-commit'), `#!/bin/sh\n${HOOK_BLOCK}`, { mode: 0o755 });
    expect((await installHook(root)).done).toBe('current');
  });

  // Audit: a folder named "..x" counted as outside the work tree, so a symlink there out of it was written through.
  test('a hooks folder whose name starts with two dots is in the work tree: its symlink out is refused', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    const root = workTree('..hooks');
    symlinkSync(outside, join(root, '..hooks'));
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_outside' });
    expect(readdirSync(outside)).toEqual([]);
  });

  test('husky: a new .husky/pre-commit is the block alone (husky runs it with sh -e)', async () => {
    const root = husky();
    expect(await installHook(root)).toEqual({ path: join('.husky', 'pre-commit'), done: 'installed' });
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8')).toBe(HOOK_BLOCK);
    // Made executable like every hook it creates (husky runs it with sh either way).
    expect(statSync(join(root, '.husky', 'pre-commit')).mode & 0o777).toBe(0o755);
  });

  test.each([
    ['with', 'npm test\n'],
    ['without', 'npm test'],
  ])('husky: an existing .husky/pre-commit (%s a final newline) keeps its commands; ours go after them on a line of their own', async (_, existing) => {
    const root = husky();
    writeFileSync(join(root, '.husky', 'pre-commit'), existing);
    expect(await installHook(root)).toEqual({ path: join('.husky', 'pre-commit'), done: 'installed' });
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8')).toBe(`npm test\n${HOOK_BLOCK}`);
  });

  test('installed already: nothing written again', async () => {
    const root = husky();
    writeFileSync(join(root, '.husky', 'pre-commit'), `npm test\n${HOOK_BLOCK}`);
    expect((await installHook(root)).done).toBe('current');
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8')).toBe(`npm test\n${HOOK_BLOCK}`);
    expect(readFileSync(join(root, '.husky', 'pre-commit'), 'utf8').split(HOOK_MARK)).toHaveLength(2);
  });

  // The block as the version before wrote it, byte for byte: it ran node_modules/.bin/dribbble-oauth
  // with node, which under pnpm is a shell script, so every commit was refused.
  const OLDER_BLOCK = `# dribbble-oauth check-secrets: refuses a commit that carries a secret (bypass once: git commit --no-verify).
if [ -f dist/cli.js ] && [ -f package.json ] && grep -q '"name": "dribbble-oauth"' package.json; then dribbble_oauth="dist/cli.js"
elif [ -f node_modules/.bin/dribbble-oauth ]; then dribbble_oauth="node_modules/.bin/dribbble-oauth"
else dribbble_oauth=""; fi
if [ -z "$dribbble_oauth" ] || [ ! -d node_modules ] || ! command -v node >/dev/null 2>&1; then
  echo "check-secrets cannot run (node, node_modules or the built dist/cli.js is missing), so this commit is refused. Fix: run \\"npm install\\" (it builds dist/), then commit again. To commit without the check: git commit --no-verify" >&2
  exit 1
fi
node -- "$dribbble_oauth" check-secrets || exit 1
`;
  const preCommit = (content: string) => {
    const root = workTree();
    mkdirSync(join(root, '.git', 'hooks'), { recursive: true });
    const path = join(root, '.git', 'hooks', 'pre-commit');
    writeFileSync(path, content);
    return { root, read: () => readFileSync(path, 'utf8') };
  };

  test.each([
    ['between lines of its own', (b: string) => `#!/bin/sh\nlint-staged\n${b}echo done\n`],
    ['twice', (b: string) => `#!/bin/sh\n${b}npm test\n${b}`],
    // Audit: a pattern from the mark line to the check line took the user's lines in between.
    ['after a comment of the team\'s that starts like our mark, with their commands in between', (b: string) => `#!/bin/sh\n# dribbble-oauth check-secrets runs first (see below); lint after\nnpx lint-staged\nnpm test\n${b}`],
  ])('a hook holding the block of an older version %s: --install-hook brings each up to date in place, every other line kept, and says so', async (_, hook) => {
    expect(OLDER_BLOCK).not.toBe(HOOK_BLOCK);
    const { root, read } = preCommit(hook(OLDER_BLOCK));
    expect((await installHook(root)).done).toBe('updated');
    expect(read()).toBe(hook(HOOK_BLOCK));
  });

  // Audit: keeping CRLF made every line of the file CRLF, ours too, and sh then failed on our block.
  test('CRLF line ends: nothing is rewritten, and the block is reported as edited (sh cannot run it as it is)', async () => {
    const crlf = (text: string) => text.replaceAll('\n', '\r\n');
    for (const block of [OLDER_BLOCK, HOOK_BLOCK]) {
      const { root, read } = preCommit(crlf(`#!/bin/sh\n${block}`));
      expect((await installHook(root)).done).toBe('edited');
      expect(read()).toBe(crlf(`#!/bin/sh\n${block}`));
    }
  });

  test('our block in a hook git would skip (not executable): left as it is, with a warning saying to chmod +x it, never "already in"', async () => {
    const { root } = preCommit(`#!/bin/sh\n${HOOK_BLOCK}`);
    const path = join(root, '.git', 'hooks', 'pre-commit');
    expect(statSync(path).mode & 0o111).toBe(0);
    const install = await installHook(root);
    expect(install).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'current', neverRuns: `git skips a hook it cannot execute: run chmod +x ${join('.git', 'hooks', 'pre-commit')}` });
    expect(describeHookInstall(install)).toEqual({ warning: `warning: the check-secrets block in ${join('.git', 'hooks', 'pre-commit')} is there, but git skips a hook it cannot execute: run chmod +x ${join('.git', 'hooks', 'pre-commit')}.` });
    expect(statSync(path).mode & 0o777).toBe(0o644);
    chmodSync(path, 0o700);
    expect(await installHook(root)).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'current' });
  });

  test('on Windows, where a file has no execute bit to read, no such warning', async () => {
    const { root } = preCommit(`#!/bin/sh\n${HOOK_BLOCK}`);
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      expect(await installHook(root)).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'current' });
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  // Audit: an earlier version's block (or today's) after an exit line was "Already in".
  test.each([['exit 0'], ['return 0'], ['exec npx lint-staged']])('our block after an unindented line that ends the hook (%s): a warning that it never runs, no "already in" or "checked", the file brought up to date', async (ender) => {
    for (const block of [OLDER_BLOCK, HOOK_BLOCK]) {
      const { root, read } = preCommit(`#!/bin/sh\n${ender}\n${block}`);
      chmodSync(join(root, '.git', 'hooks', 'pre-commit'), 0o755);
      const install = await installHook(root);
      expect(install.neverRuns).toBe('a line above it ends the hook (exit, return or exec), so it never runs: move the block above that line');
      // Never "every commit is checked"; an older block brought up to date is said as written.
      expect(describeHookInstall(install).line).toBe(block === HOOK_BLOCK ? undefined : `Brought up to date in ${join('.git', 'hooks', 'pre-commit')}.`);
      expect(read()).toBe(`#!/bin/sh\n${ender}\n${HOOK_BLOCK}`);
    }
  });

  // Second audit: each of these let our block run, yet was called dead (or a husky file refused).
  test.each([['exec 1>&2'], ['exec >/dev/null 2>&1'], ['npx lint-staged || exit 1'], ['if [ -n "$CI" ]; then\n  exit 0\nfi'], ['trap "rm -f t; exit" INT'], ['echo "do exit your editor"'], ['# then exit, if you must'], ['exiftool -ver; npx executor']])('a line that does not end the hook (%j): no warning, and husky gets our block after it', async (line) => {
    const { root } = preCommit(`#!/bin/sh\n${line}\n${HOOK_BLOCK}`);
    chmodSync(join(root, '.git', 'hooks', 'pre-commit'), 0o755);
    expect(await installHook(root)).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'current' });
    const huskyRoot = husky();
    writeFileSync(join(huskyRoot, '.husky', 'pre-commit'), `${line}\n`);
    expect((await installHook(huskyRoot)).done).toBe('installed');
  });

  test('an exit after our block does not stop it: no warning', async () => {
    const { root } = preCommit(`#!/bin/sh\n${HOOK_BLOCK}exit 0\n`);
    chmodSync(join(root, '.git', 'hooks', 'pre-commit'), 0o755);
    expect(await installHook(root)).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'current' });
  });

  test('a write that fails (a read-only file system, say): exit 2 hook_unwritable naming the hook and the error code, with the lines to add by hand', async () => {
    const root = workTree();
    vi.mocked(writeFile).mockRejectedValueOnce(Object.assign(new Error('read-only file system'), { code: 'EROFS' }));
    const error = (await installHook(root).catch((e: unknown) => e)) as UsageError;
    expect(error).toMatchObject({ code: 'hook_unwritable', exitCode: 2 });
    expect(error.message).toBe(`Cannot write the pre-commit hook ${join('.git', 'hooks', 'pre-commit')}: read-only file system. Make it (and its folder) a file you can write, or add these lines to it by hand:\n${HOOK_BLOCK}`);
  });

  test('no tool for the hook to find: both commands are told it refuses every commit', async () => {
    const root = workTree(undefined, false);
    const install = await installHook(root);
    expect(install).toEqual({ path: join('.git', 'hooks', 'pre-commit'), done: 'installed', toolMissing: root });
    const { line, warning } = describeHookInstall(install);
    expect(line).toBe(`Installed in ${join('.git', 'hooks', 'pre-commit')}: every commit is checked for secrets first.`);
    expect(warning).toMatch(new RegExp(`^warning: the hook finds no dribbble-oauth in ${root.replaceAll('/', '\\/')} .*so it refuses every commit until there is one`));
  });

  // Second audit: a tracked symlink had us create or append to a file outside the work tree.
  test('a hook that is a symlink, or a tracked hooks folder that leads out of the work tree: exit 2 (hook_outside), nothing written there', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    const root = workTree('.githooks');
    mkdirSync(join(root, '.githooks'));
    symlinkSync(join(outside, 'profile'), join(root, '.githooks', 'pre-commit'));
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_outside', exitCode: 2, message: expect.stringContaining(`The pre-commit hook ${join('.githooks', 'pre-commit')} is a symlink, so nothing was written through it.`) });
    const linked = workTree('.githooks');
    symlinkSync(outside, join(linked, '.githooks'));
    await expect(installHook(linked)).rejects.toMatchObject({ code: 'hook_outside', message: expect.stringContaining(`is in a folder that leads out of the work tree (${realpathSync(outside)})`) });
    expect(readdirSync(outside)).toEqual([]);
    // A core.hooksPath of the user's own outside the work tree is theirs to choose.
    const own = workTree(join(outside, 'global-hooks'));
    expect((await installHook(own)).done).toBe('installed');
  });

  test('a hook that is a folder or a named pipe: exit 2 naming it (hook_unreadable), no stack, no hang', async () => {
    const { root } = preCommit('');
    const path = join(root, '.git', 'hooks', 'pre-commit');
    rmSync(path);
    mkdirSync(path);
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_unreadable', exitCode: 2, message: `Cannot read the pre-commit hook ${join('.git', 'hooks', 'pre-commit')}: it is a folder, not a file. Make it a regular file you can read, then run --install-hook again.` });
    rmSync(path, { recursive: true });
    spawnSync('mkfifo', [path]);
    await expect(installHook(root)).rejects.toMatchObject({ code: 'hook_unreadable' });
    // init asks hookStatus first: no answer, rather than a wait for a writer that never comes.
    expect(hookStatus(root)).toBeUndefined();
  });

  test('what a command says of each outcome: a line when the check runs on commit, else the warning', () => {
    const path = join('.git', 'hooks', 'pre-commit');
    expect(describeHookInstall({ path, done: 'installed' })).toEqual({ line: `Installed in ${path}: every commit is checked for secrets first.` });
    expect(describeHookInstall({ path, done: 'updated' })).toEqual({ line: `Brought up to date in ${path}: every commit is checked for secrets first.` });
    expect(describeHookInstall({ path, done: 'current' })).toEqual({ line: `Already in ${path}: every commit is checked for secrets first.` });
    const edited = describeHookInstall({ path, done: 'edited' });
    expect(edited.line).toBeUndefined();
    expect(edited.warning).toMatch(/^warning: \.git\/hooks\/pre-commit holds a dribbble-oauth check-secrets block that is not as any version wrote it/);
    expect(edited.warning!.endsWith(`these lines:\n${HOOK_BLOCK}`)).toBe(true);
    expect(describeHookInstall({ path, done: 'current', neverRuns: 'it never runs', toolMissing: '/r' })).toEqual({ warning: expect.stringMatching(/^warning: the check-secrets block in \.git\/hooks\/pre-commit is there, but it never runs\.\nwarning: the hook finds no dribbble-oauth in \/r /) });
  });

  test.each(['npm test\nexit 0\n', 'npm test\nreturn 0\n', 'exec npx lint-staged\n'])('husky: a .husky/pre-commit that ends the hook (%j) is left alone (our lines at its end would never run): exit 2 giving the lines to add', async (existing) => {
    const root = husky();
    const hook = join(root, '.husky', 'pre-commit');
    writeFileSync(hook, existing);
    const error = await installHook(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('a line in it ends the hook');
    expect((error as UsageError).message).toContain(HOOK_BLOCK);
    expect(readFileSync(hook, 'utf8')).toBe(existing);
  });

  test('husky: "exit" or "exec" inside a command\'s words is a command like any other', async () => {
    const root = husky();
    const hook = join(root, '.husky', 'pre-commit');
    writeFileSync(hook, 'npm run pre-exit-check\nexiftool --version\nnpx executor\n');
    expect((await installHook(root)).done).toBe('installed');
  });

  test('modes: an executable hook brought up to date keeps its mode and says updated; husky\'s file and a current hook keep theirs', async () => {
    const { root } = preCommit(`#!/bin/sh\n${OLDER_BLOCK}`);
    const path = join(root, '.git', 'hooks', 'pre-commit');
    chmodSync(path, 0o700);
    expect((await installHook(root)).done).toBe('updated');
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect((await installHook(root)).done).toBe('current');
    expect(statSync(path).mode & 0o777).toBe(0o700);
    const huskyRoot = husky();
    const huskyHook = join(huskyRoot, '.husky', 'pre-commit');
    writeFileSync(huskyHook, `npm test\n${HOOK_BLOCK}`, { mode: 0o644 });
    // husky runs its file with sh: not executable is no warning there.
    expect(await installHook(huskyRoot)).toEqual({ path: join('.husky', 'pre-commit'), done: 'current' });
    expect(statSync(huskyHook).mode & 0o777).toBe(0o644);
  });

  test.each([
    ['its check line edited', (block: string) => block.replace('check-secrets || exit 1', 'check-secrets --all || exit 1')],
    ['its check line gone', (block: string) => block.split('\n').slice(0, -2).join('\n') + '\n'],
    ['indented', (block: string) => block.replace(/^/gm, '  ')],
  ])('our block with %s is left as it is (edited by hand), and --install-hook says so', async (_, edit) => {
    const edited = `#!/bin/sh\n${edit(OLDER_BLOCK)}`;
    const { root, read } = preCommit(edited);
    expect((await installHook(root)).done).toBe('edited');
    expect(read()).toBe(edited);
  });

  test('another tool\'s hook is left alone: exit 2 naming it and giving the lines to add', async () => {
    const root = workTree('.githooks');
    mkdirSync(join(root, '.githooks'));
    writeFileSync(join(root, '.githooks', 'pre-commit'), '#!/bin/sh\nlint-staged\n');
    const error = await installHook(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('hook_exists');
    expect((error as UsageError).message).toBe(`${join('.githooks', 'pre-commit')} exists and is not ours, so it was left alone. Add these lines near its top (before any "exit"):\n${HOOK_BLOCK}`);
    expect(readFileSync(join(root, '.githooks', 'pre-commit'), 'utf8')).toBe('#!/bin/sh\nlint-staged\n');
  });

  test('a hooks folder outside the work tree is shown by its absolute path', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'shared-hooks-'));
    const root = workTree(outside);
    expect((await installHook(root)).path).toBe(join(outside, 'pre-commit'));
    expect(existsSync(join(outside, 'pre-commit'))).toBe(true);
  });
});
