// The repository side of check-secrets, in process: which files are env files, whose secrets are
// looked for, and that no file is skipped without a word.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { isProfileEnvFile, profileOfFile } from '../../scripts/lib/secrets/env-files.js';
import { ALLOW_LIST_FILE, MAX_BLOB_BYTES, ownValues, scanFile } from '../../scripts/lib/secrets/repository-scan.js';
import { fingerprintOf } from '../../scripts/lib/secrets/postman-secrets.js';

const SECRET = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const none = { own: new Map<string, string>(), clientIds: new Set<string>() };
const file = (path: string, text: string | undefined, size = text?.length ?? 0) => ({ path, content: text === undefined ? undefined : Buffer.from(text), size });

describe('env files of a folder', () => {
  test.each(['.env', '.env.staging', '.env.prod-2'])('%s is a profile env file', (name) => expect(isProfileEnvFile(name)).toBe(true));
  test.each(['.env.example', '.envrc', 'x.env', '.env.', '.env../x'])('%s is not (profiles never lists .env.example: N14)', (name) => expect(isProfileEnvFile(name)).toBe(false));
  test('the profile of .env is "(default)"; of .env.NAME, NAME', () => {
    expect([profileOfFile('.env'), profileOfFile('.env.staging'), profileOfFile('.env.prod-2')]).toEqual(['(default)', 'staging', 'prod-2']);
  });
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

  test('the file chosen with --env-file counts too, wherever it is; a folder that cannot be read is passed over, an env file that cannot is said (a missing one is not)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-'));
    const chosen = join(mkdtempSync(join(tmpdir(), 'chosen-')), 'team.env');
    writeFileSync(chosen, 'DRIBBBLE_ACCESS_TOKEN=chosen-token-0123456789\n');
    spawnSync('mkfifo', [join(dir, '.env.broken')]);
    // A folder by an env file's name (a Python virtualenv's .env) is no env file: not even said.
    mkdirSync(join(dir, '.env'));
    const { own, unread } = ownValues([dir, join(dir, 'no-such-folder')], chosen, {});
    expect([...own]).toEqual([['chosen-token-0123456789', 'DRIBBBLE_ACCESS_TOKEN']]);
    // Audit: passed over without a word, so a check that passed hid what it could not read.
    expect(unread).toEqual([`Cannot read the env file ${join(dir, '.env.broken')}: it is not a regular file (a named pipe), so it was not read. Its secrets were not looked for.`]);
    expect(ownValues([dir], join(dir, 'missing.env'), {}).unread).toHaveLength(1);
    // The one chosen with --env-file is said even when it is a folder: the user named it.
    expect(ownValues([], join(dir, '.env'), {}).unread).toEqual([`Cannot read the env file ${join(dir, '.env')}: it is a folder, not a file. Its secrets were not looked for.`]);
  });

  test('values are trimmed; a secret shorter than 8 characters, a blank one, or a variable that is not secret is not looked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-'));
    const { own, clientIds } = ownValues([dir], undefined, {
      DRIBBBLE_CLIENT_SECRET: '  12345678  ',
      DRIBBBLE_ACCESS_TOKEN: '1234567',
      DRIBBBLE_CODE: '   ',
      DRIBBBLE_SCOPE: 'public upload',
      DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:8787/callback',
      DRIBBBLE_CLIENT_ID: ' my-client-id ',
    });
    expect([...own]).toEqual([['12345678', 'DRIBBBLE_CLIENT_SECRET']]);
    expect([...clientIds]).toEqual(['my-client-id']);
  });
});

