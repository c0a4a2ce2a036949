// Issue class 7: --timeout is a deadline for the whole request, a timer's limits are refused, the
// browser wait has a flag of its own, and a huge answer stops being read (exit 5, memory bounded).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
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

// F2, F10: the cap counts decoded bytes, and a body that cannot be decoded or framed is exit 5.
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

describe('the size cap counts decoded bytes (one answer reader)', () => {
  it('a 809-byte brotli answer that decodes to 1 GiB: exit 5 within 5 s of the answer, peak RSS under 300 MB', async () => {
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

  it.each([
    ['gzip', () => gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 })],
    ['deflate', () => deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 })],
    ['deflate', () => deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 })],
  ])('a %s answer that decodes past 1 MiB is exit 5 (response_too_large)', async (encoding, make) => {
    const stub = await startEncodedServer({ 'Content-Encoding': encoding }, make());
    try {
      const result = await runMeasured(args(stub.origin), env());
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain(`larger than 1 MiB once decoded (Content-Encoding: ${encoding})`);
      expect(result.maxRssMb).toBeLessThan(300);
    } finally {
      await stub.close();
    }
  });

  it('whoami reads through the same reader: the brotli bomb from the API is exit 5, memory bounded', async () => {
    const stub = await startEncodedServer({ 'Content-Encoding': 'br' }, BROTLI_BOMB);
    try {
      const result = await runMeasured(['whoami', '--api-url', `${stub.origin}/v2`], cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'Whoami-t0ken-0123456789abcdefghijkl' }));
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [response_too_large]');
      expect(result.exitedAt - stub.answeredAt()).toBeLessThan(5_000);
      expect(result.maxRssMb).toBeLessThan(300);
    } finally {
      await stub.close();
    }
  });

  it('an encoded token answer within the cap is read as usual, decoded (gzip, br, deflate)', async () => {
    for (const [encoding, encode] of [['gzip', gzipSync], ['br', brotliCompressSync], ['deflate', deflateSync]] as const) {
      const body = encode(Buffer.from(JSON.stringify({ access_token: 'Enc0ded-t0ken-0123456789abcdefghij', token_type: 'bearer', scope: 'public' })));
      const stub = await startEncodedServer({ 'Content-Encoding': encoding }, body);
      try {
        const result = await runCli(args(stub.origin, ['--json']), { cwd: dir, env: env() });
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout).access_token).toBe('Enc0ded-t0ken-0123456789abcdefghij');
      } finally {
        await stub.close();
      }
    }
  });
});

describe('an answer that cannot be decoded or framed is a protocol error (exit 5), not a network one', () => {
  it('Content-Encoding: gzip on a plain body: exit 5 bad_encoding, the body not echoed', async () => {
    const stub = await startEncodedServer({ 'Content-Encoding': 'gzip' }, Buffer.from('{"access_token":"Plain-t0ken-0123456789abcdefghijkl"}'));
    try {
      const result = await runCli(args(stub.origin), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [bad_encoding]');
      expect(result.stderr).toContain('could not be decoded');
      expect(result.stderr).not.toContain('Plain-t0ken');
      expect(result.stderr).not.toContain('run the command again');
    } finally {
      await stub.close();
    }
  });

  it('an unknown Content-Encoding (compress) is exit 5 bad_encoding', async () => {
    const stub = await startEncodedServer({ 'Content-Encoding': 'compress' }, Buffer.from('x'));
    try {
      const result = await runCli(args(stub.origin), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('encoding the tool does not read');
    } finally {
      await stub.close();
    }
  });

  it('a bad chunk size: exit 5 malformed_http', async () => {
    const stub = await startStubServer((_q, res) => {
      res.socket!.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n');
    });
    try {
      const result = await runCli(args(stub.origin), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [malformed_http]');
      expect(result.stderr).toContain('HPE_INVALID_CHUNK_SIZE');
    } finally {
      await stub.close();
    }
  });
});
