// An in-memory git behind execFileSync, for unit tests of the modules that ask git (the repository
// scan, the pre-commit hook) without a child process. It answers exactly the commands those modules
// run, in git's own output formats, and refuses any other argument list; it keeps execFileSync's
// rules that matter here: a non-zero exit throws, output past maxBuffer throws ENOBUFS, stdout is
// only returned when piped, and stderr reaches the terminal unless it is piped.
import { createHash } from 'node:crypto';
import type { ExecFileSyncOptions } from 'node:child_process';

export interface FakeFile {
  path: string;
  content: string | Buffer;
  /** The size git's batch-check reports, when a test needs a blob too large to hold. */
  size?: number;
}

export interface FakeRepo {
  /** What `git rev-parse --show-toplevel` prints; a cwd outside it is "not a git repository". */
  root: string;
  /** The index: what the commit would hold. A string content is UTF-8. */
  index: FakeFile[];
  /** Submodules in the index (gitlinks): a commit, no blob. */
  submodules?: string[];
  /** HEAD's tree; undefined before the first commit. */
  head?: FakeFile[];
  hooksPath?: string;
  /** git's first line of stderr for every command (a repository it refuses: "dubious ownership", a broken config line). */
  refusal?: string;
  /** The config scope that set hooksPath (git config --show-scope): local unless said; "unsupported" is a git before 2.26, "broken" a value git cannot expand. */
  hooksPathScope?: 'local' | 'worktree' | 'global' | 'system' | 'unsupported' | 'broken';
}

export interface GitCall {
  args: string[];
  cwd: string | undefined;
  input: string | undefined;
  /** git's stderr was left to reach the terminal (not piped). */
  stderrShown: boolean;
  /** The environment given (undefined: the process's own). */
  env: NodeJS.ProcessEnv | undefined;
}

const bytes = (c: string | Buffer) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
const blobId = (c: Buffer) => createHash('sha1').update(`blob ${c.length}\0`).update(c).digest('hex');
const commitId = (path: string) => createHash('sha1').update(`commit ${path}`).digest('hex');
const STDIO = new Set(['pipe', 'ignore', 'inherit', 'overlapped']);

class ExitError extends Error {
  /** A Buffer, as execFileSync gives it (no encoding asked). */
  readonly stderr: Buffer;
  constructor(
    readonly status: number,
    stderr: string,
  ) {
    super(`Command failed: git\n${stderr}`);
    this.stderr = Buffer.from(stderr, 'utf8');
  }
}

export class FakeGit {
  repo: FakeRepo | undefined;
  /** No git on the PATH: spawning fails with ENOENT. */
  missing = false;
  /** Spawning fails with this code (EACCES, ETIMEDOUT...), git saying nothing. */
  spawnFailure: string | undefined;
  readonly calls: GitCall[] = [];

  /** A new repository (or none), no call recorded. */
  reset(repo?: FakeRepo): void {
    this.repo = repo;
    this.missing = false;
    this.spawnFailure = undefined;
    this.calls.length = 0;
  }

  /** Every object the repository holds, by id. */
  private objects(): Map<string, { type: string; content: Buffer; size: number }> {
    const out = new Map<string, { type: string; content: Buffer; size: number }>();
    for (const f of [...(this.repo?.index ?? []), ...(this.repo?.head ?? [])]) out.set(blobId(bytes(f.content)), { type: 'blob', content: bytes(f.content), size: f.size ?? bytes(f.content).length });
    return out;
  }

