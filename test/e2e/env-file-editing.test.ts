// Issue class 5: the env file changes by exactly the assignments a command sets. Line endings per
// line, other encodings, multi-line values, inline comments survive; what is written reads back
// through dotenv as the exact value; concurrent saves lose nothing; readers never see a half file.
// The text edit itself is setEnvValues, tested in process (test/unit/env-file-text.test.ts,
// env-file-roundtrip.test.ts, env-values-dotenv.test.ts), and saving through a symlink is
// test/unit/token-save.test.ts; here, whole runs write the file.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { beforeEach, describe, expect, it } from 'vitest';
import { setEnvValues } from '../../scripts/lib/config/env-file-text.js';
import { ROOT, cliEnv, leftovers, makeTempDir, runCli, startStubServer } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});

describe('init, then exchange, change their assignments and every other byte stays', () => {
  it('keeps per-line endings, Latin-1 bytes, a multi-line value holding a look-alike line and an inline comment; a secret with quotes, # and backslashes is read back and sent exactly', async () => {
    const REDIRECT = 'https://me.example/cb';
    const secret = 'a"b"#c\\d\'e\'=+/';
    const before = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9]), // Latin-1 "é": not UTF-8, must survive as this one byte
      Buffer.from('\nPEM="-----BEGIN KEY-----\nDRIBBBLE_ACCESS_TOKEN=not-a-real-line\n-----END KEY-----"\nWINDOWS_LINE=1\r\n'),
      Buffer.from('DRIBBBLE_ACCESS_TOKEN=first\nDRIBBBLE_ACCESS_TOKEN=old # saved by hand\nLAST=x'),
    ]);
    await writeFile(join(dir, 'team.env'), before);

    // A non-loopback callback and a website: what init tells the user to register says so.
    const init = await runCli(['init', '--env-file', 'team.env', '--client-id', 'env-client', '--client-secret', '-', '--redirect-uri', REDIRECT, '--website-url', 'https://me.example'], {
      cwd: dir,
      env: cliEnv(dir),
      input: `${secret}\n`,
    });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Website URL +https:\/\/me\.example/);
    expect(init.stdout).toContain('asks you to paste the URL the browser lands on');
    const afterInit = setEnvValues(before, { DRIBBBLE_CLIENT_ID: 'env-client', DRIBBBLE_CLIENT_SECRET: secret, DRIBBBLE_REDIRECT_URI: REDIRECT }, 'team.env');
    expect((await readFile(join(dir, 'team.env'))).equals(afterInit)).toBe(true);
    expect(parseDotenv(afterInit).DRIBBBLE_CLIENT_SECRET).toBe(secret);

    const TOKEN = 't'.repeat(40);
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer' })));
    try {
      const result = await runCli(['exchange', '--env-file', 'team.env', '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc'], { cwd: dir, env: cliEnv(dir) });
      expect(result.code, result.stderr).toBe(0);
      expect(new URLSearchParams(stub.requests[0]!.body).get('client_secret')).toBe(secret);
    } finally {
      await stub.close();
    }
    // Only the assignment dotenv uses (the last one) changed, its comment kept.
    const after = await readFile(join(dir, 'team.env'));
    expect(after.equals(Buffer.from(afterInit.toString('latin1').replace('=old #', `=${TOKEN} #`), 'latin1'))).toBe(true);
    const parsed = parseDotenv(after);
    expect(parsed.DRIBBBLE_ACCESS_TOKEN).toBe(TOKEN);
    expect(parsed.PEM).toBe('-----BEGIN KEY-----\nDRIBBBLE_ACCESS_TOKEN=not-a-real-line\n-----END KEY-----');
    expect(await leftovers(dir)).toEqual([]);
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

  it('eight processes saving different keys into one file at once lose none of them, and a reader polling it meanwhile never sees a partial file', async () => {
    const path = join(dir, '.env');
    const stopFile = join(dir, 'stop-reading');
    const filler = Array.from({ length: 4000 }, (_v, i) => `FILLER_${i}=${'x'.repeat(40)}`).join('\n');
    await writeFile(path, `${filler}\nEND=1\n`);
    // Reads until told to stop (after the saves), not for a fixed time; killed, or after 60 s, if
    // the test fails first (a reader left spinning took a core from every later test).
    const reader = spawn(process.execPath, ['-e', `
      const fs = require('fs'); let bad = 0, reads = 0; console.log('reading'); const until = Date.now() + 60000;
      while (!fs.existsSync(${JSON.stringify(stopFile)}) && Date.now() < until) { let t = ''; try { t = fs.readFileSync(${JSON.stringify(path)}, 'utf8'); } catch { continue; } reads++; if (!t.includes('END=1\\n') || !t.startsWith('FILLER_0=')) bad++; }
      console.log(JSON.stringify({ bad, reads }));
    `]);
    let out = '';
    reader.stdout.on('data', (d) => (out += d));
    const done = new Promise((r) => reader.on('close', r));
    const keys = Array.from({ length: 8 }, (_v, i) => `KEY_${i}`);
    try {
      while (!out.includes('reading')) await new Promise((r) => setTimeout(r, 10));
      expect(await Promise.all(keys.map((key) => saver(path, key)))).toEqual(keys.map(() => 0));
      await writeFile(stopFile, '');
      await done;
    } finally {
      reader.kill();
    }
    const { bad, reads } = JSON.parse(out.split('\n')[1]!) as { bad: number; reads: number };
    expect(reads).toBeGreaterThan(100);
    expect(bad).toBe(0);
    const parsed = parseDotenv(await readFile(path));
    for (const key of keys) expect(parsed[key]).toBe(`value-of-${key}`);
    expect(parsed.END).toBe('1');
    expect(await leftovers(dir)).toEqual([]);
  });
});

// Issue 14 F6: an env file that is a FIFO blocked in open() until SIGKILL (Ctrl-C and SIGTERM were
// caught by handlers that never ran). Every path to an env file goes through the user-file gate;
// --env-file and a profile's file are shown in process (test/unit/usage-errors.test.ts).
describe('an env file that is not a regular file', () => {
  it('.env a symlink to a FIFO (whoami): exit 2 at once, naming it as the default env file', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await symlink(join(dir, 'fifo'), join(dir, '.env'));
    const started = Date.now();
    const result = await runCli(['whoami', '--api-url', 'http://127.0.0.1:9'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [unreadable_env_file]');
    expect(result.stderr).toContain('it is not a regular file (a named pipe), so it was not read');
    expect(result.stderr).toContain('the default env file of this folder');
    expect(result.stderr).not.toContain('--env-file)');
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
