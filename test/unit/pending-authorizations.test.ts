// Pending authorizations (lib/oauth/pending-authorizations.ts) live in the state folder, through
// the private-folder gate: a symlink planted at the file is replaced, never written through (F1:
// it received the PKCE verifier); a file anyone else could have written is never read.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { listPendingAuthorizations, savePendingAuthorization } from '../../scripts/lib/oauth/pending-authorizations.js';

let root: string;
let saved: string | undefined;
const folder = () => join(root, 'state', 'dribbble-oauth');
const entry = { state: 's'.repeat(43), clientId: 'id', redirectUri: 'https://x.example/cb', codeVerifier: 'v'.repeat(43), createdAt: Date.now() };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pending-test-'));
  saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(root, 'state');
});
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = saved;
});

describe('pending authorizations', () => {
  test('are kept in a 0600 file in a 0700 state folder, and read back', async () => {
    expect(await listPendingAuthorizations()).toEqual([]);
    await savePendingAuthorization(entry);
    expect(lstatSync(folder()).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(folder(), 'pending-authorizations.json')).mode & 0o777).toBe(0o600);
    expect(await listPendingAuthorizations()).toEqual([entry]);
  });

  test('a symlink planted at the file is replaced, its target untouched (F1)', async () => {
    mkdirSync(folder(), { recursive: true, mode: 0o700 });
    writeFileSync(join(root, 'victim'), 'keep me');
    symlinkSync(join(root, 'victim'), join(folder(), 'pending-authorizations.json'));
    await expect(listPendingAuthorizations()).rejects.toThrow(/symlink/);
    await savePendingAuthorization(entry).catch(() => undefined);
    expect(readFileSync(join(root, 'victim'), 'utf8')).toBe('keep me');
  });

  test('a file others can write is refused with exit 2, never read', async () => {
    mkdirSync(folder(), { recursive: true, mode: 0o700 });
    writeFileSync(join(folder(), 'pending-authorizations.json'), JSON.stringify([{ ...entry, codeVerifier: 'planted' }]));
    chmodSync(join(folder(), 'pending-authorizations.json'), 0o666);
    const error = await listPendingAuthorizations().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect((error as DribbbleOAuthError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/others can write to .*pending-authorizations\.json/);
  });

  test('a state folder others can write is refused with exit 2 naming XDG_STATE_HOME', async () => {
    mkdirSync(folder(), { recursive: true });
    chmodSync(folder(), 0o777);
    const error = (await savePendingAuthorization(entry).catch((e: unknown) => e)) as DribbbleOAuthError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('(chosen by XDG_STATE_HOME)');
  });
});
