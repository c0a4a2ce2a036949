// Issue class 5: the env file changes by exactly one assignment. Line endings per line, other
// encodings, multi-line values, inline comments and symlinks survive; what is written reads back
// through dotenv as the exact value; concurrent saves lose nothing; readers never see a half file.
import { execFileSync, spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setEnvValues } from '../../scripts/lib/config/env-file-text.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT, authorizeAtMock, cliEnv, leftovers, makeTempDir, runCli, startStubServer } from './helpers.js';

const CLIENT_ID = 'env-client';
const CLIENT_SECRET = 'Env-file-s3cret-0123456789abcdefghijkl';
const REDIRECT = 'http://127.0.0.1:9/cb';
let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT] }] });
});
afterAll(() => mock.close());
beforeEach(async () => {
  dir = await makeTempDir();
});

async function exchangeInto(envFile = '.env') {
  const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: CLIENT_ID, redirectUri: REDIRECT });
  const result = await runCli(['exchange', '--env-file', envFile, '--client-id', CLIENT_ID, '--redirect-uri', REDIRECT, '--oauth-url', mock.oauthBaseUrl, '--code', code, '--json'], {
    cwd: dir,
    env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }),
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).access_token as string;
}

describe('exchange changes one assignment and every other byte stays', () => {
  it('keeps per-line endings (one CRLF line in an LF file), Latin-1 bytes and an inline comment on the replaced line', async () => {
    const before = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9]), // Latin-1 "é": not UTF-8, must survive as this one byte
      Buffer.from('\nWINDOWS_LINE=1\r\nDRIBBBLE_ACCESS_TOKEN=old # saved by hand\nLAST=x'),
    ]);
    await writeFile(join(dir, '.env'), before);
    const token = await exchangeInto();
    const after = await readFile(join(dir, '.env'));
    expect(after.equals(Buffer.from(before.toString('latin1').replace('=old #', `=${token} #`), 'latin1'))).toBe(true);
  });

  it('understands a multi-line quoted value holding a look-alike line: the token goes outside it, and whoami then finds it', async () => {
    const pem = 'PEM="-----BEGIN KEY-----\nDRIBBBLE_ACCESS_TOKEN=not-a-real-line\n-----END KEY-----"\n';
    await writeFile(join(dir, '.env'), pem);
    const token = await exchangeInto();
    const after = await readFile(join(dir, '.env'), 'utf8');
    expect(after).toBe(`${pem}DRIBBBLE_ACCESS_TOKEN=${token}\n`);
    expect(parseDotenv(after).PEM).toBe('-----BEGIN KEY-----\nDRIBBBLE_ACCESS_TOKEN=not-a-real-line\n-----END KEY-----');
    const whoami = await runCli(['whoami', '--api-url', mock.apiBaseUrl], { cwd: dir, env: cliEnv(dir) });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain('Signed in as demo-designer');
  });

  it('replaces the assignment dotenv uses (the last one) and appends with the file\'s own line ending', async () => {
    await writeFile(join(dir, '.env'), 'DRIBBBLE_ACCESS_TOKEN=first\r\nDRIBBBLE_ACCESS_TOKEN=second\r\n');
    const token = await exchangeInto();
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(`DRIBBBLE_ACCESS_TOKEN=first\r\nDRIBBBLE_ACCESS_TOKEN=${token}\r\n`);
    await writeFile(join(dir, '.env'), 'A=1\r\nB=2');
    const second = await exchangeInto();
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(`A=1\r\nB=2\r\nDRIBBBLE_ACCESS_TOKEN=${second}\r\n`);
  });

  it('updates a symlinked .env through the link, in the target\'s folder, keeping the link', async () => {
    await mkdir(join(dir, 'private'));
    await writeFile(join(dir, 'private', 'dribbble.env'), 'KEEP=1\n', { mode: 0o600 });
    await symlink(join('private', 'dribbble.env'), join(dir, '.env'));
    const token = await exchangeInto();
    expect((await lstat(join(dir, '.env'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, '.env'))).toBe(join('private', 'dribbble.env'));
    expect(await readFile(join(dir, 'private', 'dribbble.env'), 'utf8')).toBe(`KEEP=1\nDRIBBBLE_ACCESS_TOKEN=${token}\n`);
    expect((await stat(join(dir, 'private', 'dribbble.env'))).mode & 0o777).toBe(0o600);
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('values read back exactly through dotenv', () => {
  const values = [
    'plain',
    'with space',
    'has#hash',
    ' leading and trailing ',
    "single'quote",
    'double"quote',
    'back\\slash\\n-not-a-newline',
    'both \'single\' and "double"',
    'all \' " ` three',
    'multi\nline',
    'ünïcödé',
  ];
  it.each(values)('%j', (value) => {
    for (const before of ['', 'KEY=old # note\nOTHER=1\n', 'export KEY="old"\r\n']) {
      let written: Buffer;
      try {
        written = setEnvValues(Buffer.from(before), { KEY: value }, '.env');
      } catch (error) {
        // Refused (exit 2) is allowed only when no dotenv quoting can carry the value.
        expect((error as { exitCode?: number }).exitCode).toBe(2);
        expect(value).toMatch(/'[^]*"[^]*`|\n[^]*"|"[^]*\n/);
        continue;
      }
      expect(parseDotenv(written).KEY).toBe(value);
      if (before.includes('OTHER')) expect(parseDotenv(written).OTHER).toBe('1');
    }
  });

  it('init writes a secret with quotes, # and backslashes that exchange then reads back exactly', async () => {
    const secret = 'a"b"#c\\d\'e\'=+/';
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 't'.repeat(40), token_type: 'Bearer' })));
    try {
      const init = await runCli(['init', '--client-id', CLIENT_ID, '--client-secret', '-', '--redirect-uri', REDIRECT], { cwd: dir, env: cliEnv(dir), input: `${secret}\n` });
      expect(init.code, init.stderr).toBe(0);
      expect(parseDotenv(await readFile(join(dir, '.env'))).DRIBBBLE_CLIENT_SECRET).toBe(secret);
      const result = await runCli(['exchange', '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc', '--no-save'], { cwd: dir, env: cliEnv(dir) });
      expect(result.code, result.stderr).toBe(0);
      expect(new URLSearchParams(stub.requests[0]!.body).get('client_secret')).toBe(secret);
    } finally {
      await stub.close();
    }
  });
});

