// saveToken in process against a real folder: a symlinked env file is updated through the link,
// in the target's folder, keeping the link and the target's mode, with no temporary file left.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { saveToken, type TokenResult } from '../../scripts/lib/oauth/token-exchange.js';

const dir = mkdtempSync(join(tmpdir(), 'token-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'Save-t0ken-0123456789abcdefghijklmn';
const token: TokenResult = { accessToken: TOKEN, tokenType: 'Bearer', scope: 'public', notes: [] };

describe('saving into a symlinked .env', () => {
  test('updates the target through the link, keeps the link and mode 0600, leaves no temporary file', async () => {
    mkdirSync(join(dir, 'private'));
    writeFileSync(join(dir, 'private', 'dribbble.env'), 'KEEP=1\n', { mode: 0o600 });
    symlinkSync(join('private', 'dribbble.env'), join(dir, '.env'));
    const envFilePath = join(dir, '.env');
    const saved = await saveToken({ values: {}, sources: {}, envFilePath, envFileExists: true }, token, { save: true });
    expect(saved).toEqual([envFilePath]);
    expect(lstatSync(envFilePath).isSymbolicLink()).toBe(true);
    expect(readlinkSync(envFilePath)).toBe(join('private', 'dribbble.env'));
    expect(readFileSync(join(dir, 'private', 'dribbble.env'), 'utf8')).toBe(`KEEP=1\nDRIBBBLE_ACCESS_TOKEN=${TOKEN}\n`);
    expect(statSync(join(dir, 'private', 'dribbble.env')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir, { recursive: true }).filter((name) => /dribbble-oauth-tmp|\.tmp$|\.lock$/.test(String(name)))).toEqual([]);
  });
});
