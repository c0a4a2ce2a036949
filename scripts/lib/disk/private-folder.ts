// The gate for every folder the tool keeps for itself (the Newman code cache, the state folder,
// the rescue folders, their locks, any later one such as the api command's rate budget): a folder
// is used only if it is a real directory of the current user that nobody else can write, and no
// folder above it lets anyone else swap it; files in it are created exclusively, never followed
// through a symlink, checked on the descriptor read, and written atomically.
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { nearestExisting, pathErrorMeaning } from '../core/user-file.js';

/** cache: speed only; state: pending authorizations, rescued tokens, budgets; temp: the second rescue folder. */
export type FolderKind = 'cache' | 'state' | 'temp';

export interface FolderLocation {
  kind: FolderKind;
  path: string;
  /** The variable that chose the path, for messages: XDG_STATE_HOME, HOME, TMPDIR... */
  chosenBy: string;
}

/** Whose folders these must be; tests inject another uid to play "someone else". */
export interface OwnerOptions {
  uid?: number;
}

// Windows has no O_NOFOLLOW nor uids: the checks that need them are skipped there.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function currentUid(options?: OwnerOptions): number | undefined {
  return options?.uid ?? process.getuid?.();
}

// Windows reports made-up mode bits (0666 for every file): there only the file types are checked.
const POSIX = process.platform !== 'win32';
const writableByOthers = (mode: number) => POSIX && (mode & 0o022) !== 0;

const XDG: Record<Exclude<FolderKind, 'temp'>, [variable: string, underHome: string]> = {
  cache: ['XDG_CACHE_HOME', '.cache'],
  state: ['XDG_STATE_HOME', join('.local', 'state')],
};

/** Where a folder of `kind` is, and which variable chose it (XDG: a relative XDG_* is ignored). */
export function folderLocation(kind: FolderKind, env: NodeJS.ProcessEnv = process.env): FolderLocation {
  if (kind === 'temp') return { kind, path: join(tmpdir(), `dribbble-oauth-${process.getuid?.() ?? 'user'}`), chosenBy: 'TMPDIR' };
  const [variable, underHome] = XDG[kind];
  const base = env[variable];
  if (base && isAbsolute(base)) return { kind, path: join(base, 'dribbble-oauth'), chosenBy: variable };
  return { kind, path: join(env.HOME || homedir(), underHome, 'dribbble-oauth'), chosenBy: 'HOME' };
}

function modeText(mode: number): string {
  return `mode ${(mode & 0o7777).toString(8).padStart(4, '0')}`;
}

/** Why `path` is not a private folder of this user, or undefined when it is. Never creates anything. */
export function folderProblem(path: string, options?: OwnerOptions): string | undefined {
  const uid = currentUid(options);
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    return pathErrorMeaning(error);
  }
  if (stat.isSymbolicLink()) return 'it is a symlink, and a private folder must be a real one';
  if (!stat.isDirectory()) return 'it is not a folder';
  if (uid !== undefined && stat.uid !== uid) return `it belongs to user ${stat.uid}, not to you (user ${uid})`;
  if (writableByOthers(stat.mode)) return `others can write to it (${modeText(stat.mode)})`;
  if (POSIX && !(stat.mode & 0o200)) return `it is read-only (${modeText(stat.mode)})`;
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
  } catch {
    return 'you cannot write to it';
  }
  return ancestorProblem(dirname(path), uid);
}

/**
 * Whoever can write a folder above could rename the private one away and put theirs in its
 * place; a sticky folder (/tmp) lets nobody rename what is not theirs.
 */