describe('scanFile: what each kind of file is checked for', () => {
  const own = { ...none, own: new Map([[SECRET, 'DRIBBBLE_CLIENT_SECRET']]) };
  const pathHash = (p: string) => createHash('sha256').update(p).digest('hex').slice(0, 16);

  test('the env-file finding names why and has a fingerprint from the path, stable whatever the file holds', () => {
    const [a] = scanFile(file('conf/.env.prod', 'A=1'), none);
    const [b] = scanFile(file('conf/.env.prod', 'A=2'), none);
    expect(a).toEqual({ where: 'the whole file', value: '', rule: 'tracked-env-file', fingerprint: `tracked-env-file:${pathHash('conf/.env.prod')}`, why: 'an env file is tracked: it holds one person\'s secrets ("git rm --cached" it; .gitignore covers .env and .env.*)' });
    expect(b).toEqual(a);
    expect(scanFile(file('.envrc', 'x'), none)).toEqual([]);
    expect(scanFile(file('x.env', 'x'), none)).toEqual([]);
  });

  test('a blob too large to read: its size, the limit and the allow-list named', () => {
    expect(scanFile(file('big.bin', undefined, 300_000_000), none)).toEqual([
      { where: 'the whole file', value: '', rule: 'unscannable', fingerprint: `unscannable:${pathHash('big.bin')}`, why: `cannot be scanned: it is 300000000 bytes, more than the ${MAX_BLOB_BYTES} read; check it by hand, then untrack it or accept it in ${ALLOW_LIST_FILE}` },
    ]);
  });

  test('a Postman-named file that is not JSON: unscannable, saying why', () => {
    expect(scanFile(file('newman/run.json', 'not json'), none)).toEqual([
      { where: 'the whole file', value: '', rule: 'unscannable', fingerprint: `unscannable:${pathHash('newman/run.json')}`, why: expect.stringMatching(/^cannot be scanned as a Postman or Newman file: it is not valid JSON \(/) },
    ]);
  });

  test('any .json that is not valid JSON, or is JSON but not Postman\'s, is still searched for the user\'s own secrets', () => {
    expect(scanFile(file('data.json', `{ "a": "${SECRET}", }`), own).map((f) => f.rule)).toEqual(['own-secret']);
    expect(scanFile(file('data.json', JSON.stringify({ note: SECRET })), own).map((f) => f.rule)).toEqual(['own-secret']);
    // A token-shaped string in ordinary JSON is no finding: only Postman files are walked for shapes.
    expect(scanFile(file('package.json', JSON.stringify({ integrity: SECRET })), none)).toEqual([]);
  });

  test('a JSON file Postman would export, whatever its name, is walked by the Postman detector', () => {
    const env = JSON.stringify({ name: 'mine', values: [{ key: 'client_secret', value: 'hunter2-hunter2', type: 'default', enabled: true }] });
    expect(scanFile(file('exports/mine.json', env), none).map((f) => f.rule)).toEqual(['secret-variable']);
    expect(scanFile(file('EXPORTS/MINE.JSON', env), none).map((f) => f.rule)).toEqual(['secret-variable']);
    // Any other file is only searched for the user's own secrets, even if it holds a Postman export.
    expect(scanFile(file('exports/mine.json.txt', env), none)).toEqual([]);
    expect(scanFile(file('exports/mine.txt', env), none)).toEqual([]);
    // A tracked .env.json is both: an env file and a Postman environment.
    expect(scanFile(file('.env.json', env), none).map((f) => f.rule)).toEqual(['tracked-env-file', 'secret-variable']);
  });

  test('a file that is not JSON: the user\'s own secrets only, each with the own-secret fingerprint', () => {
    expect(scanFile(file('notes.txt', `a ${SECRET} b`), own)).toEqual([
      { where: 'DRIBBBLE_CLIENT_SECRET', value: expect.any(String), why: 'the value of your own DRIBBBLE_CLIENT_SECRET', rule: 'own-secret', fingerprint: fingerprintOf('own-secret', SECRET) },
    ]);
  });
});

describe('ownValues registers what it learns', () => {
  test('a secret from an env file or the process environment is masked in all the process prints, a client ID is not', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const dir = mkdtempSync(join(tmpdir(), 'own-values-redaction-'));
    const fromFile = 'file-s3cret-0123456789abcdefghij';
    const fromEnv = 'env-t0ken-0123456789abcdefghijkl';
    writeFileSync(join(dir, '.env'), `DRIBBBLE_CLIENT_SECRET=${fromFile}\nDRIBBBLE_CLIENT_ID=public-client-id-of-this-app\n`);
    ownValues([dir], undefined, { DRIBBBLE_ACCESS_TOKEN: fromEnv });
    const shown = redact(`Cannot read ${fromFile} or ${fromEnv}; client public-client-id-of-this-app`);
    expect(shown).not.toContain(fromFile);
    expect(shown).not.toContain(fromEnv);
    expect(shown).toContain('public-client-id-of-this-app');
  });
});
