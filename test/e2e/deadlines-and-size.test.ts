// Issue class 7: --timeout is a deadline for the whole request, a timer's limits are refused, the
// browser wait has a flag of its own, and a huge answer stops being read (exit 5, memory bounded).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});

const args = (origin: string, extra: string[] = []) => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${origin}/oauth`, '--code', 'abc', '--no-save', ...extra];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Deadline-s3cret-0123456789abcdefghij' });

describe('--timeout is a total deadline', () => {
  it('a server dripping a byte every 200 ms is cut off at the deadline: exit 4 naming the wait', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const stub = await startStubServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"access_token":"');
      const timer = setInterval(() => res.write('a'), 200);
      timers.add(timer);
      setTimeout(() => {
        clearInterval(timer);
        res.end('","token_type":"Bearer"}');
      }, 20_000).unref();
    });
    try {
      const result = await runCli(args(stub.origin, ['--timeout', '1500']), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain('error [timeout]');
      expect(result.stderr).toContain('Waited 1500 ms in all');
      expect(result.stderr).toContain(`${stub.origin}/oauth/token`);
    } finally {
      for (const t of timers) clearInterval(t);
      await stub.close();
    }
  });

  it.each([
    ['--timeout', '2147483648'],
    ['--timeout', '0'],
    ['--timeout', '1e3'],
  ])('%s %s is exit 2 naming the range a timer can hold', async (flag, value) => {
    const result = await runCli(args('http://127.0.0.1:9', [flag, value]), { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--timeout must be a whole number of milliseconds from 1 to 2147483647, such as 30000 (got "${value}")`);
  });

  it('authorize has --callback-timeout for the browser wait, apart from --timeout; both refuse 2^31', async () => {
    const base = ['authorize', '--no-open', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', 'http://127.0.0.1:9/oauth'];
    const refused = await runCli([...base, '--callback-timeout', '2147483648'], { cwd: dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--callback-timeout must be a whole number of milliseconds from 1 to 2147483647');
    const help = await runCli(['authorize', '--help'], { cwd: dir, env: env() });
    expect(help.stdout).toMatch(/--callback-timeout\s+How long to wait for the browser/);
    expect(help.stdout).toMatch(/--timeout\s+Deadline for each request/);
  });
});

describe('response size cap', () => {
  it('a 200 MB answer stops being read: exit 5 quickly, peak memory under 200 MB', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const stub = await startStubServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const pump = () => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const probe = join(dir, 'rss.cjs');
    await writeFile(probe, "process.on('exit', () => require('fs').writeSync(2, '\\n__maxrss=' + process.resourceUsage().maxRSS + '\\n'));\n");
    try {
      const started = Date.now();
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--require', probe, '--', CLI, ...args(stub.origin)], { cwd: dir, env: env() });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [response_too_large]');
      expect(result.stderr).toContain('larger than 1 MiB');
      expect(Date.now() - started).toBeLessThan(15_000);
      const maxRssKb = Number(/__maxrss=(\d+)/.exec(result.stderr)?.[1]);
      expect(maxRssKb / 1024).toBeLessThan(200);
    } finally {
      await stub.close();
    }
  });
});
