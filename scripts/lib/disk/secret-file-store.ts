// Files that hold secrets: checked before any request, written all-or-nothing (temporary files
// first, then renames, rolled back on failure), mode 0600, through symlinks, and for env files
// changing only the one assignment.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, lstatSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { setEnvValues } from '../config/env-file-text.js';
import { UsageError } from '../core/errors.js';
import { MissingUserFileError, pathErrorMeaning, readRegularFile } from '../core/user-file.js';
import { assertNotTracked, resolveWriteTarget } from './git-tracking.js';
import { cleanupOnInterrupt } from './interrupt-cleanup.js';
import { LOCK_OPTIONS } from './private-folder.js';

// Ends in a suffix .gitignore covers; names the pid so a later run can tell a dead writer's leftovers.
const TEMP_SUFFIX = '.dribbble-oauth-tmp';
const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.dribbble-oauth-tmp$/;
// What versions before 0.2 left behind: `..env.<pid>.<hex>.tmp`.
const OLD_TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files that a killed run left in `dir`; returns their names. */
export function removeStaleTemporaryFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name) ?? OLD_TEMP_NAME.exec(name);
    const pid = Number(match?.[1]);
    if (!match || pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * Refuses, before any request, a save target that cannot be written: its folder missing, not a
 * folder, or not writable; the file a folder or not writable; git tracking it (or unsure).
 */
export function checkWritableTarget(path: string, what: string, flag: string): void {
  const target = resolveWriteTarget(path);
  const folder = dirname(target);
  const fail = (why: string) => {
    throw new UsageError('unwritable_save_target', `Cannot save ${what} to ${path} (${flag}): ${why}. Nothing was sent; fix that, or pick another path with ${flag}.`);
  };
  // The folder first: git is asked about tracking from inside it.
  let folderStat;
  try {
    folderStat = statSync(folder);
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? `its folder ${folder} does not exist` : `its folder ${folder} cannot be used: ${pathErrorMeaning(error)}`);
  }
  if (!folderStat.isDirectory()) return fail(`${folder} is not a folder`);
  assertNotTracked(path, what, flag);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    return fail(`its folder ${folder} is not writable`);
  }
  let fileStat;
  try {
    fileStat = lstatSync(target);
  } catch {
    return; // a new file
  }
  if (!fileStat.isFile()) return fail(`${target} is ${fileStat.isDirectory() ? 'a folder' : 'not a regular file'}`);
  try {
    accessSync(target, constants.R_OK | constants.W_OK);
  } catch {
    fail(`${target} is not writable`);
  }
}

export interface PlannedWrite {
  path: string;
  content: Buffer | string;
  /** 0600 unless said: a file that holds no secret (a sanitized export) keeps its own mode. */
  mode?: number;
}

// An env file holds a few keys; a file being replaced (an export, a sanitized collection) more.
const ENV_FILE_MAX_BYTES = 1024 * 1024;
const PREVIOUS_MAX_BYTES = 256 * 1024 * 1024;

/** A file about to be replaced, through the user-file gate (a FIFO put there since the check never blocks); undefined when absent. */
function readExisting(path: string, what: string, maxBytes: number): Buffer | undefined {
  try {
    return readRegularFile(path, { what, remedy: 'Nothing was changed.', maxBytes, code: 'unwritable_save_target' });
  } catch (error) {
    if (error instanceof MissingUserFileError) return undefined;
    throw error;
  }
}

function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

async function writeTemporary(temporary: string, content: Buffer | string, mode = 0o600): Promise<void> {
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temporary, mode); // also in case a filesystem ignored the mode
}

/**
 * Writes every file or none: each goes to a temporary file beside its target first (removed on
 * any failure and on SIGINT/SIGTERM), then all are renamed into place; if a rename fails, the
 * ones already renamed get their previous content back.
 */
export async function commitFiles(writes: PlannedWrite[]): Promise<void> {
  const planned = writes.map((w) => ({ ...w, target: resolveWriteTarget(w.path), temporary: '' }));
  // Registered before it exists: a signal between creating and registering would leave it behind.
  const temporaries = new Set<string>();
  const newTemporary = (target: string) => {
    const path = temporaryPathFor(target);
    temporaries.add(path);
    return path;
  };
  const removeTemporaries = () => {
    for (const t of temporaries) {
      try {
        unlinkSync(t);
      } catch {
        // already renamed or removed
      }
    }
  };
  const unregister = cleanupOnInterrupt(removeTemporaries);
  const previous = new Map<string, Buffer | undefined>();
  const done: typeof planned = [];
  try {
    for (const w of planned) {
      removeStaleTemporaryFiles(dirname(w.target));
      previous.set(w.target, readExisting(w.target, 'a file to replace', PREVIOUS_MAX_BYTES));
      w.temporary = newTemporary(w.target);
      await writeTemporary(w.temporary, w.content, w.mode);
    }
    await holdForTests();
    for (const w of planned) {
      await rename(w.temporary, w.target);
      temporaries.delete(w.temporary);
      done.push(w);
    }
  } catch (error) {
    for (const w of done.reverse()) {
      const before = previous.get(w.target);
      const restore = async () => {
        if (before === undefined) return rm(w.target, { force: true });
        const temporary = newTemporary(w.target);
        await writeTemporary(temporary, before);
        await rename(temporary, w.target);
      };
      await restore().catch(() => undefined);
    }
    throw error;
  } finally {
    removeTemporaries();
    unregister();
  }
}

/** Test hook: DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS pauses with the temporary files written, so a test can signal the process there. */
async function holdForTests(): Promise<void> {
  const ms = Number(process.env.DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await commitFiles([{ path, content }]);
}

/** Serialises read-modify-write of one file across processes (two exchanges at once). */
export async function withFileLock<T>(path: string, body: () => Promise<T>): Promise<T> {
  const target = resolveWriteTarget(path);
  await mkdir(dirname(target), { recursive: true });
  const release = await lockfile.lock(target, LOCK_OPTIONS);
  try {
    return await body();
  } finally {
    await release();
  }
}

/** The env file's bytes with `updates` set (under the caller's lock); empty when it does not exist. */
export async function planEnvFileUpdate(path: string, updates: Record<string, string>): Promise<PlannedWrite> {
  const current = readExisting(resolveWriteTarget(path), `the env file ${path}`, ENV_FILE_MAX_BYTES) ?? Buffer.alloc(0);
  return { path, content: setEnvValues(current, updates, path) };
}

export async function updateEnvFile(path: string, updates: Record<string, string>, flag = '--env-file'): Promise<void> {
  checkWritableTarget(path, 'secrets', flag);
  await withFileLock(path, async () => commitFiles([await planEnvFileUpdate(path, updates)]));
}
