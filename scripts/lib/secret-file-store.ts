// Files that hold secrets: written atomically (temporary file, then rename) with mode 0600, never
// to a path git tracks, and for env files keeping every other line exactly as it was.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { UsageError } from './errors.js';

const trackedCache = new Map<string, boolean>();

/** True when git tracks the path (or git is absent / the path is outside a repository: false). */
export function isTrackedByGit(path: string): boolean {
  let tracked = trackedCache.get(path);
  if (tracked === undefined) {
    try {
      execFileSync('git', ['ls-files', '--error-unmatch', '--', basename(path)], { cwd: dirname(path), stdio: 'ignore' });
      tracked = true;
    } catch {
      tracked = false;
    }
    trackedCache.set(path, tracked);
  }
  return tracked;
}

export function assertNotTracked(path: string, what: string, flag: string): void {
  if (isTrackedByGit(path)) {
    throw new UsageError(
      'tracked_secret_file',
      `Refusing to write ${what} to ${path}: git tracks that file, and secrets never go into tracked files. Pick an untracked path with ${flag} (for example one ending in .local.postman_environment.json, which .gitignore ignores), or "git rm --cached" it and ignore it first.`,
    );
  }
}

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600); // in case a umask narrowed or a filesystem ignored the mode
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Serialises read-modify-write of one file across processes (two exchanges at once). */
export async function withFileLock<T>(path: string, body: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const release = await lockfile.lock(path, { realpath: false, stale: 10_000, retries: { retries: 100, minTimeout: 10, maxTimeout: 100 } });
  try {
    return await body();
  } finally {
    await release();
  }
}

function formatEnvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/@+~=%,]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Sets keys in a dotenv text: each line that assigns a key is replaced in place (keeping an
 * `export ` prefix); absent keys are appended. Every other byte stays as it was.
 */
export function setEnvValues(text: string, updates: Record<string, string>): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = /\n$/.test(text);
  const lines = text.length ? text.split(/\r?\n/) : [];
  if (endsWithNewline) lines.pop();
  const done = new Set<string>();
  const out = lines.map((line) => {
    const match = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(line);
    const key = match?.[2];
    if (!key || !(key in updates)) return line;
    done.add(key);
    return `${match[1]}${key}=${formatEnvValue(updates[key]!)}`;
  });
  const appended = Object.entries(updates).filter(([key]) => !done.has(key));
  if (!appended.length) return out.join(newline) + (endsWithNewline ? newline : '');
  return [...out, ...appended.map(([key, value]) => `${key}=${formatEnvValue(value)}`)].join(newline) + newline;
}

export async function updateEnvFile(path: string, updates: Record<string, string>): Promise<void> {
  assertNotTracked(path, 'secrets', '--env-file');
  await withFileLock(path, async () => {
    const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    await writeFileAtomic(path, setEnvValues(current, updates));
  });
}
