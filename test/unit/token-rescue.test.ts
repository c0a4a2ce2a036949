// The last route for a minted token (lib/disk/token-rescue.ts): the state folder, else a private
// folder under TMPDIR; only folders that pass the private-folder gate; a rescue file is whole or
// absent, never an empty file left behind.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

// A full disk: open succeeds, every write fails with ENOSPC.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

const { rescueToken } = await import('../../scripts/lib/disk/token-rescue.js');

const TOKEN = 'r'.repeat(40);
let root: string;
let savedTmpdir: string | undefined;
const tempFolder = () => join(root, 'tmp', `dribbble-oauth-${process.getuid!()}`);
const stateFolder = () => join(root, 'state', 'dribbble-oauth');
const env = () => ({ XDG_STATE_HOME: join(root, 'state'), HOME: root });
const rescueFiles = (folder: string) => {
  try {
    return readdirSync(folder).filter((n) => n.startsWith('rescued-token-') || n.endsWith('.tmp'));
  } catch {
    return [];
  }
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'token-rescue-test-'));
  mkdirSync(join(root, 'tmp'), { mode: 0o700 });
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = join(root, 'tmp'); // os.tmpdir() reads it on every call
  disk.full = false;
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
});

describe('rescueToken', () => {
  test('keeps the token in a new 0600 file in the state folder', () => {
    const kept = rescueToken(TOKEN, env());
    expect(kept?.startsWith(stateFolder())).toBe(true);
    expect(statSync(kept!).mode & 0o777).toBe(0o600);
    expect(readFileSync(kept!, 'utf8')).toContain(`DRIBBBLE_ACCESS_TOKEN=${TOKEN}\n`);
  });

  test('when the state folder cannot take the token, the second folder does (N20)', () => {
    writeFileSync(join(root, 'state'), 'a file where the state folder would go');
    const kept = rescueToken(TOKEN, env());
    expect(kept?.startsWith(tempFolder())).toBe(true);
    expect(readFileSync(kept!, 'utf8')).toContain(TOKEN);
    expect(statSync(tempFolder()).mode & 0o777).toBe(0o700);
  });

  test('a state folder others can write is never written to: the token goes to the second folder', () => {
    mkdirSync(stateFolder(), { recursive: true });
    chmodSync(stateFolder(), 0o777);
    const kept = rescueToken(TOKEN, env());
    expect(kept?.startsWith(tempFolder())).toBe(true);
    expect(rescueFiles(stateFolder())).toEqual([]);
  });

  test('a second folder of someone else (pre-created in /tmp) is never written to (F1)', () => {
    writeFileSync(join(root, 'state'), 'x');
    mkdirSync(tempFolder(), { mode: 0o700 });
    expect(rescueToken(TOKEN, env(), { uid: process.getuid!() + 4242 })).toBeUndefined();
    expect(rescueFiles(tempFolder())).toEqual([]);
  });

  test('when every folder is full, no empty rescued-token file is left anywhere (F13)', () => {
    disk.full = true;
    expect(rescueToken(TOKEN, env())).toBeUndefined();
    expect(rescueFiles(stateFolder())).toEqual([]);
    expect(rescueFiles(tempFolder())).toEqual([]);
  });
});