  private answer(args: string[], cwd: string, input: string | undefined): string | Buffer {
    const repo = this.repo;
    if (!repo || !(cwd === repo.root || cwd.startsWith(`${repo.root}/`))) throw new ExitError(128, 'fatal: not a git repository (or any of the parent directories): .git');
    if (repo.refusal) throw new ExitError(128, repo.refusal);
    const cmd = args.join(' ');
    const lines = () => (input ?? '').split('\n').filter(Boolean);
    switch (cmd) {
      case 'rev-parse --show-toplevel':
        return `${repo.root}\n`;
      case 'cat-file --batch-check=%(objectname) %(objecttype) %(objectsize)': {
        const objects = this.objects();
        const commits = new Set((repo.submodules ?? []).map(commitId));
        return lines()
          .map((id) => (commits.has(id) ? `${id} commit 250\n` : objects.has(id) ? `${id} blob ${objects.get(id)!.size}\n` : `${id} missing\n`))
          .join('');
      }
      case 'cat-file --batch': {
        const objects = this.objects();
        return Buffer.concat(lines().flatMap((id) => [Buffer.from(`${id} blob ${objects.get(id)!.content.length}\n`), objects.get(id)!.content, Buffer.from('\n')]));
      }
      case 'ls-files -s -z':
        return [...repo.index.map((f) => `100644 ${blobId(bytes(f.content))} 0\t${f.path}\0`), ...(repo.submodules ?? []).map((p) => `160000 ${commitId(p)} 0\t${p}\0`)].join('');
      case 'rev-parse --verify -q HEAD':
        if (!repo.head) throw new ExitError(1, '');
        return `${'1'.repeat(40)}\n`;
      case 'diff --cached --name-only -z --no-renames --diff-filter=ACMRT HEAD': {
        if (!repo.head) throw new ExitError(128, "fatal: bad revision 'HEAD'");
        const old = new Map(repo.head.map((f) => [f.path, blobId(bytes(f.content))]));
        return repo.index.filter((f) => old.get(f.path) !== blobId(bytes(f.content))).map((f) => `${f.path}\0`).join('');
      }
      case 'config --show-scope --type=path --get core.hooksPath':
        if (repo.hooksPath === undefined) throw new ExitError(1, '');
        if (repo.hooksPathScope === 'unsupported') throw new ExitError(129, "error: unknown option `show-scope'");
        if (repo.hooksPathScope === 'broken') throw new ExitError(128, "fatal: failed to expand user dir in: '~nosuchuser/x'");
        return `${repo.hooksPathScope ?? 'local'}\t${repo.hooksPath.replace(/^~(?=\/|$)/, process.env.HOME ?? '')}\n`;
      case 'config --type=path --get core.hooksPath':
        if (repo.hooksPath === undefined) throw new ExitError(1, '');
        return `${repo.hooksPath}\n`;
      case 'rev-parse --git-path hooks/pre-commit':
        // As git: core.hooksPath as it is (relative to the top, ~ expanded), else .git/hooks.
        if (repo.hooksPath === undefined) return '.git/hooks/pre-commit\n';
        return `${repo.hooksPath.replace(/^~(?=\/|$)/, process.env.HOME ?? '')}/pre-commit\n`;
      case 'ls-files -z -- :(glob)**/.husky/*':
        return repo.index.filter((f) => /(^|\/)\.husky\/[^/]+$/.test(f.path)).map((f) => `${f.path}\0`).join('');
    }
    if (cmd.startsWith('ls-tree -r -z HEAD --') && repo.head) {
      // As git does: no path after "--" lists the whole tree.
      const wanted = new Set(args.slice(5));
      return repo.head.filter((f) => !wanted.size || wanted.has(f.path)).map((f) => `100644 blob ${blobId(bytes(f.content))}\t${f.path}\0`).join('');
    }
    throw new Error(`fake git: unexpected command: git ${cmd}`);
  }

  /** execFileSync as the modules call it: (file, args, options). */
  readonly execFileSync = (file: string, args: readonly string[], options: ExecFileSyncOptions & { input?: string }): Buffer => {
    if (file !== 'git') throw new Error(`fake git: asked to run ${file}`);
    const given = options.stdio ?? 'pipe';
    const stdio = typeof given === 'string' ? [given, given, given] : [0, 1, 2].map((i) => (given as unknown[])[i] ?? 'pipe');
    for (const s of stdio) if (typeof s !== 'string' || !STDIO.has(s)) throw new TypeError(`The argument 'stdio' is invalid. Received ${String(s)}`);
    // Without stdio, execFileSync sends the child's stderr to the parent's.
    const call: GitCall = { args: [...args], cwd: options.cwd?.toString(), input: options.input, stderrShown: options.stdio === undefined || stdio[2] !== 'pipe', env: options.env };
    this.calls.push(call);
    if (this.missing) throw Object.assign(new Error('spawnSync git ENOENT'), { code: 'ENOENT' });
    if (this.spawnFailure) throw Object.assign(new Error(`spawnSync git ${this.spawnFailure}`), { code: this.spawnFailure });
    const out = bytes(this.answer(call.args, call.cwd ?? process.cwd(), stdio[0] === 'pipe' || options.input !== undefined ? options.input : undefined));
    if (out.length > (options.maxBuffer ?? 1024 * 1024)) throw Object.assign(new Error('spawnSync git ENOBUFS'), { code: 'ENOBUFS' });
    return (stdio[1] === 'pipe' ? out : null) as Buffer;
  };
}

/** The one fake of a test file: its vi.mock of node:child_process hands out this execFileSync. */
export const fakeGit = new FakeGit();
