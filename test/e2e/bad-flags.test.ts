// Issue class 9: every user mistake is exit 2 with one paragraph, never a stack trace; a closed
// stdout stops output quietly after the work is done. Each mistake is checked in process
// (test/unit/usage-errors.test.ts, cli-flags.test.ts, config-resolution.test.ts); here one run per
// path that turns a usage error into exit 2: flag parsing before the command, a command's own flag
// check (mock), the command table, and a check inside a running command.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

describe('no user mistake is exit 1', () => {
  let stub: Awaited<ReturnType<typeof startStubServer>>;
  beforeAll(async () => {
    stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  });
  afterAll(() => stub.close());

  it('a malformed flag (exchange --code.x=1), refused by flag parsing before the command runs', async () => {
    expectUsageError(await runCli(['exchange', '--client-id', 'i', '--redirect-uri', 'http://127.0.0.1:9/cb', '--code.x=1'], { cwd: dir, env: cliEnv(dir) }));
  });

  // Audit: a deleted working folder died in yargs with a stack trace (exit 1); generate --root at a
  // folder that does not exist called every generated file stale.
  it('started in a folder since deleted, and generate --root naming no folder: exit 2, one paragraph each', async () => {
    const gone = join(dir, 'gone');
    await mkdir(gone);
    const child = spawn(process.execPath, ['--', CLI, 'whoami', '--json'], { cwd: gone, env: cliEnv(dir) });
    await rm(gone, { recursive: true });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    expectUsageError({ code, stderr });
    expect(stderr).toContain('error [no_working_folder]');
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'no_working_folder', exitCode: 2 } });
    // Missing, or under a file (ENOTDIR, once an internal error with a stack).
    await writeFile(join(dir, 'plain'), 'x');
    for (const path of [join(dir, 'nowhere'), join(dir, 'plain', 'x')]) {
      const root = await runCli(['generate', '--check', '--root', path], { cwd: dir, env: cliEnv(dir) });
      expectUsageError(root);
      expect(root.stderr).toContain('is not a folder');
    }
    // An unset $VAR in a script: --root "" must not mean this package.
    const empty = await runCli(['generate', '--check', '--root', ''], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(empty);
    expect(empty.stderr).toContain('--root "" is not a folder');
  });

  it('mock --port 99999, refused by mock\'s own flag check, naming the range', async () => {
    const result = await runCli(['mock', '--port', '99999'], { cwd: dir, env: cliEnv(dir) });
    expectUsageError(result);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535, such as 8737 (got "99999")');
  });

  it('an unknown command', async () => {
    expectUsageError(await runCli(['nonsense'], { cwd: dir, env: cliEnv(dir) }));
  });

  it('a base URL with a query, refused inside the running command before any request', async () => {
    const result = await runCli(['exchange', '--oauth-url', `${stub.origin}/oauth?x=1`, '--code', 'abc'], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_ID: 'i', DRIBBBLE_CLIENT_SECRET: 's'.repeat(20), DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:9/cb' }),
    });
    expectUsageError(result);
    expect(result.stderr).toContain('has a query or fragment');
    expect(stub.requests).toHaveLength(0);
  });
});

describe('a closed stdout', () => {
  it('exchange ... | head -0: the token is still saved, exit 0, no EPIPE trace', async () => {
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'e'.repeat(40), token_type: 'Bearer' })));
    try {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--', CLI, 'exchange', '--client-id', 'i', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`], {
          cwd: dir,
          env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'x'.repeat(20), DRIBBBLE_CODE: 'abc' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.destroy(); // the reader is gone, as with `| head -0`
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(parseDotenv(await readFile(join(dir, '.env'))).DRIBBBLE_ACCESS_TOKEN).toBe('e'.repeat(40));
    } finally {
      await stub.close();
    }
  });
});
