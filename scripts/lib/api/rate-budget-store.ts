// The one place the rate budget touches disk: a JSON file in the state folder, one entry per
// token (keyed by a hash of it, never the token), changed under a lock so that concurrent
// commands share one budget. Through the private-folder gate: the state folder must be this
// user's own, the file is never followed through a symlink, and is written whole, mode 0600.
import { createHash } from 'node:crypto';
import { privateFolder, readPrivateFile, withPrivateFileLock, writePrivateFile } from '../disk/private-folder.js';
import { sanitizeBudget, type RateBudget } from './rate-budget.js';

const FILE_NAME = 'rate-budget.json';
// Entries of tokens unused for two days are dropped: their windows are long renewed.
const FORGET_AFTER_MS = 2 * 86_400_000;

interface StoredEntry extends RateBudget {
  updatedMs: number;
}

/**
 * What a budget belongs to: the token at one API origin. Another origin (a mock, a mistyped URL)
 * keeps a budget of its own, so its answers can never stop calls to Dribbble.
 */
export function budgetIdentity(origin: string, token: string): string {
  return `${origin}\n${token}`;
}

/** A token's key in the file: enough of its SHA-256 to tell tokens apart, nothing to use. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

// A budget for a handful of tokens is a few hundred bytes.
const MAX_FILE_BYTES = 256 * 1024;

function readEntries(folder: string): Record<string, StoredEntry> {
  try {
    const parsed = JSON.parse(readPrivateFile(folder, FILE_NAME, MAX_FILE_BYTES)?.toString('utf8') ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, StoredEntry>) : {};
  } catch {
    // Missing, damaged or not ours: a fresh budget is the safe start (the server's headers correct it).
    return {};
  }
}

/** Reads the token's budget, lets `change` compute the new one and a result, writes it back, all under the lock. */
export async function updateBudget<T>(token: string, change: (budget: RateBudget) => { budget: RateBudget; result: T }, now = Date.now(), folder = privateFolder('state')): Promise<T> {
  return withPrivateFileLock(folder, FILE_NAME, () => {
    const entries = readEntries(folder);
    const key = tokenKey(token);
    // The file is ours, but a damaged or hand-edited entry must not end in a crash or a lockout.
    const { budget, result } = change(sanitizeBudget(entries[key], now));
    for (const [k, entry] of Object.entries(entries)) if (now - (entry?.updatedMs ?? 0) > FORGET_AFTER_MS) delete entries[k];
    entries[key] = { ...budget, updatedMs: now };
    writePrivateFile(folder, FILE_NAME, `${JSON.stringify(entries)}\n`);
    return result;
  });
}
