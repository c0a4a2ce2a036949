// Where git runs the pre-commit hook of a work tree: .git/hooks, a core.hooksPath folder (shared
// by every repository when the global or system config sets it), or husky's folder, set up here or
// not yet (a clone before its install, a worktree added after husky ran).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { entryAt, readRegularFileIfAny } from '../core/user-file.js';
import { whatGitSaid } from '../disk/git-answer.js';

/** Whether `to` is `from` or lies under it. */
export function inside(from: string, to: string): boolean {
  const path = relative(from, to);
  // By whole names: a folder named "..x" is inside.
  return path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/**
 * The environment without config given on git's command line (git -c, GIT_CONFIG_PARAMETERS,
 * GIT_CONFIG_COUNT and its pairs): the hook is for a plain git commit, which does not see it.
 */
function withoutCommandConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^GIT_CONFIG_(PARAMETERS|COUNT|KEY_\d+|VALUE_\d+)$/.test(name)));
}

/** git's answer with its last newline cut, and only that: a path may end in a space. */
function git(args: string[], cwd: string): string {
  const out = execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: withoutCommandConfig(process.env) }).toString('utf8');
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

/** The work tree's package.json as text, or undefined (none, or not a file this tool can read: never a stack or a hang). */
export function packageJsonText(root: string): string | undefined {
  return readRegularFileIfAny(resolve(root, 'package.json'), 4 * 1024 * 1024)?.toString('utf8');
}

