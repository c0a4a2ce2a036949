// Where git runs the pre-commit hook, in process: git is an in-memory fake (test/support/fake-git.ts),
// the work tree a temporary folder. husky set up or not yet (a clone, a worktree), core.hooksPath
// of this repository or shared by every one, .git/hooks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fakeGit } from '../support/fake-git.js';
import { husky, workTree } from '../support/hook-work-tree.js';

vi.mock('node:child_process', async (original) => {
  const { fakeGit: git } = await import('../support/fake-git.js');
  return { ...(await original<typeof import('node:child_process')>()), execFileSync: git.execFileSync };
});

const { hookPlace, huskyInPackage } = await import('../../scripts/lib/secrets/hook-place.js');

afterEach(() => fakeGit.reset());

describe('hookPlace: where git looks for the pre-commit hook', () => {
  test('no core.hooksPath: the hooks folder git names (.git/hooks), from the work tree', () => {
    const root = workTree();
    expect(hookPlace(root)).toEqual({ kind: 'git-hooks', path: join(root, '.git', 'hooks', 'pre-commit') });
  });

  test.each(['.husky/_', '.husky/_/'])('husky v9 (core.hooksPath %s with its generated h): the user\'s .husky/pre-commit', (hooksPath) => {
    const root = husky(hooksPath);
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.husky', 'pre-commit') });
  });

  const unset = (dir: string, more: { onInstall?: boolean; looksIn?: string } = {}) => ({ dir, onInstall: false, ...more });
  const HOOKS = join('.git', 'hooks');

  test('.husky/_ without husky\'s h (a linked worktree: it shares the setting, not the ignored folder), with or without .husky here: husky, not set up here', () => {
    for (const hooksPath of ['.husky/_', '.husky/_//', './.husky/_']) {
      for (const made of ['', '.husky', '.husky/_']) {
        const root = workTree(hooksPath);
        if (made) mkdirSync(join(root, made), { recursive: true });
        expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.husky', 'pre-commit'), unset: unset('.husky') });
      }
    }
  });

  test('a name merely ending in _, or a folder _ higher up, is a plain hooks folder', () => {
    let root = workTree('hooks_');
    mkdirSync(join(root, 'hooks_'));
    writeFileSync(join(root, 'hooks_', 'h'), '');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, 'hooks_', 'pre-commit') });
    root = workTree('tools/_/hooks');
    mkdirSync(join(root, 'tools', '_', 'hooks'), { recursive: true });
    writeFileSync(join(root, 'tools', '_', 'hooks', 'h'), '');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, 'tools', '_', 'hooks', 'pre-commit') });
  });

  // Audit: a husky folder of another name (husky .config/husky) was written into its ignored _.
  test('a husky folder of another name, without h: known by a hook file of its own, or a package.json script running husky with it', () => {
    for (const hook of ['pre-commit', 'commit-msg', 'pre-push']) {
      const root = workTree('.config/husky/_');
      mkdirSync(join(root, '.config', 'husky'), { recursive: true });
      writeFileSync(join(root, '.config', 'husky', hook), 'npm test\n');
      expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.config', 'husky', 'pre-commit'), unset: unset(join('.config', 'husky')) });
    }
    for (const [script, onInstall] of [[{ prepare: 'husky .config/husky' }, true], [{ postinstall: 'npx husky .config/husky' }, true], [{ hooks: 'husky install .config/husky' }, false]] as const) {
      const root = workTree('.config/husky/_');
      writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: script }));
      expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.config', 'husky', 'pre-commit'), unset: unset(join('.config', 'husky'), { onInstall }) });
    }
    // Nothing says husky (no hook file, a folder by a hook's name, another folder in package.json): git's folder is _ itself.
    const bare = workTree('hooks/_');
    mkdirSync(join(bare, 'hooks', 'pre-push'), { recursive: true });
    writeFileSync(join(bare, 'hooks', 'README'), '');
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky .config/husky', lint: 'huskyish hooks' } }));
    expect(hookPlace(bare)).toEqual({ kind: 'hooks-path', path: join(bare, 'hooks', '_', 'pre-commit') });
  });

  test('a _ holding a pre-commit of the team\'s own (not husky\'s stub) is a plain hooks folder, whatever its name', () => {
    const root = workTree('.husky/_');
    mkdirSync(join(root, '.husky', '_'), { recursive: true });
    writeFileSync(join(root, '.husky', '_', 'pre-commit'), '#!/bin/sh\nmake lint\n');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.husky', '_', 'pre-commit') });
    for (const stub of ['#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n', '#!/usr/bin/env sh\n. "${0%/*}/h"']) {
      writeFileSync(join(root, '.husky', '_', 'pre-commit'), stub);
      expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.husky', 'pre-commit'), unset: unset('.husky') });
    }
  });

  // Audit: without h, any .husky/_ counted, outside the work tree or at its top, or a file named .husky.
  test('without h, a .husky folder outside the work tree, the work tree itself by its name, or a file named .husky is no husky setup to finish: git\'s folder is _ itself', () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    mkdirSync(join(outside, '.husky', '_'), { recursive: true });
    writeFileSync(join(outside, '.husky', 'pre-commit'), 'npm test\n');
    let root = workTree(join(outside, '.husky', '_'));
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(outside, '.husky', '_', 'pre-commit') });
    root = workTree(join('..', basename(outside), '.husky', '_'));
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(outside, '.husky', '_', 'pre-commit') });
    root = join(workTree(), '.husky');
    mkdirSync(root);
    fakeGit.reset({ root, index: [], hooksPath: '_' });
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '_', 'pre-commit') });
    // husky . (the top is husky's folder): known by a hook file there.
    writeFileSync(join(root, 'pre-commit'), 'npm test\n');
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, 'pre-commit'), unset: unset('.') });
    root = workTree('.husky/_');
    writeFileSync(join(root, '.husky'), 'not a folder\n');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.husky', '_', 'pre-commit') });
  });

  // Audit: a fresh clone of a husky project got the block in .git/hooks, which husky's install then passed over.
  test('no core.hooksPath, but husky\'s folder here (.husky with a hook, or the folder a package.json script names): husky, not set up in this clone', () => {
    let root = workTree();
    mkdirSync(join(root, '.husky'));
    expect(hookPlace(root)).toEqual({ kind: 'git-hooks', path: join(root, '.git', 'hooks', 'pre-commit') });
    writeFileSync(join(root, '.husky', 'pre-commit'), 'npm test\n');
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.husky', 'pre-commit'), unset: unset('.husky', { looksIn: HOOKS }) });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky' } }));
    expect(hookPlace(root).unset).toEqual(unset('.husky', { looksIn: HOOKS, onInstall: true }));
    root = workTree();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { prepare: 'cd . && husky tools/hooks' } }));
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, 'tools', 'hooks', 'pre-commit'), unset: unset(join('tools', 'hooks'), { looksIn: HOOKS, onInstall: true }) });
    // A package.json that is no JSON, a folder, or a named pipe: no husky known, never a hang.
    for (const make of [(p: string) => writeFileSync(p, '{ not json'), (p: string) => mkdirSync(p), (p: string) => spawnSync('mkfifo', [p])]) {
      root = workTree();
      make(join(root, 'package.json'));
      expect(hookPlace(root)).toEqual({ kind: 'git-hooks', path: join(root, '.git', 'hooks', 'pre-commit') });
    }
  });

  // Audit: a global core.hooksPath got our block, and every repository on the machine refused commits.
  test('core.hooksPath from the global or system config is shared; from this repository or worktree it is not', () => {
    for (const scope of ['global', 'system', 'local', 'worktree'] as const) {
      const root = workTree('/etc/git-hooks');
      fakeGit.repo!.hooksPathScope = scope;
      expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join('/etc/git-hooks', 'pre-commit'), ...(scope === 'global' || scope === 'system' ? { shared: scope } : {}) });
    }
  });

  test('a git before --show-scope: the value alone; a value git cannot read: exit 2 with git\'s words, nothing guessed', () => {
    let root = workTree('.githooks');
    fakeGit.repo!.hooksPathScope = 'unsupported';
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.githooks', 'pre-commit') });
    root = workTree('~nosuchuser/x');
    fakeGit.repo!.hooksPathScope = 'broken';
    expect(() => hookPlace(root)).toThrow(expect.objectContaining({ code: 'hook_place_unknown', exitCode: 2, message: expect.stringContaining("git cannot read core.hooksPath here (fatal: failed to expand user dir in: '~nosuchuser/x')") }));
  });

  test('husky installed at the top of the work tree (core.hooksPath _): its pre-commit is at the top too', () => {
    const root = workTree('_');
    mkdirSync(join(root, '_'));
    writeFileSync(join(root, '_', 'h'), '');
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, 'pre-commit') });
  });

  test('a tracked core.hooksPath folder: its pre-commit, relative to the work tree', () => {
    const root = workTree('.githooks');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.githooks', 'pre-commit') });
  });

  test('git\'s stderr stays off the terminal, even when core.hooksPath is unset (git exits 1)', () => {
    hookPlace(workTree());
    expect(fakeGit.calls.map((c) => c.stderrShown)).toEqual([false, false, false]);
  });
});

