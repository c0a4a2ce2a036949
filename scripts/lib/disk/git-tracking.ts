// "Does git track this file?" answered fail-closed: a secret goes only where git can confirm it is
// not tracked (or where no git work tree is around it at all).
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { entryAt } from '../core/user-file.js';
import { whatGitSaid } from './git-answer.js';

export type Tracking = { state: 'tracked' } | { state: 'untracked' } | { state: 'unknown'; why: string; workTree: string };

const cache = new Map<string, Tracking>();

/** The file a write really lands on: a symlink's target (the link stays a link); the path itself if it is not there. */
export function resolveWriteTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The nearest folder at or above `dir` that holds a .git (folder or file), if any, looking no
 * further up than git does: not into a folder of GIT_CEILING_DIRECTORIES.
 */
export function findWorkTree(dir: string, ceilings = process.env.GIT_CEILING_DIRECTORIES ?? ''): string | undefined {
  // Physical paths, as git walks them: a folder reached through a symlink is in the work tree of
  // where it really is.
  const stops = new Set(ceilings.split(':').filter((c) => isAbsolute(c)).map(resolveWriteTarget));
  for (let d = resolveWriteTarget(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d || stops.has(dirname(d))) return undefined;
  }
}

/** The nearest folder at or above `dir` (past a file standing where a folder should be): git needs a real working directory. */
function existingFolder(dir: string): string {
  let d = dir;
  while (!entryAt(d)?.isDirectory() && dirname(d) !== d) d = dirname(d);
  return d;
}

export function gitTracking(path: string): Tracking {
  let result = cache.get(path);
  if (result) return result;
  const dir = existingFolder(dirname(path));
  try {
    const relative = existsSync(dirname(path)) ? basename(path) : path;
    const out = execFileSync('git', ['ls-files', '-z', '--', relative], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    result = out.length > 0 ? { state: 'tracked' } : { state: 'untracked' };
  } catch (error) {
    const workTree = findWorkTree(dir);
    const said = whatGitSaid(error);
    result = workTree ? { state: 'unknown', why: said, workTree } : { state: 'untracked' };
  }
  cache.set(path, result);
  return result;
}

/** Refuses (exit 2) a path that git tracks, or whose tracking git cannot confirm; a symlink's target too. */
export function assertNotTracked(path: string, what: string, flag: string): void {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // not there yet: the path itself is what will be written
  }
  for (const p of new Set([path, target])) {
    const tracking = gitTracking(p);
    if (tracking.state === 'tracked') {
      throw new UsageError(
        'tracked_secret_file',
        `Refusing to write ${what} to ${p}: git tracks that file, and secrets never go into tracked files. Pick an untracked path with ${flag} (for example one ending in .local.postman_environment.json, which .gitignore ignores), or "git rm --cached" it and ignore it first.`,
      );
    }
    if (tracking.state === 'unknown') {
      throw new UsageError(
        'git_tracking_unknown',
        `Refusing to write ${what} to ${p}: it is inside the git work tree ${tracking.workTree}, but git could not say whether it tracks that file (${tracking.why}), and secrets only go where git confirms they are not tracked. Fix git here (install it; for "dubious ownership": git config --global --add safe.directory ${tracking.workTree}), or pick a path outside the work tree with ${flag}.`,
      );
    }
  }
}

/**
 * Refuses (exit 2) a path inside a git work tree that git does not ignore: untracked is not enough
 * for a file full of secrets, since "git add -A" stages it. Outside any work tree is fine.
 */
export function assertIgnoredOrOutside(path: string, what: string, flag: string): void {
  const dir = existingFolder(dirname(path));
  const workTree = findWorkTree(dir);
  if (!workTree) return;
  const shown = showUntrusted(path);
  const advice = `Write it outside the work tree (for example ${flag} ~/dribbble/${showUntrusted(basename(path))}), or to a name .gitignore already covers (one ending in .local.postman_environment.json), or add it to .gitignore first (echo '${showUntrusted(basename(path))}' >> .gitignore).`;
  let ignored: boolean;
  try {
    const relative = existsSync(dirname(path)) ? basename(path) : path;
    execFileSync('git', ['check-ignore', '-q', '--no-index', '--', relative], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    ignored = true;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number; stderr?: Buffer };
    if (e.status !== 1) {
      const said = whatGitSaid(e);
      throw new UsageError('git_tracking_unknown', `Refusing to write ${what} to ${shown} (from ${flag}): it is inside the git work tree ${showUntrusted(workTree)}, and git could not say whether it ignores that file (${said}). ${advice}`);
    }
    ignored = false;
  }
  if (!ignored) {
    throw new UsageError('unignored_secret_file', `Refusing to write ${what} to ${shown} (from ${flag}): it is inside the git work tree ${showUntrusted(workTree)} and git does not ignore it, so "git add -A" would stage its secrets. ${advice}`);
  }
}
