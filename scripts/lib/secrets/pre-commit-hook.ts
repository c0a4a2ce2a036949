// The pre-commit hook, where the team keeps hooks: husky v9 (.husky/pre-commit), a tracked
// core.hooksPath folder, or .git/hooks. Its commands are relative to the work tree (git runs hooks
// there), so a tracked hook works on every clone; it fails closed when it cannot run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { entryAt, MissingUserFileError, readRegularFile } from '../core/user-file.js';
import { repositoryRoot } from './repository-scan.js';

export const HOOK_MARK = '# dribbble-oauth check-secrets';

const CANNOT_RUN = `  echo "check-secrets cannot run (node, node_modules or the built dist/cli.js is missing), so this commit is refused. Fix: run \\"npm install\\" (it builds dist/), then commit again. To commit without the check: git commit --no-verify" >&2
  exit 1
fi`;

/**
 * The lines every hook runs: this project's build, or the tool installed as a dependency, by its
 * package folder, else (installed under another name, an npm alias) by node_modules/.bin, run as
 * it is: a link to the script under npm, a shell script that runs it under pnpm.
 */
export const HOOK_BLOCK = `${HOOK_MARK}: refuses a commit that carries a secret (bypass once: git commit --no-verify).
if [ -f dist/cli.js ] && [ -f package.json ] && grep -q '"name": "dribbble-oauth"' package.json; then dribbble_oauth="dist/cli.js"
elif [ -f node_modules/dribbble-oauth/dist/cli.js ]; then dribbble_oauth="node_modules/dribbble-oauth/dist/cli.js"
elif [ -f node_modules/.bin/dribbble-oauth ]; then dribbble_oauth="node_modules/.bin/dribbble-oauth"
else dribbble_oauth=""; fi
if [ -z "$dribbble_oauth" ] || [ ! -d node_modules ] || ! command -v node >/dev/null 2>&1; then
${CANNOT_RUN}
if [ "$dribbble_oauth" = node_modules/.bin/dribbble-oauth ]; then "$dribbble_oauth" check-secrets || exit 1
else node -- "$dribbble_oauth" check-secrets || exit 1; fi
`;

/**
 * The blocks earlier versions wrote, each replaced whole by --install-hook. Only these, byte for
 * byte: a block edited by hand is the team's now, and a pattern could take the lines around it.
 */
const EARLIER_BLOCKS = [
  // Until 0.1.0 of 2026-11-30: node_modules/.bin run with node, a shell script under pnpm.
  `${HOOK_MARK}: refuses a commit that carries a secret (bypass once: git commit --no-verify).
if [ -f dist/cli.js ] && [ -f package.json ] && grep -q '"name": "dribbble-oauth"' package.json; then dribbble_oauth="dist/cli.js"
elif [ -f node_modules/.bin/dribbble-oauth ]; then dribbble_oauth="node_modules/.bin/dribbble-oauth"
else dribbble_oauth=""; fi
if [ -z "$dribbble_oauth" ] || [ ! -d node_modules ] || ! command -v node >/dev/null 2>&1; then
${CANNOT_RUN}
node -- "$dribbble_oauth" check-secrets || exit 1
`,
];

/**
 * Whether HOOK_BLOCK finds the tool in this work tree, by its own test: the tool's own repository
 * (package.json named dribbble-oauth, its dist/cli.js built) or the tool as a dependency.
 */
export function hookFindsTool(root: string): boolean {
  // `[ -f ]` and `[ -d ]` follow symlinks, as entryAt does.
  const is = (kind: 'isFile' | 'isDirectory', ...path: string[]) => entryAt(resolve(root, ...path))?.[kind]() === true;
  const own = is('isFile', 'dist', 'cli.js') && is('isFile', 'package.json') && readFileSync(resolve(root, 'package.json'), 'utf8').includes('"name": "dribbble-oauth"');
  return is('isDirectory', 'node_modules') && (own || is('isFile', 'node_modules', 'dribbble-oauth', 'dist', 'cli.js') || is('isFile', 'node_modules', '.bin', 'dribbble-oauth'));
}

/** Whether `to` is `from` or lies under it. */
function inside(from: string, to: string): boolean {
  const path = relative(from, to);
  return !path.startsWith('..') && !isAbsolute(path);
}

/** The folder itself, or the nearest one above it that exists (mkdir makes the rest inside it). */
function nearestExisting(folder: string): string {
  return existsSync(folder) ? folder : nearestExisting(dirname(folder)); // "/" exists: the walk ends
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
}

/** `unset`: husky's folder (as the work tree names it) with no `h` in its `_`: husky has not set up this work tree (a linked worktree made after husky ran). */
export type HookPlace = { kind: 'husky' | 'hooks-path' | 'git-hooks'; path: string; unset?: string };