describe('huskyInPackage: the folder a package.json script sets husky up with', () => {
  const scriptsOf = (scripts: unknown) => {
    const root = mkdtempSync(join(tmpdir(), 'package-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'team', scripts }));
    return huskyInPackage(root);
  };

  test.each([
    ['husky', '.husky'],
    ['husky  tools/h', 'tools/h'],
    ['husky install', '.husky'],
    ['husky  install  tools/h', 'tools/h'],
    ['husky && npm test', '.husky'],
    ['husky tools/h;echo done', 'tools/h'],
    ['(husky)', '.husky'],
    ['npx husky -v', '.husky'],
    ['cd . && husky\ttools/h', 'tools/h'],
  ])('%j: %s', (script, dir) => {
    expect(scriptsOf({ prepare: script })).toEqual({ dir, onInstall: true });
  });

  test.each(['huskyx', 'xhusky tools/h', 'husky-init', 'echo husky-ish', 'npm test'])('%j: no husky', (script) => {
    expect(scriptsOf({ prepare: script })).toBeUndefined();
  });

  test('run by an install (prepare, postinstall) or not; found after other scripts; only string scripts count', () => {
    expect(scriptsOf({ test: 'vitest', hooks: 'husky' })).toEqual({ dir: '.husky', onInstall: false });
    expect(scriptsOf({ test: 'vitest', postinstall: 'husky tools/h' })).toEqual({ dir: 'tools/h', onInstall: true });
    expect(scriptsOf({ prepare: ['husky'] })).toBeUndefined();
    for (const scripts of [undefined, null, 'husky', ['husky'], 7]) expect(scriptsOf(scripts)).toBeUndefined();
  });

  test('no package.json, or one that is no JSON: none', () => {
    const root = mkdtempSync(join(tmpdir(), 'package-'));
    expect(huskyInPackage(root)).toBeUndefined();
    writeFileSync(join(root, 'package.json'), '{ "scripts": { "prepare": "husky" ');
    expect(huskyInPackage(root)).toBeUndefined();
  });
});

describe('hookPlace: the edges of what counts as husky\'s', () => {
  test('husky\'s stub in _ (the line that sources h, with any spacing) is husky\'s; a line that does more, or not at a line\'s start, is the team\'s own', () => {
    for (const [text, stub] of [
      ['. "$(dirname "$0")/h"   \n', true],
      ['.  "${0%/*}/h"', true],
      ['#!/bin/sh\n. "$(dirname "$0")/h" && npm test\n', false],
      ['#!/bin/sh\necho x; . "$(dirname "$0")/h"\n', false],
    ] as const) {
      const root = workTree('.husky/_');
      mkdirSync(join(root, '.husky', '_'), { recursive: true });
      writeFileSync(join(root, '.husky', '_', 'pre-commit'), text);
      expect(hookPlace(root).kind, text).toBe(stub ? 'husky' : 'hooks-path');
    }
  });

  test('a core.hooksPath of another folder wins over a .husky folder here (husky is not in use)', () => {
    const root = workTree('.githooks');
    mkdirSync(join(root, '.husky'));
    writeFileSync(join(root, '.husky', 'pre-commit'), 'npm test\n');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.githooks', 'pre-commit') });
  });

  test('the folder just above the work tree (core.hooksPath ../_) is outside it, whatever it holds', () => {
    const outer = mkdtempSync(join(tmpdir(), 'outer-'));
    const root = join(outer, 'repo');
    mkdirSync(root);
    writeFileSync(join(outer, 'pre-commit'), 'npm test\n');
    fakeGit.reset({ root, index: [], hooksPath: '../_' });
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(outer, '_', 'pre-commit') });
  });

  test('no git to ask: exit 2 (hook_place_unknown) with what failed, no stack', () => {
    const root = workTree('.githooks');
    fakeGit.missing = true;
    expect(() => hookPlace(root)).toThrow(expect.objectContaining({ code: 'hook_place_unknown', exitCode: 2, message: expect.stringContaining('git cannot read core.hooksPath here (') }));
  });
});

