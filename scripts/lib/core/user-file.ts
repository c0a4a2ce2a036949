// The gate for every file a user points the tool at (env files, profiles, Postman files, images):
// read only if it is a regular file (a symlink to one is fine), never block on a FIFO or a device,
// never read more than a cap. Errors name the file and the flag or variable that chose it.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';
import { showUntrusted } from './terminal-text.js';

export interface UserFileOptions {
  /** How the message names the file: "the env file .env (from --env-file)". */
  what: string;
  /** What to do about it, appended to every error. */
  remedy: string;
  /** What to do when the file does not exist (for example, how to create it), instead of `remedy`. */
  remedyWhenMissing?: string;
  maxBytes: number;
  /** The stable error code (--json), by default unreadable_file. */
  code?: string;
}

/** Raised for a missing file, so callers for which a missing file is fine can tell it apart. */
export class MissingUserFileError extends UsageError {}

const PATH_ERROR_MEANINGS = new Map([
  ['ENOENT', 'it does not exist'],
  ['ENOTDIR', 'a file stands where a folder above it should be'],
  ['EEXIST', 'a file stands where a folder should be'],
  ['EACCES', 'permission denied'],
  ['EISDIR', 'it is a folder, not a file'],
  ['ELOOP', 'it is a symlink loop'],
]);

/** What an error from opening or stat-ing a path means, in the words every message about a user's path uses. */
export function pathErrorMeaning(error: unknown): string {
  return PATH_ERROR_MEANINGS.get((error as NodeJS.ErrnoException).code!) ?? showUntrusted((error as Error).message);
}

/**
 * The bytes of a regular file. O_NONBLOCK: opening a FIFO returns at once instead of waiting for a
 * writer, and fstat then tells it apart; the descriptor read is the one checked.
 */
export function readRegularFile(path: string, options: UserFileOptions): Buffer {
  const code = options.code ?? 'unreadable_file';
  const fail = (why: string) => new UsageError(code, `Cannot read ${options.what}: ${why}. ${options.remedy}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw new MissingUserFileError(code, `Cannot read ${options.what}: it does not exist. ${options.remedyWhenMissing ?? options.remedy}`);
    throw fail(pathErrorMeaning(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fail('it is a folder, not a file');
    if (!stat.isFile()) throw fail(`it is not a regular file (${stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : 'a device'}), so it was not read`);
    if (stat.size > options.maxBytes) throw fail(`it is ${stat.size} bytes, more than the ${options.maxBytes} this tool reads from such a file`);
    const buffer = Buffer.alloc(Math.min(stat.size, options.maxBytes) + 1);
    let length = 0;
    // A file that grows while read is cut at the cap + 1 byte, and refused.
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > options.maxBytes) throw fail(`it holds more than the ${options.maxBytes} bytes this tool reads from such a file`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** A regular file's bytes, or undefined when there is none to read (missing, a folder, a FIFO, past the cap): for files that only inform a guess. */
export function readRegularFileIfAny(path: string, maxBytes: number): Buffer | undefined {
  try {
    return readRegularFile(path, { what: path, remedy: '', maxBytes });
  } catch {
    // nothing readable there
  }
  return undefined;
}

/**
 * What is at a path (followed through symlinks unless `follow` is false), or undefined when nothing
 * can be seen there, as existsSync decides. stat's own throwIfNoEntry covers ENOENT alone: a file
 * where a folder above the path should be (ENOTDIR) would throw, a user's mistake turned into a bug.
 */
export function entryAt(path: string, follow = true): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    // nothing to be seen there
  }
  return undefined;
}

/** The path itself, or the nearest folder above it that exists, as existsSync decides (mkdir makes the rest inside it). */
export function nearestExisting(path: string): string {
  return existsSync(path) ? path : nearestExisting(dirname(path)); // "/" exists: the walk ends
}
