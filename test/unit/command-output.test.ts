// How commands talk: exit codes from the error family, one JSON object under --json, secrets and
// terminal controls never printed raw.
import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { createOutput, maskInCi, printJson, reportFailure, runCommand, writeStderr, writeStdout } from '../../scripts/lib/cli/command-output.js';
import { NetworkError, ProtocolError, ServerRefusedError, TokenNotSavedError, UsageError } from '../../scripts/lib/core/errors.js';
import { registerSecret } from '../../scripts/lib/core/redaction.js';

let out: MockInstance;
let err: MockInstance;
const stdout = () => out.mock.calls.map((c) => String(c[0])).join('');
const stderr = () => err.mock.calls.map((c) => String(c[0])).join('');
const SECRET = 'command-output-secret-0123456789';
registerSecret(SECRET);

beforeEach(() => {
  out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.stubEnv('GITHUB_ACTIONS', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

describe('reportFailure', () => {
  test.each([
    [new UsageError('bad_input', 'm'), 2],
    [new ServerRefusedError('invalid_grant', 'm'), 3],
    [new NetworkError('timeout', 'm'), 4],
    [new ProtocolError('not_json', 'm'), 5],
    [new TokenNotSavedError('save_failed', 'm'), 6],
  ])('%s sets its exit code and prints one "error [code]: message" line on stderr', (error, exitCode) => {
    reportFailure(error, false);
    expect(process.exitCode).toBe(exitCode);
    expect(stderr()).toBe(`error [${error.code}]: m\n`);
    expect(stdout()).toBe('');
  });

  test('anything else is a bug: exit 1, "internal_error", with the stack to report', () => {
    reportFailure(new TypeError('boom'), false);
    expect(process.exitCode).toBe(1);
    expect(stderr()).toMatch(/^error \[internal_error\]: Unexpected internal error, which is a bug: TypeError: boom\n\s+at /);
    err.mockClear();
    reportFailure('a string', false);
    expect(stderr()).toBe('error [internal_error]: Unexpected internal error, which is a bug: a string\n');
    err.mockClear();
    const noStack = new Error('plain');
    noStack.stack = undefined;
    reportFailure(noStack, false);
    expect(stderr()).toBe('error [internal_error]: Unexpected internal error, which is a bug: plain\n');
  });

  test('under --json, stdout holds exactly one object {ok:false, error:{code, exitCode, message}}', () => {
    reportFailure(new ServerRefusedError('invalid_grant', 'refused'), true);
    expect(JSON.parse(stdout())).toEqual({ ok: false, error: { code: 'invalid_grant', exitCode: 3, message: 'refused' } });
    expect(stdout().endsWith('}\n')).toBe(true);
    expect(stderr()).toBe('error [invalid_grant]: refused\n');
  });

  test('a secret in a message is masked on stderr and in the JSON; controls are escaped on stderr', () => {
    reportFailure(new UsageError('x', `got ${SECRET}\u001b[2J and ${encodeURIComponent(SECRET)}`), true);
    expect(stderr()).toBe('error [x]: got comm…6789\\e[2J and comm…6789\n');
    expect(JSON.parse(stdout()).error.message).toBe('got comm…6789\u001b[2J and comm…6789');
    expect(stdout()).not.toContain('\u001b');
  });

  test('without --json nothing reaches stdout', () => {
    reportFailure(new UsageError('x', 'y'), false);
    expect(out).not.toHaveBeenCalled();
  });
});

describe('runCommand', () => {
  test('success is exit 0; under --json the result is printed with ok:true, without "revealed"', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    await runCommand(true, async () => ({ token: 'tok', revealed: ['revealed-secret'] }));
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(stdout())).toEqual({ ok: true, token: 'tok' });
    expect(stderr()).toBe('::add-mask::revealed-secret\n');
  });

  test('a body that returns nothing prints {ok:true} under --json and nothing otherwise', async () => {
    await runCommand(true, async () => undefined);
    expect(stdout()).toBe('{"ok":true}\n');
    out.mockClear();
    await runCommand(false, async () => ({ a: 1 }));
    expect(stdout()).toBe('');
    expect(process.exitCode).toBe(0);
  });

  test('a thrown error is reported with its exit code', async () => {
    await runCommand(false, async () => {
      throw new NetworkError('timeout', 'slow');
    });
    expect(process.exitCode).toBe(4);
    expect(stderr()).toBe('error [timeout]: slow\n');
  });
});

describe('createOutput', () => {
  test('human lines go to stdout, redacted and made safe; our newlines stay', () => {
    const o = createOutput(false);
    expect(o.json).toBe(false);
    o.line(`token ${SECRET}\nnext\u0007`);
    o.line();
    expect(stdout()).toBe('token comm…6789\nnext\\u0007\n\n');
    expect(stderr()).toBe('');
  });

  test('under --json human lines go to stderr, so stdout stays one JSON object', () => {
    const o = createOutput(true);
    expect(o.json).toBe(true);
    o.line('hello');
    expect(stderr()).toBe('hello\n');
    expect(stdout()).toBe('');
  });

  test('reveal prints the secret in full, terminal-safe, after masking it in GitHub Actions', () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    createOutput(false).reveal(`token ${SECRET}\u001b`, SECRET);
    expect(stdout()).toBe(`token ${SECRET}\\e\n`);
    expect(stderr()).toBe(`::add-mask::${SECRET}\n`);
  });
});

describe('maskInCi and printJson', () => {
  test('only in GitHub Actions, only a one-line non-empty secret', () => {
    maskInCi('s1');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    maskInCi('');
    maskInCi('two\nlines');
    maskInCi('one\rline');
    maskInCi('s2');
    expect(stderr()).toBe('::add-mask::s2\n');
  });

  test('printJson with no revealed secrets asks GitHub Actions to mask nothing', () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    printJson({ a: 1 });
    expect(stdout()).toBe('{"a":1}\n');
    expect(stderr()).toBe('');
  });

  test('printJson escapes C1 controls and line separators, keeping the same JSON value', () => {
    printJson({ m: 'a\u0085b\u2028c' });
    expect(stdout()).toBe('{"m":"a\\u0085b\\u2028c"}\n');
    expect(JSON.parse(stdout())).toEqual({ m: 'a\u0085b\u2028c' });
  });
});
// Stream failures (EPIPE, ENOSPC, EIO) are in command-output-streams.test.ts.