// The hooks husky v9 makes stubs for: a user's hook file among them, beside `_`, marks a husky folder.
const HUSKY_HOOKS = ['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-rebase', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push', 'pre-auto-gc'];

/** Where git will look for the pre-commit hook of this work tree. */
export function hookPlace(root: string): HookPlace {
  let hooksPath = '';
  try {
    // --type=path: git's own reading of the value (a leading ~/ is the home folder).
    hooksPath = git(['config', '--type=path', '--get', 'core.hooksPath'], root);
  } catch {
    // unset: .git/hooks
  }
  if (!hooksPath) return { kind: 'git-hooks', path: resolve(root, git(['rev-parse', '--git-path', 'hooks/pre-commit'], root)) };
  const folder = resolve(root, hooksPath);
  // husky v9 points git at DIR/_, which it generates (its `h` runs DIR/HOOK) and has git ignore; the user's hook is DIR/pre-commit.
  if (basename(folder) === '_') {
    const husky = dirname(folder);
    const path = resolve(husky, 'pre-commit');
    if (existsSync(resolve(folder, 'h'))) return { kind: 'husky', path };
    // No h: a linked worktree shares core.hooksPath but not the ignored folder. Still husky's when
    // DIR is a folder of this work tree below its top, named .husky or holding a hook of its own.
    if (husky !== root && inside(root, husky) && entryAt(husky)?.isDirectory() && (basename(husky) === '.husky' || HUSKY_HOOKS.some((hook) => entryAt(resolve(husky, hook))?.isFile()))) {
      return { kind: 'husky', path, unset: relative(root, husky) };
    }
  }
  return { kind: 'hooks-path', path: resolve(folder, 'pre-commit') };
}

/** Where the pre-commit hook goes, and whether ours is there already; undefined outside a work tree. */
export function hookStatus(cwd: string): { path: string; installed: boolean } | undefined {
  try {
    const { path, unset } = hookPlace(repositoryRoot(cwd));
    // Through the user-file gate: a FIFO planted as the hook must not block init for ever. Ours in
    // a work tree husky has not set up is not installed: it never runs (install says why).
    return { path, installed: unset === undefined && readHook(path, path)?.includes(HOOK_MARK) === true };
  } catch {
    return undefined;
  }
}

/**
 * The hook with each block an earlier version wrote replaced by today's. LF blocks only: sh reads a
 * CR as part of each command, so a hook with CRLF line ends is broken as it is, ours included, and
 * is left for its owner (reported as edited).
 */
export function updateHookBlock(hook: string): string {
  return EARLIER_BLOCKS.reduce((text, earlier) => text.replaceAll(earlier, HOOK_BLOCK), hook);
}

/** What --install-hook did: wrote our block, found it there, or found one of ours it cannot update (edited by hand). */
export type HookInstall = {
  path: string;
  done: 'installed' | 'updated' | 'current' | 'edited';
  /** Why our block, though there, never runs. */
  neverRuns?: string;
  /** The work tree where the hook finds no dribbble-oauth (it then refuses every commit). */
  toolMissing?: string;
};

// A command that ends the hook before what follows it runs: exit or return, or exec of a command
// (not exec 1>&2, which only redirects), unindented at the start of a line. Indented, it sits in an
// if or a function; after || or && it is conditional; those are not counted, nor any other form.
const ENDS_HOOK = /^(?:exit|return)\b|^exec[ \t]+(?![0-9]*[<>])/m;

/** The hook's text, or undefined when there is none; through the user-file gate (a folder or FIFO is exit 2, never a hang). */
function readHook(hookPath: string, shown: string): string | undefined {
  try {
    return readRegularFile(hookPath, { what: `the pre-commit hook ${shown}`, maxBytes: 1024 * 1024, code: 'hook_unreadable', remedy: 'Make it a regular file you can read, then run --install-hook again.' }).toString('utf8');
  } catch (error) {
    if (error instanceof MissingUserFileError) return undefined;
    throw error;
  }
}

/** Why nothing runs the hook in husky's folder `dir` of a work tree husky has not set up, and what sets it up. */
function huskyNotSetUp(root: string, dir: string): string {
  const generated = join(dir, '_');
  const state = existsSync(resolve(root, generated, 'pre-commit'))
    ? `git runs ${join(generated, 'pre-commit')}, which needs husky's ${join(generated, 'h')}, missing here, so every commit fails before it`
    : `git runs no hook in this work tree (core.hooksPath ${generated} ${existsSync(resolve(root, generated)) ? 'has no husky h' : 'does not exist here'}, as in a worktree added after husky ran)`;
  // Not a bare "npx husky": for a DIR other than .husky it would point core.hooksPath, shared by every worktree, at .husky/_.
  return `${state}. Set husky up here: run "npm install" in ${root} (husky's prepare script does it), or "npx husky ${dir}" there`;
}

export async function installHook(cwd: string): Promise<HookInstall> {
  const root = repositoryRoot(cwd);
  const place = hookPlace(root);
  const path = inside(root, place.path) ? relative(root, place.path) : place.path;
  // The hook fails closed: where it cannot find the tool, it refuses every commit; every command that installs it says so.
  const unset = place.unset !== undefined ? huskyNotSetUp(root, place.unset) : undefined;
  const outcome = (done: HookInstall['done'], why?: string): HookInstall => {
    const neverRuns = why ?? unset;
    return { path, done, ...(neverRuns ? { neverRuns } : {}), ...(hookFindsTool(root) ? {} : { toolMissing: root }) };
  };
  // A hook this run creates is made executable (git runs no other); an existing one keeps its mode.
  const write = async (text: string, created = false) => {
    try {
      await mkdir(dirname(place.path), { recursive: true });
      await writeFile(place.path, text);
      if (created) await chmod(place.path, 0o755);
    } catch (error) {
      throw new UsageError('hook_unwritable', `Cannot write the pre-commit hook ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Make it (and its folder) a file you can write, or add these lines to it by hand:\n${HOOK_BLOCK}`);
    }
  };
  // The work tree may be someone else's: a hook that is a symlink, or a hooks folder in the work
  // tree that leads out of it through a symlink, would have us write wherever it points (a shell's
  // startup file, say). A core.hooksPath of yours outside the work tree is your choice.
  const link = entryAt(place.path, false)?.isSymbolicLink();
  const folder = realpathSync(nearestExisting(dirname(place.path)));
  if (link || (inside(root, dirname(place.path)) && !inside(realpathSync(root), folder))) {
    throw new UsageError('hook_outside', `The pre-commit hook ${path} ${link ? 'is a symlink' : `is in a folder that leads out of the work tree (${folder})`}, so nothing was written through it. Add these lines to the file it points at yourself, if that is what you meant:\n${HOOK_BLOCK}`);
  }
  const existing = readHook(place.path, path);
  if (existing?.includes(HOOK_MARK)) {
    const updated = updateHookBlock(existing);
    if (updated !== existing) await write(updated);
    const done = !updated.includes(HOOK_BLOCK) ? 'edited' : updated !== existing ? 'updated' : 'current';
    // Ours, but never run: after a command that ends the hook, or in a hook git cannot execute
    // (husky runs its file with sh; Windows has no execute bit to read).
    const why = ENDS_HOOK.test(updated.slice(0, updated.indexOf(HOOK_MARK)))
      ? 'a line above it ends the hook (exit, return or exec), so it never runs: move the block above that line'
      : place.kind !== 'husky' && process.platform !== 'win32' && (entryAt(place.path)!.mode & 0o111) === 0
        ? `git skips a hook it cannot execute: run chmod +x ${path}`
        : undefined;
    return outcome(done, why);
  }
  if (existing !== undefined) {
    // husky's own file is a list of commands run with sh -e: ours goes after them, unless one of
    // them ends the hook first (then the team places it).
    if (place.kind === 'husky' && !ENDS_HOOK.test(existing)) {
      await write(`${existing.replace(/\n?$/, '\n')}${HOOK_BLOCK}`);
      return outcome('installed');
    }
    throw new UsageError('hook_exists', `${path} exists and is not ours${place.kind === 'husky' ? ' (a line in it ends the hook, exit, return or exec, so lines added at its end would never run)' : ''}, so it was left alone. Add these lines near its top (before any "exit"):\n${HOOK_BLOCK}`);
  }
  await write(place.kind === 'husky' ? HOOK_BLOCK : `#!/bin/sh\n${HOOK_BLOCK}`, true);
  return outcome('installed');
}

/** What a command says of an install: a line when the check runs on commit, and the warnings. */
export function describeHookInstall({ path, done, neverRuns, toolMissing }: HookInstall): { line?: string; warning?: string } {
  const warnings = [
    done === 'edited' && `warning: ${path} holds a dribbble-oauth check-secrets block that is not as any version wrote it (edited by hand, or its line ends made CRLF, which sh cannot run), so it was left as it is. If the check does not run on commit, replace that block with these lines:\n${HOOK_BLOCK}`,
    neverRuns && `warning: the check-secrets block in ${path} is there, but ${neverRuns}.`,
    toolMissing && `warning: the hook finds no dribbble-oauth in ${toolMissing} (not this tool's own built repository, nor node_modules/dribbble-oauth or node_modules/.bin/dribbble-oauth), so it refuses every commit until there is one. Make the tool a dev dependency of this repository (npm install --save-dev with the path or git URL your team installs it from), then run npm install.`,
  ].filter((w): w is string => Boolean(w));
  const said = { installed: 'Installed in', updated: 'Brought up to date in', current: 'Already in', edited: undefined }[done];
  // A file written is said, even when its block never runs (the warning says why).
  const line = !said ? undefined : !neverRuns ? `${said} ${path}: every commit is checked for secrets first.` : done !== 'current' ? `${said} ${path}.` : undefined;
  return { ...(line ? { line } : {}), ...(warnings.length ? { warning: warnings.join('\n') } : {}) };
}
