// The repository side of check-secrets, in process: which files are env files, whose secrets are
// looked for, and that no file is skipped without a word.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isProfileEnvFile } from '../../scripts/lib/secrets/env-files.js';
import { ownValues, scanFile } from '../../scripts/lib/secrets/repository-scan.js';

const SECRET = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const none = { own: new Map<string, string>(), clientIds: new Set<string>() };
const file = (path: string, text: string | undefined, size = text?.length ?? 0) => ({ path, content: text === undefined ? undefined : Buffer.from(text), size });

describe('env files of a folder', () => {
  test.each(['.env', '.env.staging', '.env.prod-2'])('%s is a profile env file', (name) => expect(isProfileEnvFile(name)).toBe(true));
  test.each(['.env.example', '.envrc', 'x.env', '.env.', '.env../x'])('%s is not (profiles never lists .env.example: N14)', (name) => expect(isProfileEnvFile(name)).toBe(false));
});

describe('scanFile', () => {
  test.each(['.env', '.env.staging', 'config/.env.production'])('a tracked %s is reported whatever it holds (N01)', (path) => {
    expect(scanFile(file(path, '# empty\n'), none).map((f) => f.rule)).toEqual(['tracked-env-file']);
  });

  test('.env.example is the committed template, not a finding', () => {
    expect(scanFile(file('.env.example', 'DRIBBBLE_CLIENT_SECRET=\n'), none)).toEqual([]);
  });

  test('a blob too large to read is a finding naming why, not skipped; the env-file name check still runs (F7)', () => {
    const findings = scanFile(file('.env', undefined, 6 * 1024 * 1024 * 1024), none);
    expect(findings.map((f) => f.rule)).toEqual(['tracked-env-file', 'unscannable']);
    expect(scanFile(file('big.bin', undefined, 1e12), none)[0]!.why).toContain('cannot be scanned');
  });

  test('a Postman-named file that is not JSON cannot pass unscanned', () => {
    expect(scanFile(file('team.postman_environment.json', '{"values": ['), none).map((f) => f.rule)).toEqual(['unscannable']);
    expect(scanFile(file('tsconfig.json', '{ // comments\n}'), none)).toEqual([]);
  });

  test('the user\'s own secret is found in any file, in UTF-8 or UTF-16', () => {
    const own = { ...none, own: new Map([[SECRET, 'DRIBBBLE_CLIENT_SECRET']]) };
    expect(scanFile(file('notes.md', `pasted ${SECRET}`), own).map((f) => f.why)).toEqual(['the value of your own DRIBBBLE_CLIENT_SECRET']);
    expect(scanFile({ path: 'notes.txt', content: Buffer.from(`x ${SECRET}`, 'utf16le'), size: 1 }, own)).toHaveLength(1);
  });
});

describe('ownValues: whose secrets are looked for', () => {
  test('secrets given only in the process environment, as in CI, are looked for (N02)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-'));
    const { own } = ownValues([dir], undefined, { DRIBBBLE_ACCESS_TOKEN: SECRET });
    expect(own.get(SECRET)).toBe('DRIBBBLE_ACCESS_TOKEN');
  });

  test('every profile of the folder counts, not only the selected one; .env.example does not; client IDs are collected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-'));
    writeFileSync(join(dir, '.env.prod'), 'DRIBBBLE_CLIENT_SECRET=prod-secret-0123456789\nDRIBBBLE_CLIENT_ID=prod-client-id\n');
    writeFileSync(join(dir, '.env'), 'DRIBBBLE_CODE=a-code-of-mine-0123\n');
    writeFileSync(join(dir, '.env.example'), 'DRIBBBLE_CLIENT_SECRET=example-secret-0123\n');
    const { own, clientIds } = ownValues([dir], undefined, {});
    expect([...own.keys()].sort()).toEqual(['a-code-of-mine-0123', 'prod-secret-0123456789']);
    expect([...clientIds]).toEqual(['prod-client-id']);
  });
});
