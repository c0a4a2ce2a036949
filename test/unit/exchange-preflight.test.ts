// What `exchange` and `authorize` refuse before any request (lib/oauth/token-exchange.ts):
// missing or malformed inputs, save targets that could not be written, a state folder a rescued
// token could not go to. Each is exit 2 naming what to fix; the e2e tests keep one whole run per
// path (test/e2e/exchange.test.ts, token-never-lost.test.ts) to show it comes before the request.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseFlags } from '../../scripts/lib/cli/cli-flags.js';
import type { ResolvedConfig } from '../../scripts/lib/config/config-resolution.js';
import { parseCallbackInput } from '../../scripts/lib/oauth/callback-input.js';
import { checkExchangeInputs, checkSaveTargets } from '../../scripts/lib/oauth/token-exchange.js';
import { asyncRefusalOf as refusal } from '../support/refusals.js';

const REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';
let dir: string;
let savedStateHome: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exchange-preflight-'));
  savedStateHome = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(dir, 'state');
});
afterEach(() => {
  if (savedStateHome === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedStateHome;
  // A folder made read-only by a test must be removable by the next clean-up of tmp.
  try {
    chmodSync(join(dir, 'ro', 'dribbble-oauth'), 0o700);
  } catch {
    // not made by this test
  }
});

const config = (values: ResolvedConfig['values'], sources: ResolvedConfig['sources'] = {}, envFilePath = join(dir, '.env')): ResolvedConfig => ({ values, sources, envFilePath, envFileExists: false });
const complete = { client_id: 'i', client_secret: 's', redirect_uri: REDIRECT, code: 'c' };

describe('checkExchangeInputs', () => {
  test('complete inputs pass', () => {
    expect(() => checkExchangeInputs(config(complete), { needsCode: true })).not.toThrow();
  });

  test.each([
    ['client_id', '--client-id', 'DRIBBBLE_CLIENT_ID'],
    ['client_secret', '--client-secret', 'DRIBBBLE_CLIENT_SECRET'],
    ['redirect_uri', '--redirect-uri', 'DRIBBBLE_REDIRECT_URI'],
    ['code', '--code', 'DRIBBBLE_CODE'],
  ] as const)('a missing %s is exit 2 naming %s and %s', async (key, flag, variable) => {
    const values: ResolvedConfig['values'] = { ...complete };
    delete values[key];
    const error = await refusal(() => checkExchangeInputs(config(values), { needsCode: true }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe(`missing_${key}`);
    expect(error.message).toContain(flag);
    expect(error.message).toContain(variable);
  });

  test('the code is required only when the user must give it (authorize gets its own)', () => {
    expect(() => checkExchangeInputs(config({ ...complete, code: undefined }))).not.toThrow();
  });

  test('with nothing configured, one paragraph names every missing input with its flag and variable, and npm run init', async () => {
    const error = await refusal(() => checkExchangeInputs(config({}), { needsCode: true }));
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toContain('\n');
    for (const name of ['--client-id', 'DRIBBBLE_CLIENT_ID', '--client-secret', 'DRIBBBLE_CLIENT_SECRET', '--redirect-uri', 'DRIBBBLE_REDIRECT_URI', '--code', 'DRIBBBLE_CODE', 'npm run init']) {
      expect(error.message).toContain(name);
    }
  });

  test('a redirect URI that is not an http(s) URL is exit 2, quoting it and where it came from', async () => {
    const error = await refusal(() => checkExchangeInputs(config({ ...complete, redirect_uri: 'not a url' }, { redirect_uri: { kind: 'flag', flag: 'redirect-uri' } }), { needsCode: true }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"not a url" (from --redirect-uri) is not an http:// or https:// URL');
  });
});

describe('an unknown flag', () => {
  test('is exit 2 in one line', async () => {
    const error = await refusal(() => parseFlags(['--client-idd', 'x'], 'exchange', 'd'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/Unknown argument/);
    expect(error.message.trim()).not.toContain('\n');
  });
});

describe('checkSaveTargets', () => {
  const exportTo = async (path: string) => refusal(() => checkSaveTargets(config(complete), { save: true, exportEnvironment: path }));

  test('a writable .env and export path, and a usable state folder, pass and create nothing', () => {
    expect(() => checkSaveTargets(config(complete), { save: true, exportEnvironment: join(dir, 'mine.local.postman_environment.json') })).not.toThrow();
    expect(execFileSync('ls', ['-A', dir]).toString()).toBe('');
  });

  test.each([
    ['pointing at a folder', () => (mkdirSync(join(dir, 'exports')), join(dir, 'exports')), 'is a folder'],
    ['inside a file', () => (writeFileSync(join(dir, 'plain'), 'x'), join(dir, 'plain', 'env.json')), 'is not a folder'],
    ['in a missing folder', () => join(dir, 'missing', 'env.json'), 'does not exist'],
  ])('--export-environment %s is exit 2 (unwritable_save_target) saying why and that nothing was sent', async (_what, make, why) => {
    const error = await exportTo(make());
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('unwritable_save_target');
    expect(error.message).toContain(why);
    expect(error.message).toContain('Nothing was sent');
    expect(error.message).toContain('--export-environment');
  });

  // Audit: in a git work tree this was git_tracking_unknown ("spawnSync git ENOTDIR ... fix git here").
  test('--export-environment below a file, in a git work tree or not: the folder is named as the problem, before git is asked', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    for (const inGit of [false, true]) {
      if (inGit) execFileSync('git', ['init', '-q'], { cwd: dir });
      const error = await exportTo(join(dir, 'plain', 'sub', 'env.json'));
      expect(error.code).toBe('unwritable_save_target');
      expect(error.message).toContain(`its folder ${join(dir, 'plain', 'sub')} cannot be used: a file stands where a folder above it should be`);
    }
  });

  test('--export-environment to a file git tracks is refused; to an ignored one it is not', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, '.gitignore'), '*.local.postman_environment.json\n');
    writeFileSync(join(dir, 'shared.postman_environment.json'), '{}\n');
    execFileSync('git', ['add', 'shared.postman_environment.json'], { cwd: dir });
    const error = await exportTo(join(dir, 'shared.postman_environment.json'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/git tracks/);
    expect(() => checkSaveTargets(config(complete), { save: true, exportEnvironment: join(dir, 'mine.local.postman_environment.json') })).not.toThrow();
  });

  test('--no-save checks nothing: nothing will be written', () => {
    expect(() => checkSaveTargets(config(complete, {}, join(dir, 'missing', '.env')), { save: false, exportEnvironment: join(dir, 'missing', 'x.json') })).not.toThrow();
  });

  test.each([
    ['a file', () => (writeFileSync(join(dir, 'state-file'), 'x'), join(dir, 'state-file')), /a file stands where a folder above it should be/],
    [
      'a read-only folder',
      () => {
        mkdirSync(join(dir, 'ro', 'dribbble-oauth'), { recursive: true, mode: 0o700 });
        chmodSync(join(dir, 'ro', 'dribbble-oauth'), 0o500);
        return join(dir, 'ro');
      },
      /read-only|cannot write/,
    ],
    [
      'writable by anyone',
      () => {
        mkdirSync(join(dir, 'open', 'dribbble-oauth'), { recursive: true });
        chmodSync(join(dir, 'open', 'dribbble-oauth'), 0o777);
        return join(dir, 'open');
      },
      /others can write to it/,
    ],
  ])('XDG_STATE_HOME %s (where a token would be rescued) is exit 2 naming it', async (_what, make, why) => {
    process.env.XDG_STATE_HOME = make();
    const error = await refusal(() => checkSaveTargets(config(complete), { save: true }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('unsafe_state_folder');
    expect(error.message).toContain('(chosen by XDG_STATE_HOME)');
    expect(error.message).toMatch(why);
  });
});

describe('the code of a pasted callback URL', () => {
  test.each([
    ['43-character base64url', 'C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCwg'],
    ['64-hex', 'a'.repeat(32) + '0123456789abcdef0123456789abcdef'],
  ])('a %s code is taken whole, with where the browser came back to', (_shape, code) => {
    expect(parseCallbackInput(`${REDIRECT}?code=${code}&state=st`, '--code')).toEqual({ code, state: 'st', returnedTo: REDIRECT });
  });
});
