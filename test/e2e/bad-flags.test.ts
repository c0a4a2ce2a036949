// Issue class 9: every bad flag is exit 2 with one paragraph, never a stack trace; a closed stdout
// stops output quietly after the work is done; init honours the variables its message names.
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});

function expectUsageError(result: { code: number; stderr: string }): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at |TypeError|is not a function/);
  expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('error ['))).toHaveLength(1);
}

// Each malformed flag is checked in process (test/unit/cli-flags.test.ts); here one of each kind
// shows the whole command turning it into exit 2 with one paragraph.
describe('malformed flags', () => {
  it.each(['--no-code', '--code.x=1', '--code X stray'])('exchange %s is exit 2', async (flags) => {
    expectUsageError(await runCli(['exchange', '--client-id', 'i', '--redirect-uri', 'http://127.0.0.1:9/cb', ...flags.split(' ')], { cwd: dir, env: cliEnv(dir) }));
  });

  it.each([['99999']])('mock --port %s is exit 2 naming the range', async (port) => {
    const result = await runCli(['mock', '--port', port], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(result);
    expect(result.stderr).toContain(`--port must be a whole number from 0 to 65535, such as 8737 (got "${port}")`);
  });

  it.each([
    ['--runs', 'abc'],
    ['--warmup', '-1'],
  ])('bench %s %s is exit 2, not NaN', async (flag, value) => {
    const result = await runCli(['bench', flag, value], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(result);
    expect(result.stdout + result.stderr).not.toContain('NaN');
  });
});

describe('an unreadable default .env', () => {
  it('names the file as the default, not "(from --env-file)"', async () => {
    await mkdir(join(dir, '.env'));
    const result = await runCli(['whoami'], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(result);
    expect(result.stderr).not.toContain('--env-file)');
    expect(result.stderr).toContain('the default env file of this folder: it is a folder');
  });
});

describe('a closed stdout', () => {
  function runWithClosedStdout(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--', CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone, as with `| head -0`
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('demo | true: exits 0 quietly, no EPIPE trace', async () => {
    const result = await runWithClosedStdout(['demo'], cliEnv(dir));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('exchange ... | head -1: the token is still saved, exit 0, no trace', async () => {
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'e'.repeat(40), token_type: 'Bearer' })));
    try {
      const result = await runWithClosedStdout(['exchange', '--client-id', 'i', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`], cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'x'.repeat(20), DRIBBBLE_CODE: 'abc' }));
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(parseDotenv(await readFile(join(dir, '.env'))).DRIBBBLE_ACCESS_TOKEN).toBe('e'.repeat(40));
    } finally {
      await stub.close();
    }
  });
});

describe('non-interactive init', () => {
  it('takes client id, secret and callback URL from the DRIBBBLE_* variables its message names', async () => {
    const missing = await runCli(['init'], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(missing);
    expect(missing.stderr).toContain('DRIBBBLE_REDIRECT_URI');
    const result = await runCli(['init'], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_ID: 'env-id', DRIBBBLE_CLIENT_SECRET: 'env-secret-0123456789', DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:8738/cb' }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(parseDotenv(await readFile(join(dir, '.env')))).toMatchObject({ DRIBBBLE_CLIENT_ID: 'env-id', DRIBBBLE_CLIENT_SECRET: 'env-secret-0123456789', DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:8738/cb' });
  });
});

describe('no user mistake is exit 1', () => {
  let stub: Awaited<ReturnType<typeof startStubServer>>;
  beforeAll(async () => {
    stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  });
  afterAll(() => stub.close());
  it.each([
    [['exchange', '--code', '']],
    [['exchange', '--code', '   ']],
    [['exchange', '--code', 'has space']],
    [['exchange', '--redirect-uri', 'ftp://x']],
    [['exchange', '--oauth-url', 'not a url']],
    [['exchange', '--environment', '/nonexistent.json']],
    [['exchange', '--env-file', '/nonexistent/.env']],
    [['whoami', '--api-url', 'javascript:alert(1)']],
    [['init', '--redirect-uri', 'nope']],
    [['nonsense']],
    [['exchange', '--client-secret', '-', '--code', '-']],
  ])('%j', async (args) => {
    const result = await runCli(args, { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_ID: 'i', DRIBBBLE_CLIENT_SECRET: 's'.repeat(20), DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:9/cb', DRIBBBLE_OAUTH_URL: `${stub.origin}/oauth` }) });
    expectUsageError(result);
  });
});