describe('hookPlace: core.hooksPath as git applies it', () => {
  // Second audit: a relative global value was called shared (it is each work tree's own), and a
  // husky clone under an absolute global one got advice that switched the team's hooks off.
  test('a global or system value is shared only when absolute: a relative one names a folder in each work tree', () => {
    for (const scope of ['global', 'system'] as const) {
      const root = workTree('.githooks');
      fakeGit.repo!.hooksPathScope = scope;
      expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, '.githooks', 'pre-commit') });
    }
  });

  test('a husky clone under an absolute global hooks folder: husky, not set up (its install sets this repository\'s own core.hooksPath)', () => {
    const shared = mkdtempSync(join(tmpdir(), 'global-hooks-'));
    const root = workTree(shared);
    fakeGit.repo!.hooksPathScope = 'global';
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky' } }));
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, '.husky', 'pre-commit'), unset: { dir: '.husky', onInstall: true, looksIn: shared } });
  });

  test('an empty value (git then looks in /): exit 2 hooks_path_empty saying how to unset it in its scope', () => {
    for (const [scope, flag] of [['local', ''], ['global', '--global '], ['system', '--system '], ['worktree', '--worktree ']] as const) {
      const root = workTree('');
      fakeGit.repo!.hooksPathScope = scope;
      expect(() => hookPlace(root)).toThrow(expect.objectContaining({ code: 'hooks_path_empty', exitCode: 2, message: `core.hooksPath is set but empty in your ${scope} git config, which has git look for hooks in the top folder of the file system (/pre-commit), so nothing was written. Unset it (git config ${flag}--unset core.hooksPath) or point it at a folder, then run --install-hook again.` }));
    }
    // A git before --show-scope: the same, its scope unsaid.
    const root = workTree('');
    fakeGit.repo!.hooksPathScope = 'unsupported';
    expect(() => hookPlace(root)).toThrow(expect.objectContaining({ code: 'hooks_path_empty', message: expect.stringMatching(/^core\.hooksPath is set but empty, which has git look/) }));
  });

  test('a value with spaces at its ends is git\'s folder as it is, spaces kept', () => {
    const root = workTree(' hooks ');
    expect(hookPlace(root)).toEqual({ kind: 'hooks-path', path: join(root, ' hooks ', 'pre-commit') });
  });

  test('husky in a package of a monorepo (husky app/.husky), in a clone: found by the hooks git tracks there', () => {
    const root = workTree();
    // Listed deepest first; a .husky with no hook of the team's (lib) is none; a hook file at the top does not make the top husky's.
    fakeGit.repo!.index = [{ path: 'web/deep/x/.husky/pre-push', content: '' }, { path: 'web/deep/.husky/pre-push', content: '' }, { path: 'README.md', content: '' }, { path: 'lib/.husky/README', content: '' }, { path: 'app/.husky/pre-commit', content: 'npm test\n' }];
    mkdirSync(join(root, 'lib', '.husky'), { recursive: true });
    writeFileSync(join(root, 'lib', '.husky', 'README'), '');
    writeFileSync(join(root, 'pre-commit'), '');
    mkdirSync(join(root, 'web', 'deep', 'x', '.husky'), { recursive: true });
    writeFileSync(join(root, 'web', 'deep', 'x', '.husky', 'pre-push'), '');
    mkdirSync(join(root, 'app', '.husky'), { recursive: true });
    writeFileSync(join(root, 'app', '.husky', 'pre-commit'), 'npm test\n');
    mkdirSync(join(root, 'web', 'deep', '.husky'), { recursive: true });
    writeFileSync(join(root, 'web', 'deep', '.husky', 'pre-push'), '');
    expect(hookPlace(root)).toEqual({ kind: 'husky', path: join(root, 'app', '.husky', 'pre-commit'), unset: { dir: join('app', '.husky'), onInstall: false, looksIn: join('.git', 'hooks') } });
    fakeGit.repo!.index = [{ path: 'lib/.husky/README', content: '' }];
    expect(hookPlace(root)).toEqual({ kind: 'git-hooks', path: join(root, '.git', 'hooks', 'pre-commit') });
  });

  test('config given on git\'s command line (git -c, GIT_CONFIG_*) is left out: the hook is for a plain git commit', () => {
    const root = workTree('.githooks');
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_CONFIG_PARAMETERS: "'core.hookspath'='.cmdhooks'", GIT_CONFIG_COUNT: '11', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: '.cmdhooks', GIT_CONFIG_KEY_10: 'a.b', GIT_CONFIG_VALUE_10: 'c', GIT_CONFIG_GLOBAL: '/g', GIT_CONFIG_COUNTER: 'kept', MY_GIT_CONFIG_COUNT: 'kept' });
    try {
      hookPlace(root);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
    for (const call of fakeGit.calls) {
      expect(Object.keys(call.env!).filter((name) => name.includes('GIT_CONFIG')).sort()).toEqual(['GIT_CONFIG_COUNTER', 'GIT_CONFIG_GLOBAL', 'MY_GIT_CONFIG_COUNT']);
      expect(call.env!.PATH).toBe(process.env.PATH);
    }
  });
});