/** The folder a script of the work tree's package.json sets husky up with (husky [DIR], husky install [DIR]), and whether an install runs it. */
export function huskyInPackage(root: string): { dir: string; onInstall: boolean } | undefined {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(packageJsonText(root) ?? '{}') as { scripts?: unknown }).scripts;
  } catch {
    // not JSON: no scripts
  }
  if (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)) return undefined;
  for (const [name, command] of Object.entries(scripts)) {
    const run = typeof command === 'string' ? /(?:^|[\s;&|(])husky(?:\s+install)?(?:\s+(?!-)([^\s;&|()'"]+))?(?=$|[\s;&|)])/.exec(command) : null;
    if (run) return { dir: run[1] ?? '.husky', onInstall: name === 'prepare' || name === 'postinstall' };
  }
  return undefined;
}

/** core.hooksPath (a leading ~/ expanded) and the scope of the config that set it; undefined when unset. */
function readHooksPath(root: string): { value: string; scope?: string } | undefined {
  const read = (scoped: boolean) => git(['config', ...(scoped ? ['--show-scope'] : []), '--type=path', '--get', 'core.hooksPath'], root);
  try {
    const line = read(true);
    const tab = line.indexOf('\t');
    return { scope: line.slice(0, tab), value: line.slice(tab + 1) };
  } catch (error) {
    const { status } = error as { status?: number };
    if (status === 1) return undefined;
    // git before 2.26 knows no --show-scope: the value alone, its scope unknown.
    if (status === 129) return { value: read(false) };
    throw new UsageError('hook_place_unknown', `git cannot read core.hooksPath here (${whatGitSaid(error)}), so where it runs the pre-commit hook is unknown and nothing was written. Fix that setting (git config --show-origin --get-all core.hooksPath names where it is set), then run --install-hook again.`);
  }
}

/** Folders named .husky holding a file git tracks, the shallowest first (husky in a package of a monorepo: husky app/.husky). */
function trackedHuskyFolders(root: string): string[] {
  // Whether one holds a hook of the team's is isHuskyFolder's to say, on the files checked out.
  const folders = git(['ls-files', '-z', '--', ':(glob)**/.husky/*'], root).split('\0').filter(Boolean).map((path) => resolve(root, dirname(path)));
  return [...new Set(folders)].sort((a, b) => a.split(sep).length - b.split(sep).length);
}

/**
 * `unset`: husky has not set this work tree up yet, so git does not run the hooks in its folder
 * `dir` (relative to the work tree, "." for its top): a clone before its install, where git looks
 * in `looksIn` for now (.git/hooks, or a global hooks folder), or a linked worktree added after
 * husky ran (no `looksIn`: git looks in DIR/_, which lacks husky's h). `onInstall`: the package's
 * install sets husky up. `shared`: the global or system git config points every repository at
 * this one hooks folder.
 */
export type HookPlace = { kind: 'husky' | 'hooks-path' | 'git-hooks'; path: string; unset?: { dir: string; onInstall: boolean; looksIn?: string }; shared?: string };

// The hooks husky v9 makes stubs for: a user's hook file among them marks a husky folder.
const HUSKY_HOOKS = ['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-rebase', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push', 'pre-auto-gc'];

/** Whether `generated` (a folder named _) holds a pre-commit of its own: one git runs, not husky's stub that sources h. */
function ownHookIn(generated: string): boolean {
  const text = readRegularFileIfAny(resolve(generated, 'pre-commit'), 1024 * 1024)?.toString('utf8');
  return text !== undefined && !/^\.\s+".*\/h"\s*$/m.test(text);
}

/** Where git will look for the pre-commit hook of this work tree. */
export function hookPlace(root: string): HookPlace {
  const set = readHooksPath(root);
  if (set?.value === '') {
    const flag = set.scope === 'global' || set.scope === 'system' || set.scope === 'worktree' ? `--${set.scope} ` : '';
    throw new UsageError('hooks_path_empty', `core.hooksPath is set but empty${set.scope ? ` in your ${set.scope} git config` : ''}, which has git look for hooks in the top folder of the file system (/pre-commit), so nothing was written. Unset it (git config ${flag}--unset core.hooksPath) or point it at a folder, then run --install-hook again.`);
  }
  // Where git itself looks: core.hooksPath as git applies it (relative to the top, ~ expanded, spaces kept), else .git/hooks.
  const path = resolve(root, git(['rev-parse', '--git-path', 'hooks/pre-commit'], root));
  // A global or system core.hooksPath names one folder for every repository only when absolute; a relative one is each work tree's own.
  const shared = set && (set.scope === 'global' || set.scope === 'system') && isAbsolute(set.value) ? { shared: set.scope } : {};
  const husky = huskyInPackage(root);
  const packageDir = husky && resolve(root, husky.dir);
  // husky's folder in this work tree, not set up: the team's hooks are DIR/HOOK, which husky's generated DIR/_/h runs once it is.
  const notSetUp = (dir: string, looksIn?: string): HookPlace => ({
    kind: 'husky',
    path: resolve(dir, 'pre-commit'),
    unset: { dir: relative(root, dir) || '.', onInstall: packageDir === dir && husky!.onInstall, ...(looksIn ? { looksIn } : {}) },
  });
  // Known by package.json, a hook file of the team's in it, or (where core.hooksPath names it) husky's default name.
  const isHuskyFolder = (dir: string, byName: boolean) =>
    inside(root, dir) && entryAt(dir)?.isDirectory() !== false && (dir === packageDir || (byName && dir !== root && basename(dir) === '.husky') || HUSKY_HOOKS.some((hook) => entryAt(resolve(dir, hook))?.isFile()));
  if (!set || shared.shared) {
    // A clone of a husky project before its install: husky's install sets a core.hooksPath of this
    // repository, and git then passes over .git/hooks, or the global folder.
    const looksIn = inside(root, dirname(path)) ? relative(root, dirname(path)) : dirname(path);
    for (const dir of [packageDir, resolve(root, '.husky')]) if (dir && isHuskyFolder(dir, false)) return notSetUp(dir, looksIn);
    const nested = trackedHuskyFolders(root).find((dir) => isHuskyFolder(dir, false));
    if (nested) return notSetUp(nested, looksIn);
  }
  if (!set) return { kind: 'git-hooks', path };
  const folder = dirname(path);
  // husky v9 points git at DIR/_, which it generates (its h runs DIR/HOOK) and has git ignore.
  if (basename(folder) === '_') {
    if (existsSync(resolve(folder, 'h'))) return { kind: 'husky', path: resolve(dirname(folder), 'pre-commit'), ...shared };
    // No h: a linked worktree shares core.hooksPath but not the ignored folder. husky's, unless _
    // holds a hook of the team's own, when husky's folder is known by name, package.json or a hook.
    if (!ownHookIn(folder) && isHuskyFolder(dirname(folder), true)) return notSetUp(dirname(folder));
  }
  return { kind: 'hooks-path', path, ...shared };
}

/** A word for a POSIX shell, quoted when it must be: advice copied as shown must not split at a space. */
function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Why git does not run the hook in husky's folder `dir` of a work tree husky has not set up, and what sets it up. */
export function huskyNotSetUp(root: string, { dir, onInstall, looksIn }: NonNullable<HookPlace['unset']>): string {
  const generated = join(dir, '_');
  const state = looksIn
    ? `git does not run ${join(dir, 'pre-commit')} yet: husky has not set up this work tree (git looks for hooks in ${looksIn} for now)`
    : existsSync(resolve(root, generated, 'pre-commit'))
      ? `git runs ${join(generated, 'pre-commit')}, which needs husky's ${join(generated, 'h')}, missing here, so every commit fails before it`
      : `git runs no hook in this work tree (core.hooksPath ${generated} ${existsSync(resolve(root, generated)) ? 'has no husky h' : 'does not exist here'}, as in a worktree added after husky ran)`;
  // Never a bare "npx husky": for a DIR other than .husky it points core.hooksPath, which every worktree shares, at .husky/_.
  const npx = `"npx husky ${shellWord(dir)}" in ${root}`;
  return `${state}. Set husky up here: run ${onInstall ? `"npm install" in ${root} (its prepare script runs husky), or ${npx}` : npx}`;
}
