// The one place the rate budget touches disk: a JSON file in the state folder, one entry per
// token (keyed by a hash of it, never the token), changed under a lock so that concurrent
// commands share one budget. Written whole (temporary file, then rename), mode 0600.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateFolder } from '../disk/state-folder.js';
import { withFileLock } from '../disk/secret-file-store.js';
import type { RateBudget } from './rate-budget.js';

const FILE_NAME = 'rate-budget.json';
// Entries of tokens unused for two days are dropped: their windows are long renewed.
const FORGET_AFTER_MS = 2 * 86_400_000;

interface StoredEntry extends RateBudget {
  updatedMs: number;
}

/** A token's key in the file: enough of its SHA-256 to tell tokens apart, nothing to use. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

async function readEntries(path: string): Promise<Record<string, StoredEntry>> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, StoredEntry>) : {};
  } catch {
    // Missing or damaged: a fresh budget is the safe start (the server's headers correct it).
    return {};
  }
}

/** Reads the token's budget, lets `change` compute the new one and a result, writes it back, all under the lock. */
export async function updateBudget<T>(token: string, change: (budget: RateBudget) => { budget: RateBudget; result: T }, now = Date.now(), folder = stateFolder()): Promise<T> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, FILE_NAME);
  return withFileLock(path, async () => {
    const entries = await readEntries(path);
    const key = tokenKey(token);
    const { updatedMs: _updated, ...current } = entries[key] ?? { updatedMs: 0 };
    const { budget, result } = change(current);
    for (const [k, entry] of Object.entries(entries)) if (now - (entry?.updatedMs ?? 0) > FORGET_AFTER_MS) delete entries[k];
    entries[key] = { ...budget, updatedMs: now };
    const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(entries)}\n`, { mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return result;
  });
}