function ancestorProblem(start: string, uid: number | undefined): string | undefined {
  let above: string;
  try {
    above = realpathSync(start);
  } catch {
    return 'the folder above it cannot be resolved';
  }
  for (let dir = above; ; dir = dirname(dir)) {
    const up = lstatSync(dir);
    if (uid !== undefined && up.uid !== uid && up.uid !== 0) return `the folder ${dir} above it belongs to user ${up.uid}, who could replace it`;
    if (POSIX && up.mode & 0o002 && !(up.mode & 0o1000)) return `anyone can write to the folder ${dir} above it (${modeText(up.mode)}, not sticky), and so replace it`;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Like folderProblem, but an absent folder is fine if it could be made private where it goes. Creates nothing. */
export function futureFolderProblem(path: string, options?: OwnerOptions): string | undefined {
  const why = folderProblem(path, options);
  if (why !== 'it does not exist') return why;
  const existing = nearestExisting(dirname(path));
  try {
    if (!statSync(existing).isDirectory()) return 'a file stands where a folder above it should be';
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    return `it does not exist, and cannot be made in ${existing}`;
  }
  return ancestorProblem(existing, currentUid(options));
}

/** Creates the folder (0700) when absent; returns why it cannot be used, or undefined. */
export function preparePrivateFolder(path: string, options?: OwnerOptions): string | undefined {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch {
    // folderProblem says what is wrong
  }
  return folderProblem(path, options);
}

const PURPOSE: Record<FolderKind, string> = {
  cache: 'keeps the Newman code cache',
  state: 'keeps pending authorizations and rescued tokens',
  temp: 'keeps a rescued token when the state folder cannot',
};

/** The message for a refused folder, naming the variable that chose it. */
export function describeRefusedFolder(location: FolderLocation, why: string): string {
  const shown = showUntrusted(location.path);
  const variable = location.kind === 'temp' ? 'TMPDIR' : XDG[location.kind][0];
  const how = location.chosenBy === 'HOME' ? `set ${variable} to a private folder of yours` : `point ${variable} at a private folder of yours`;
  return `The folder ${shown} (chosen by ${location.chosenBy}), where this tool ${PURPOSE[location.kind]}, cannot be used: ${why}. It must be a real folder of yours that only you can write (mode 0700), in folders nobody else can write: fix that, or ${how}.`;
}

/** The folder of `kind`, made private if absent; exit 2 naming its variable when it is not usable. */
export function privateFolder(kind: FolderKind, env: NodeJS.ProcessEnv = process.env, options?: OwnerOptions): string {
  const location = folderLocation(kind, env);
  const why = preparePrivateFolder(location.path, options);
  if (why) throw new UsageError(`unsafe_${kind}_folder`, `${describeRefusedFolder(location, why)} Nothing was sent.`);
  return location.path;
}

/**
 * Refuses (exit 2, naming its variable) a folder of `kind` that is there and not private, or that
 * could not be made private; creates nothing, so a run refused later leaves no trace.
 */
export function checkPrivateFolder(kind: FolderKind, env: NodeJS.ProcessEnv = process.env, options?: OwnerOptions): string {
  const location = folderLocation(kind, env);
  const why = futureFolderProblem(location.path, options);
  if (why) throw new UsageError(`unsafe_${kind}_folder`, `${describeRefusedFolder(location, why)} Nothing was sent.`);
  return location.path;
}

/** A file in a private folder that is not what the folder's owner wrote: refused, never read. */
export class UnsafePrivateFileError extends Error {}

/**
 * The bytes of `name` in `folder` (already checked by privateFolder), or undefined when it does
 * not exist. Not followed through a symlink; must be a regular file of this user that nobody
 * else can write; a FIFO never blocks the open.
 */
export function readPrivateFile(folder: string, name: string, maxBytes: number, options?: OwnerOptions): Buffer | undefined {
  const path = join(folder, name);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UnsafePrivateFileError(code === 'ELOOP' ? `${path} is a symlink` : `${path} cannot be read (${code ?? (error as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    const uid = currentUid(options);
    if (!stat.isFile()) throw new UnsafePrivateFileError(`${path} is not a regular file`);
    if (uid !== undefined && stat.uid !== uid) throw new UnsafePrivateFileError(`${path} belongs to user ${stat.uid}, not to you (user ${uid})`);
    if (writableByOthers(stat.mode)) throw new UnsafePrivateFileError(`others can write to ${path} (${modeText(stat.mode)})`);
    if (stat.size > maxBytes) throw new UnsafePrivateFileError(`${path} is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > maxBytes) throw new UnsafePrivateFileError(`${path} is larger than ${maxBytes} bytes`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Opens a new file exclusively (never an existing one, never through a symlink), writes it whole and syncs it; on failure nothing is left. */
function writeNewFile(path: string, content: Buffer | string, mode: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
    throw error;
  }
  closeSync(fd);
}

/** A new file `name` in `folder`, created exclusively (EEXIST when it is there); whole or absent. Returns its path. */
export function createPrivateFile(folder: string, name: string, content: Buffer | string): string {
  const path = join(folder, name);
  writeNewFile(path, content, 0o600);
  return path;
}

/**
 * Replaces `name` in `folder` atomically: a new temporary file beside it (exclusive, 0600,
 * synced), then a rename, which replaces a symlink there rather than following it.
 */
export function writePrivateFile(folder: string, name: string, content: Buffer | string): string {
  const path = join(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  writeNewFile(temporary, content, 0o600);
  try {
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw error;
  }
  return path;
}

/** How long a lock waits and when a dead holder's lock counts as stale (also used for env files). */
export const LOCK_OPTIONS = { realpath: false, stale: 10_000, retries: { retries: 100, minTimeout: 10, maxTimeout: 100 } } as const;

/** Serialises read-modify-write of `name` in a private folder across processes (its lock is a folder beside it). */
export async function withPrivateFileLock<T>(folder: string, name: string, body: () => Promise<T> | T): Promise<T> {
  const release = await lockfile.lock(join(folder, name), LOCK_OPTIONS);
  try {
    return await body();
  } finally {
    await release();
  }
}