describe('concurrent saves', () => {
  const saver = (path: string, key: string) =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(join(ROOT, 'dist', 'lib', 'disk', 'secret-file-store.js'))}).then((m) => m.updateEnvFile(${JSON.stringify(path)}, { ${key}: 'value-of-${key}' }))`], {
        env: { ...process.env, DRIBBBLE_OAUTH_TEST_HOLD_SAVE_MS: '40' },
        stdio: 'inherit',
      });
      child.on('close', (code) => resolve(code ?? 1));
    });

  it('eight processes saving different keys into one file at once lose none of them', async () => {
    const path = join(dir, '.env');
    await writeFile(path, '# shared\n');
    const keys = Array.from({ length: 8 }, (_v, i) => `KEY_${i}`);
    expect(await Promise.all(keys.map((key) => saver(path, key)))).toEqual(keys.map(() => 0));
    const parsed = parseDotenv(await readFile(path));
    for (const key of keys) expect(parsed[key]).toBe(`value-of-${key}`);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a reader polling the file during many saves never sees a partial file', async () => {
    const path = join(dir, '.env');
    const filler = Array.from({ length: 4000 }, (_v, i) => `FILLER_${i}=${'x'.repeat(40)}`).join('\n');
    await writeFile(path, `${filler}\nEND=1\n`);
    const reader = spawn(process.execPath, ['-e', `
      const fs = require('fs'); let bad = 0, reads = 0; const stop = Date.now() + 4000;
      while (Date.now() < stop) { let t = ''; try { t = fs.readFileSync(${JSON.stringify(path)}, 'utf8'); } catch { continue; } reads++; if (!t.includes('END=1\\n') || !t.startsWith('FILLER_0=')) bad++; }
      console.log(JSON.stringify({ bad, reads }));
    `]);
    let out = '';
    reader.stdout.on('data', (d) => (out += d));
    const done = new Promise((r) => reader.on('close', r));
    for (let i = 0; i < 12; i++) await saver(path, `ROUND_${i % 3}`);
    await done;
    const { bad, reads } = JSON.parse(out) as { bad: number; reads: number };
    expect(reads).toBeGreaterThan(100);
    expect(bad).toBe(0);
  });
});

describe('a token the file cannot hold', () => {
  it.each([
    ['a newline', 'abc\nDRIBBBLE_CLIENT_SECRET=stolen'],
    ['an escape sequence', 'abc\u001b]8;;http://evil\u0007def'],
  ])('with %s from the server is exit 5 and not saved', async (_what, token) => {
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer' })));
    try {
      await writeFile(join(dir, '.env'), 'KEEP=1\n');
      const result = await runCli(['exchange', '--client-id', 'id', '--redirect-uri', REDIRECT, '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }) });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [token_control_characters]');
      expect(result.stderr).not.toMatch(/[\u001b\u0007]/);
      expect(await readFile(join(dir, '.env'), 'utf8')).toBe('KEEP=1\n');
    } finally {
      await stub.close();
    }
  });
});

// Issue 14 F6: an env file that is a FIFO blocked in open() until SIGKILL (Ctrl-C and SIGTERM were
// caught by handlers that never ran). Every path to an env file goes through the user-file gate.
describe('an env file that is not a regular file', () => {
  it.each([
    ['--env-file a FIFO (exchange)', ['exchange', '--env-file', 'pipe'], 'pipe'],
    ['a profile\'s env file a FIFO (exchange --profile x)', ['exchange', '--profile', 'x'], '.env.x'],
    ['.env a symlink to a FIFO (whoami)', ['whoami'], '.env'],
  ])('%s: exit 2 at once, naming it', async (_what, command, name) => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    if (name === 'pipe') execFileSync('mkfifo', [join(dir, 'pipe')]);
    else await symlink(join(dir, 'fifo'), join(dir, name));
    const started = Date.now();
    const result = await runCli([...command, '--client-id', CLIENT_ID, '--redirect-uri', REDIRECT, '--oauth-url', mock.oauthBaseUrl, '--api-url', mock.apiBaseUrl, '--code', 'abc'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unreadable_env_file]');
    expect(result.stderr).toContain('it is not a regular file (a named pipe), so it was not read');
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
