// The pre-commit hook, written where git runs it (hook-place.ts): husky v9 (.husky/pre-commit), a
// core.hooksPath folder, or .git/hooks. Its commands are relative to the work tree (git runs hooks
// there), so a tracked hook works on every clone; it fails closed when it cannot run.
import { realpathSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { entryAt, MissingUserFileError, nearestExisting, pathErrorMeaning, readRegularFile } from '../core/user-file.js';
import { hookPlace, huskyNotSetUp, inside, packageJsonText, type HookPlace } from './hook-place.js';
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
  const own = is('isFile', 'dist', 'cli.js') && packageJsonText(root)?.includes('"name": "dribbble-oauth"') === true;
  return is('isDirectory', 'node_modules') && (own || is('isFile', 'node_modules', 'dribbble-oauth', 'dist', 'cli.js') || is('isFile', 'node_modules', '.bin', 'dribbble-oauth'));
}

/** Where the pre-commit hook goes, whether ours is there already, and why it never runs if it does not; undefined outside a work tree. */
export function hookStatus(cwd: string): { path: string; installed: boolean; neverRuns?: string } | undefined {
  try {
    const root = repositoryRoot(cwd);
    const place = hookPlace(root);
    // Through the user-file gate: a FIFO planted as the hook must not block init for ever.
    const text = readHook(place.path, place.path);
    if (!text?.includes(HOOK_MARK)) return { path: place.path, installed: false };
    const neverRuns = blockNeverRuns(root, place, updateHookBlock(text), place.path);
    return { path: place.path, installed: true, ...(neverRuns ? { neverRuns } : {}) };
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

/** Why our block in `text`, the hook at `place`, never runs; undefined when git runs it. */
function blockNeverRuns(root: string, place: HookPlace, text: string, shown: string): string | undefined {
  // After a command that ends the hook, or in a hook git cannot execute (husky runs its file with
  // sh; Windows has no execute bit to read), or where git runs no hook yet.
  if (ENDS_HOOK.test(text.slice(0, text.indexOf(HOOK_MARK)))) return 'a line above it ends the hook (exit, return or exec), so it never runs: move the block above that line';
  if (place.kind !== 'husky' && process.platform !== 'win32' && (entryAt(place.path)!.mode & 0o111) === 0) return `git skips a hook it cannot execute: run chmod +x ${shown}`;
  return place.unset && huskyNotSetUp(root, place.unset);
}

export async function installHook(cwd: string): Promise<HookInstall> {
  const root = repositoryRoot(cwd);
  const place = hookPlace(root);
  const path = inside(root, place.path) ? relative(root, place.path) : place.path;
  // The hook fails closed: where it cannot find the tool, it refuses every commit; every command that installs it says so.
  const outcome = (done: HookInstall['done'], text: string): HookInstall => {
    const neverRuns = blockNeverRuns(root, place, text, path);
    return { path, done, ...(neverRuns ? { neverRuns } : {}), ...(hookFindsTool(root) ? {} : { toolMissing: root }) };
  };
  // A hook this run creates is made executable (git runs no other); an existing one keeps its mode.
  const write = async (text: string, created = false) => {
    // A hook in a global or system hooks folder runs in every repository on this machine, and
    // ours would refuse commits in each one without the tool: never written by us.
    if (place.shared) {
      throw new UsageError('hook_shared', `core.hooksPath is set in your ${place.shared} git config, so git runs ${path} in every repository on this machine, and this check would refuse commits in each one without dribbble-oauth. Nothing was written. To check this repository alone, give it hooks of its own (run "git config core.hooksPath .githooks" in ${root}, which also stops your ${place.shared} hooks from running here, then --install-hook again), or add these lines to ${path} yourself (and chmod +x it):\n${HOOK_BLOCK}`);
    }
    try {
      await mkdir(dirname(place.path), { recursive: true });
      await writeFile(place.path, text);
      if (created) await chmod(place.path, 0o755);
    } catch (error) {
      throw new UsageError('hook_unwritable', `Cannot write the pre-commit hook ${path}: ${pathErrorMeaning(error)}. Make it (and its folder) a file you can write, or add these lines to it by hand:\n${HOOK_BLOCK}`);
    }
  };
  // Where git looks for hooks must be a folder (or not exist yet): a file there, /dev/null or a
  // symlink to nothing means git runs no hook from it at all.
  const folder = dirname(place.path);
  const above = nearestExisting(folder);
  if (!entryAt(above)!.isDirectory() || (above !== folder && entryAt(folder, false))) {
    const shown = (p: string) => (inside(root, p) ? relative(root, p) : p);
    const why = above === folder ? 'is a file or a device, not a folder' : entryAt(folder, false) ? 'is a symlink to nothing' : `cannot be a folder: ${shown(above)} is a file`;
    throw new UsageError('hook_unwritable', `Git looks for the pre-commit hook in ${shown(folder)}, which ${why}, so git runs no hook from it and nothing was written. Make it a folder, or point core.hooksPath at one (or unset it: git config --unset core.hooksPath), then run --install-hook again.`);
  }
  // The work tree may be someone else's: a hook that is a symlink, or a hooks folder in the work
  // tree that leads out of it through a symlink, would have us write wherever it points (a shell's
  // startup file, say). A core.hooksPath of yours outside the work tree is your choice.
  const link = entryAt(place.path, false)?.isSymbolicLink();
  const real = realpathSync(above);
  if (link || (inside(root, folder) && !inside(realpathSync(root), real))) {
    throw new UsageError('hook_outside', `The pre-commit hook ${path} ${link ? 'is a symlink' : `is in a folder that leads out of the work tree (${real})`}, so nothing was written through it. Add these lines to the file it points at yourself, if that is what you meant:\n${HOOK_BLOCK}`);
  }
  const existing = readHook(place.path, path);
  if (existing?.includes(HOOK_MARK)) {
    const updated = updateHookBlock(existing);
    if (updated !== existing) await write(updated);
    return outcome(!updated.includes(HOOK_BLOCK) ? 'edited' : updated !== existing ? 'updated' : 'current', updated);
  }
  if (existing !== undefined) {
    // husky's own file is a list of commands run with sh -e: ours goes after them, unless one of
    // them ends the hook first (then the team places it).
    if (place.kind === 'husky' && !ENDS_HOOK.test(existing)) {
      const text = `${existing.replace(/\n?$/, '\n')}${HOOK_BLOCK}`;
      await write(text);
      return outcome('installed', text);
    }
    throw new UsageError('hook_exists', `${path} exists and is not ours${place.kind === 'husky' ? ' (a line in it ends the hook, exit, return or exec, so lines added at its end would never run)' : ''}, so it was left alone. Add these lines near its top (before any "exit"):\n${HOOK_BLOCK}`);
  }
  const text = place.kind === 'husky' ? HOOK_BLOCK : `#!/bin/sh\n${HOOK_BLOCK}`;
  await write(text, true);
  return outcome('installed', text);
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
