// Standard streams as a whole run sees them (issue 14): an endless stdin for a secret flag is exit
// 2 within seconds (F11: `yes |` reached 4 GB); a stdout that cannot be written (`>/dev/full`)
// drops the output but not the work: the token is saved and the exit code is the work's (F13).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv, makeTempDir, startStubServer } from './helpers.js';

const TOKEN = 'e'.repeat(48);
const SECRET = 'Streams-s3cret-0123456789abcdefghijk';
let stub: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer' })));
});
afterAll(() => stub.close());
beforeEach(async () => {
  dir = await makeTempDir();
  stub.requests.length = 0;
});

const exchangeArgs = (extra: string[]) => ['--', CLI, 'exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`, ...extra];

function exitOf(child: import('node:child_process').ChildProcess): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stderr })));
}

describe('stdin for a secret flag', () => {
  it('`yes | exchange --client-secret -`: exit 2 within 5 s, nothing sent (F11)', async () => {
    const yes = spawn('yes', [], { stdio: ['ignore', 'pipe', 'ignore'] });
    const cli = spawn(process.execPath, exchangeArgs(['--client-secret', '-', '--code', 'abc']), { cwd: dir, env: cliEnv(dir), stdio: [yes.stdout!, 'ignore', 'pipe'] });
    const started = Date.now();
    const result = await exitOf(cli);
    yes.kill();
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error [invalid_stdin]: --client-secret - read more than 65536 bytes from standard input');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('a stdout that cannot be written', () => {
  it('`exchange --json >/dev/full`: the token is saved, exit 0, one warning line, no stack (F13)', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const cli = spawn(process.execPath, exchangeArgs(['--code', 'abc', '--json']), { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: SECRET }), stdio: ['ignore', full, 'pipe'] });
      const result = await exitOf(cli);
      expect(result.code, result.stderr).toBe(0);
      expect(parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN).toBe(TOKEN);
      expect(result.stderr).toContain('warning: could not write to standard output (ENOSPC); the rest of the output was dropped.');
      expect(result.stderr).not.toMatch(/internal_error|\n\s+at |ENOSPC: no space/);
      expect(result.stderr).not.toContain(TOKEN);
    } finally {
      closeSync(full);
    }
  });
});
