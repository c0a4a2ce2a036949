// Issue class 7: --timeout is a deadline for the whole request, the browser wait has a flag of its
// own, and a huge answer stops being read (exit 5, memory bounded), for each command. What the flags
// accept and each refusal's message are unit tests (deadline-flags, answer-reader, answer-refusals).
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
      // Bytes keep coming within any idle timeout; only a deadline for the whole request stops it.
      const result = await runCli(args(stub.origin, ['--timeout', '700']), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain('error [timeout]');
      expect(result.stderr).toContain('Waited 700 ms in all');
      expect(result.stderr).toContain(`${stub.origin}/oauth/token`);
    } finally {
      for (const t of timers) clearInterval(t);
      await stub.close();
    }
  });

  it('authorize --help shows --callback-timeout for the browser wait, apart from --timeout', async () => {
    const help = await runCli(['authorize', '--help'], { cwd: dir, env: env() });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/--callback-timeout\s+How long to wait for the browser/);
    expect(help.stdout).toMatch(/--timeout\s+Deadline for each request/);
    // A common flag authorize does not read is not offered (it still parses, with a warning).
    expect(help.stdout).not.toMatch(/^\s+--code\b/m);
    expect(help.stdout).toMatch(/^\s+--client-id\b/m);
  });
});

// 809 bytes of brotli that decode to 1 GiB of spaces (quality 5, window 24).
const BROTLI_BOMB = Buffer.from(
  'z///fwAkQOKxQHLv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8AEgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5//8PgARAHBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft//v//AyABEIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8AEgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5//8PgARAHBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft//v//AyABEIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8AEgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/z8=',
  'base64',
);

/** The CLI with its own peak RSS reported on exit (process.resourceUsage().maxRSS, in KB). */
async function runMeasured(cliArgs: string[], childEnv: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; stdout: string; maxRssMb: number; exitedAt: number }> {
  const probe = join(dir, 'rss.cjs');
  await writeFile(probe, "process.on('exit', () => require('fs').writeSync(2, '\\n__maxrss=' + process.resourceUsage().maxRSS + '\\n'));\n");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', probe, '--', CLI, ...cliArgs], { cwd: dir, env: childEnv });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ code, stderr, stdout, exitedAt: Date.now(), maxRssMb: Number(/__maxrss=(\d+)/.exec(stderr)?.[1]) / 1024 }));
  });
}

/** A server answering every request with these headers and body bytes; notes when it answered. */
async function startEncodedServer(headers: Record<string, string>, body: Buffer): Promise<Awaited<ReturnType<typeof startStubServer>> & { answeredAt: () => number }> {
  let answeredAt = 0;
  const stub = await startStubServer((_q, res) => {
    answeredAt = Date.now();
    res.on('error', () => undefined);
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers }).end(body);
  });
  return { ...stub, answeredAt: () => answeredAt };
}

describe('response size cap (one answer reader for every command)', () => {
  it('whoami: a 200 MB answer from the API stops being read: exit 5 quickly, peak memory under 200 MB', async () => {
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
    try {
      const started = Date.now();
      const result = await runMeasured(['whoami', '--api-url', `${stub.origin}/v2`], cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'Whoami-t0ken-0123456789abcdefghijkl' }));
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [response_too_large]');
      expect(result.stderr).toContain('larger than 1 MiB');
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.maxRssMb).toBeLessThan(200);
    } finally {
      await stub.close();
    }
  });

  it('exchange: a 809-byte brotli answer that decodes to 1 GiB: exit 5 within 5 s of the answer, peak RSS under 300 MB', async () => {
    const stub = await startEncodedServer({ 'Content-Encoding': 'br' }, BROTLI_BOMB);
    try {
      const result = await runMeasured(args(stub.origin), env());
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [response_too_large]');
      expect(result.stderr).toContain('larger than 1 MiB once decoded (Content-Encoding: br)');
      expect(result.exitedAt - stub.answeredAt()).toBeLessThan(5_000);
      expect(result.maxRssMb).toBeLessThan(300);
    } finally {
      await stub.close();
    }
  });
});
