// parseFlags and its helpers, in process: every malformed command line is exit 2 naming the flag.
import { Readable } from 'node:stream';
import { fc, test } from '../support/property.js';
import { afterEach, describe, expect, vi } from 'vitest';
import yargsParser from 'yargs-parser';
import { attachDashValues, commonFlagsExcept, describeFlagFailure, flagKey, ignoredFlagWarnings, MAX_TIMER_MS, parseFlags, parseWholeNumber, readStdin, secretFlagValues, tokenFlags } from '../../scripts/lib/cli/cli-flags.js';
import { assertTlsVerificationOn, consentToInsecureTls } from '../../scripts/lib/core/tls-verification.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { maskSecret } from '../../scripts/lib/core/redaction.js';

async function refused(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('no error thrown');
}

// Warnings about secrets on the command line go to stderr; keep the test output quiet.
vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

describe('parseWholeNumber', () => {
  test('a whole number within the range is returned as a number', () => {
    expect(parseWholeNumber('0', 'port', 0, 65535, '8737')).toBe(0);
    expect(parseWholeNumber('65535', 'port', 0, 65535, '8737')).toBe(65535);
    expect(parseWholeNumber(' 42 ', 'port', 0, 65535, '8737')).toBe(42);
    expect(parseWholeNumber(7, 'runs', 1, 100, '5')).toBe(7);
  });

  test.each([['-1'], ['abc'], ['99999'], ['1.5'], [''], ['1e3'], ['0x10'], ['65536']])('"%s" for a port is exit 2 quoting it and naming the range', (raw) => {
    const run = () => parseWholeNumber(raw, 'port', 0, 65535, '8737');
    expect(run).toThrow(UsageError);
    expect(run).toThrow(`--port must be a whole number from 0 to 65535, such as 8737 (got "${raw}").`);
  });

  test('the error code is named for the flag, and the unit is part of the sentence', () => {
    try {
      parseWholeNumber('0', 'callback-timeout', 1, 10, '5', ' of milliseconds');
    } catch (error) {
      expect((error as UsageError).code).toBe('invalid_callback_timeout');
      expect((error as UsageError).message).toBe('--callback-timeout must be a whole number of milliseconds from 1 to 10, such as 5 (got "0").');
    }
    expect.assertions(2);
  });

  test.prop([fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })])('a number is accepted exactly when it is within [min, max]', (n, a, b) => {
    const [min, max] = a <= b ? [a, b] : [b, a];
    const run = () => parseWholeNumber(String(n), 'n', min, max, '1');
    if (n >= min && n <= max) expect(run()).toBe(n);
    else expect(run).toThrow(UsageError);
  });
});

describe('attachDashValues', () => {
  const options = { code: { type: 'string' as const }, json: { type: 'boolean' as const }, 'client-secret': { type: 'string' as const } };

  test('a string flag followed by a value starting with "-" gets it as its value', () => {
    expect(attachDashValues(['--code', '-Xy_z'], options)).toEqual(['--code=-Xy_z']);
    expect(attachDashValues(['--client-secret', '-', '--json'], options)).toEqual(['--client-secret=-', '--json']);
    expect(attachDashValues(['--code', '-abc', '--json', 'x'], options)).toEqual(['--code=-abc', '--json', 'x']);
  });

  test('in every spelling yargs takes for the flag, the same: --clientSecret, --client-Secret, --CLIENT-SECRET -x… get their value and stay flags after --code', () => {
    for (const spelling of ['--clientSecret', '--client-Secret', '--CLIENT-SECRET']) {
      expect(attachDashValues([spelling, '-xSECRET-value'], options)).toEqual([`${spelling}=-xSECRET-value`]);
      expect(attachDashValues(['--code', spelling, 'v'], options)).toEqual(['--code', spelling, 'v']);
    }
    expect(attachDashValues(['--code', '--no-clientSecret'], options)).toEqual(['--code', '--no-clientSecret']);
    // yargs files --CODE apart from --code (no dash, no camel-casing): not our flag either way.
    expect(attachDashValues(['--CODE', '-x'], options)).toEqual(['--CODE', '-x']);
    expect(attachDashValues(['--code', '--CODE'], options)).toEqual(['--code=--CODE']);
  });

  test('after "--" nothing is attached: every word there is an argument as given', () => {
    expect(attachDashValues(['--code', 'c', '--', '--clientSecret', '-e.json'], options)).toEqual(['--code', 'c', '--', '--clientSecret', '-e.json']);
    expect(attachDashValues(['--code', '--', '-x'], options)).toEqual(['--code', '--', '-x']);
  });

  test.prop([fc.stringMatching(/^[a-zA-Z][a-zA-Z-]{0,10}[a-zA-Z]$/).filter((name) => !/^no-/i.test(name) && !name.includes('--'))])('flagKey is the key yargs files the flag under, whatever its case and dashes', (name) => {
    expect(yargsParser([`--${name}=v`])[flagKey(name)]).toBe('v');
  });

  test('our own flags, "--", -h and --help after a string flag stay flags', () => {
    expect(attachDashValues(['--code', '--json'], options)).toEqual(['--code', '--json']);
    expect(attachDashValues(['--code', '--no-json'], options)).toEqual(['--code', '--no-json']);
    expect(attachDashValues(['--code', '--json=false'], options)).toEqual(['--code', '--json=false']);
    expect(attachDashValues(['--code', '--'], options)).toEqual(['--code', '--']);
    expect(attachDashValues(['--code', '-h'], options)).toEqual(['--code', '-h']);
    expect(attachDashValues(['--code', '--help'], options)).toEqual(['--code', '--help']);
  });

  test('only string flags written without "=" take a dash value; booleans and plain values do not', () => {
    expect(attachDashValues(['--json', '-x'], options)).toEqual(['--json', '-x']);
    expect(attachDashValues(['--code=a', '-x'], options)).toEqual(['--code=a', '-x']);
    expect(attachDashValues(['--code', 'plain', '-x'], options)).toEqual(['--code', 'plain', '-x']);
    expect(attachDashValues(['--unknown', '-x'], options)).toEqual(['--unknown', '-x']);
    expect(attachDashValues(['-c', '-x'], options)).toEqual(['-c', '-x']);
    expect(attachDashValues(['--code'], options)).toEqual(['--code']);
  });

  test('a value that merely contains one of our flags, or names a flag we do not have, is still a value', () => {
    expect(attachDashValues(['--code', '-x--json'], options)).toEqual(['--code=-x--json']);
    expect(attachDashValues(['--code', '--not-ours'], options)).toEqual(['--code=--not-ours']);
  });

  test('an argument that does not start with "--" takes no value, even when it ends in a flag name', () => {
    expect(attachDashValues(['xxcode', '-y'], options)).toEqual(['xxcode', '-y']);
    expect(attachDashValues(['a-code', '-y'], options)).toEqual(['a-code', '-y']);
  });

  test.prop([fc.stringMatching(/^-[A-Za-z0-9_-]{1,30}$/).filter((v) => !/^--(no-)?(code|json|client-secret|help)(=|$)/.test(v) && v !== '--' && v !== '-h')])(
    'any code starting with "-" reaches --code as it was given',
    (code) => {
      expect(attachDashValues(['--code', code], options)).toEqual([`--code=${code}`]);
    },
  );
});

describe('parseFlags', () => {
  test('defaults and values: booleans default as documented, strings stay strings', async () => {
    const flags = await parseFlags(['--code', '0123456789', '--client-id', '007'], 'exchange', 'd');
    expect(flags).toMatchObject({ code: '0123456789', clientId: '007', json: false, save: true, open: true, showToken: false });
    expect(flags.timeout).toBeUndefined();
    expect((await parseFlags(['--no-save', '--json', '--no-open', '--show-token'], 'x', 'd')).save).toBe(false);
  });

  test('a code starting with "-" is taken as the value of --code', async () => {
    expect((await parseFlags(['--code', '-Xyz'], 'exchange', 'd')).code).toBe('-Xyz');
  });

  test('a flag given twice: the last one wins', async () => {
    expect((await parseFlags(['--scope', 'a', '--scope', 'b'], 'x', 'd')).scope).toBe('b');
  });

  test('--timeout is a whole number of milliseconds up to what a Node timer holds', async () => {
    expect((await parseFlags(['--timeout', '1500'], 'x', 'd')).timeout).toBe(1500);
    expect((await parseFlags(['--timeout', String(MAX_TIMER_MS)], 'x', 'd')).timeout).toBe(MAX_TIMER_MS);
    expect((await refused(() => parseFlags(['--timeout', String(MAX_TIMER_MS + 1)], 'x', 'd'))).code).toBe('invalid_timeout');
    expect((await refused(() => parseFlags(['--timeout', 'abc'], 'x', 'd'))).message).toContain('(got "abc")');
    expect((await refused(() => parseFlags(['--timeout', '0'], 'x', 'd'))).message).toBe(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, such as 30000 (got "0").`);
  });

  // O20: a stray argument (`exchange --code X stray`) was silently ignored.
  test('a stray argument on a command that takes no files is exit 2 naming it', async () => {
    const error = await refused(() => parseFlags(['--code', 'X', 'stray'], 'exchange', 'd', tokenFlags('p')));
    expect(error.code).toBe('invalid_flags');
    expect(error.message).toContain('stray');
    expect(error.message).toMatch(/Run with --help to see the flags\.$/);
  });

  test('a command that takes files accepts positional arguments, but still no unknown flag', async () => {
    const flags = await parseFlags<{ _: string[] }>(['a.json', 'b.json'], 'sanitize', 'd', { check: { type: 'boolean', default: false } }, { takesFiles: true });
    expect(flags._).toEqual(['a.json', 'b.json']);
    expect((await refused(() => parseFlags(['a.json', '--nope'], 'sanitize', 'd', {}, { takesFiles: true }))).message).toContain('nope');
  });

  test('an unknown flag is exit 2', async () => {
    expect((await refused(() => parseFlags(['--client-idd', 'x'], 'exchange', 'd'))).message).toMatch(/client-idd/);
  });

  test.each([['--no-code'], ['--no-client-id'], ['--no-oauth-url'], ['--no-env-file'], ['--no-client-secret'], ['--no-timeout']])('%s is exit 2: a string flag needs a value', async (flag) => {
    const name = flag.slice(5);
    const error = await refused(() => parseFlags(['--client-id', 'i', flag], 'exchange', 'd'));
    expect(error.code).toBe('invalid_flags');
    expect(error.message).toBe(`--${name} needs a value (got --no-${name}). Pass --${name} VALUE, or leave the flag out.`);
  });

  test.each([[['--code.x=1']], [['--client-secret.a.b', 'x']]])('%j is exit 2: no objects from dotted flags', async (args) => {
    const error = await refused(() => parseFlags(args, 'exchange', 'd'));
    expect(error.code).toBe('invalid_flags');
  });

  test('a string flag at the end with nothing after it is an empty value, which resolution counts as unset', async () => {
    expect((await parseFlags(['--code'], 'exchange', 'd')).code).toBe('');
  });

  describe('a secret flag given as "-" reads standard input', () => {
    const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    const pipeIn = (chunks: string[], isTTY?: boolean) => Object.defineProperty(process, 'stdin', { configurable: true, value: Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { isTTY }) });
    afterEach(() => Object.defineProperty(process, 'stdin', realStdin));

    test('one line, its newline dropped, in the flag and its spelling with a dash', async () => {
      pipeIn(['s3cret-', 'from-stdin\r\n']);
      const flags = (await parseFlags(['--client-secret', '-'], 'exchange', 'd')) as unknown as Record<string, unknown>;
      expect(flags.clientSecret).toBe('s3cret-from-stdin');
      expect(flags['client-secret']).toBe('s3cret-from-stdin');
      pipeIn(['the-code']);
      expect((await parseFlags(['--code', '-'], 'exchange', 'd')).code).toBe('the-code');
    });

    test.each([
      [['', '\n'], 'nothing'],
      [['  \n'], 'nothing'],
      [['a\nb\n'], 'more than one line'],
      [['a\rb'], 'more than one line'],
    ])('%j is exit 2: "read %s"', async (chunks, what) => {
      pipeIn(chunks);
      const error = await refused(() => parseFlags(['--code', '-'], 'exchange', 'd'));
      expect(error.code).toBe('invalid_stdin');
      expect(error.message).toBe(`--code - read ${what} from standard input. Pipe exactly the value, one line.`);
    });

    test('too much on standard input is exit 2 naming the flag that read it', async () => {
      pipeIn(['x'.repeat(70 * 1024)]);
      const error = await refused(() => parseFlags(['--code', '-'], 'exchange', 'd'));
      expect(error.code).toBe('invalid_stdin');
      expect(error.message).toMatch(/^--code - read more than 65536 bytes/);
    });

    test('a terminal is refused, not waited on', async () => {
      pipeIn([], true);
      const error = await refused(() => parseFlags(['--client-secret', '-'], 'exchange', 'd'));
      expect(error.code).toBe('stdin_is_terminal');
    });
  });

  test('only one secret flag may read standard input', async () => {
    const error = await refused(() => parseFlags(['--client-secret', '-', '--code', '-'], 'exchange', 'd'));
    expect(error.code).toBe('invalid_flags');
    expect(error.message).toBe('Only one flag can read standard input, but --client-secret and --code are both "-". Put the other in .env or the environment.');
  });

  test('a secret given on the command line warns where it leaks, naming the variable to use instead', async () => {
    const write = vi.mocked(process.stderr.write);
    write.mockClear();
    await parseFlags(['--client-secret', 'sss'], 'exchange', 'd');
    expect(String(write.mock.calls[0]?.[0])).toBe(
      'warning: --client-secret on the command line is visible in your shell history, to "ps", and in npm\'s logs (~/.npm/_logs) when run through npm run or npx; keep it in .env or DRIBBBLE_CLIENT_SECRET, or pass --client-secret - and pipe it on stdin.\n',
    );
    write.mockClear();
    await parseFlags(['--code', '   '], 'exchange', 'd');
    await parseFlags(['--client-id', 'not-secret'], 'exchange', 'd');
    expect(write).not.toHaveBeenCalled();
  });

  // Audit: `authorize --code X` waited for a callback as if no code were given; `mock --client-id
  // mine` served the demo app; neither said a word.
  test('a common flag the command does not read: still accepted, one warning naming it (and what to do instead, where known)', async () => {
    const write = vi.mocked(process.stderr.write);
    write.mockClear();
    const flags = await parseFlags(['--code', 'abc', '--no-open'], 'authorize', 'd', {}, { ignores: ['code', 'save'] });
    expect(flags.code).toBeUndefined();
    expect(flags.open).toBe(false);
    const lines = write.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('no effect'));
    expect(lines).toEqual(['warning: --code has no effect on authorize (authorize takes the code from the callback; to exchange a code or callback URL you have, run exchange --code); it is ignored.\n']);
  });
});

// Audit: `whoami --client-secret <secret>` said "ignored" and nothing of the secret now in the shell history.
test('a secret given to a command that ignores it still warns where it leaks, before it is dropped; "-" (stdin, never read) does not', async () => {
  const write = vi.mocked(process.stderr.write);
  write.mockClear();
  await parseFlags(['--client-secret', 'sss', '--code', '-'], 'whoami', 'd', {}, { ignores: ['client-secret', 'code'] });
  const lines = write.mock.calls.map((c) => String(c[0]));
  expect(lines.filter((l) => l.includes('shell history'))).toEqual([expect.stringMatching(/^warning: --client-secret on the command line is visible in your shell history/)]);
  expect(lines.filter((l) => l.includes('no effect'))).toHaveLength(2);
});

describe('an ignored flag is never read', () => {
  // Audit: `whoami --oauth-url nope` warned "ignored", then failed on nope; `generate --code -` read stdin.
  test('its value is dropped before any check, stdin read or config lookup: the command sees its default', async () => {
    const flags = await parseFlags(['--timeout', 'abc', '--code', '-', '--oauth-url', 'nope', '--no-save', '--env-file', 'y'], 'init', 'd', {}, { ignores: ['timeout', 'code', 'oauth-url', 'save', 'env-file'] });
    expect(flags).toMatchObject({ timeout: undefined, code: undefined, oauthUrl: undefined, save: true, envFile: undefined });
    expect((flags as unknown as Record<string, unknown>)['oauth-url']).toBeUndefined();
  });

  test('a flag the command reads keeps its checks', async () => {
    expect((await refused(() => parseFlags(['--timeout', 'abc'], 'init', 'd', {}, { ignores: ['code'] }))).code).toBe('invalid_timeout');
  });
});

describe('ignoredFlagWarnings', () => {
  test('the other spellings yargs also takes (--clientId, --SHOW-TOKEN) are the same flag', () => {
    expect(ignoredFlagWarnings(['--clientId', 'mine', '--SHOW-TOKEN'], 'whoami', ['client-id', 'show-token'])).toEqual([
      'warning: --client-id has no effect on whoami; it is ignored.',
      'warning: --show-token has no effect on whoami; it is ignored.',
    ]);
  });

  test('finds a flag in every spelling: --flag value, --flag=value, --no-flag; not after "--"', () => {
    expect(ignoredFlagWarnings(['--client-id', 'x', '--scope=public', '--no-save', '--', '--open'], 'whoami', ['client-id', 'scope', 'save', 'open'])).toEqual([
      'warning: --client-id has no effect on whoami; it is ignored.',
      'warning: --scope has no effect on whoami; it is ignored.',
      'warning: --save has no effect on whoami; it is ignored.',
    ]);
  });

  test('a value that holds "--name" is not that flag', () => {
    expect(ignoredFlagWarnings(['--title', 'a--code', '--api-url=http://x/--open'], 'upload', ['code', 'open'])).toEqual([]);
  });

  test('nothing given, or only flags the command reads: no warning; the command word alone is named', () => {
    expect(ignoredFlagWarnings([], 'mock', ['client-id'])).toEqual([]);
    expect(ignoredFlagWarnings(['--json', '--redirect-uri', 'http://x/cb', '--client-idx'], 'mock', ['client-id'])).toEqual([]);
    expect(ignoredFlagWarnings(['--client-id', 'mine'], 'mock', ['client-id'])).toEqual([
      'warning: --client-id has no effect on mock (the mock serves its demo app only, whose credentials it prints (--redirect-uri adds a callback URL to it)); it is ignored.',
    ]);
    expect(ignoredFlagWarnings(['--open'], 'api <request>', ['open'])).toEqual(['warning: --open has no effect on api; it is ignored.']);
  });

  test('commonFlagsExcept: every common flag but those named', () => {
    const all = commonFlagsExcept();
    expect(all).toHaveLength(16);
    expect(commonFlagsExcept('json', 'profile')).toEqual(all.filter((n) => n !== 'json' && n !== 'profile'));
  });
});

describe('tokenFlags', () => {
  test('tokenFlags: --export-environment is a string, --pkce a boolean on by default', async () => {
    const extra = tokenFlags('pkce text');
    expect(extra.pkce).toMatchObject({ type: 'boolean', default: true, describe: 'pkce text' });
    expect(extra['export-environment']).toMatchObject({ type: 'string' });
    // The help tells how the exported file is protected: private mode, and never into git.
    expect(extra['export-environment']!.describe).toMatch(/0600.*refused if git tracks it/);
    const flags = await parseFlags<{ pkce: boolean; exportEnvironment?: string }>(['--no-pkce', '--export-environment', 'e.json'], 'exchange', 'd', extra);
    expect(flags.pkce).toBe(false);
    expect(flags.exportEnvironment).toBe('e.json');
  });
});

describe('readStdin', () => {
  test('text chunks (a stream with an encoding set) read the same as bytes', async () => {
    expect(await readStdin('--code', Readable.from(['s3cret', '-text\n'], { objectMode: true }))).toBe('s3cret-text');
  });

  test('only the one final line break is dropped; one inside stays for the caller to refuse', async () => {
    expect(await readStdin('--code', Readable.from([Buffer.from('a\nb\n')]))).toBe('a\nb');
  });

  test('a stream without destroy() past the cap is still exit 2, not a crash', async () => {
    const bare = { async *[Symbol.asyncIterator]() { yield Buffer.alloc(10); } } as unknown as NodeJS.ReadableStream;
    const error = await refused(() => readStdin('--code', bare, 5));
    expect(error.code).toBe('invalid_stdin');
  });
});

describe('--allow-insecure-tls', () => {
  afterEach(() => consentToInsecureTls(false));
  const tlsOff = { NODE_TLS_REJECT_UNAUTHORIZED: '0' };

  test('parsing the flags records the consent exactly when --allow-insecure-tls is given', async () => {
    await parseFlags([], 'x', 'd');
    expect(() => assertTlsVerificationOn(tlsOff)).toThrow(UsageError);
    await parseFlags(['--allow-insecure-tls'], 'x', 'd');
    // With consent it only warns, straight to fd 2 (a line in the test output).
    expect(() => assertTlsVerificationOn(tlsOff)).not.toThrow();
    await parseFlags(['--no-allow-insecure-tls'], 'x', 'd');
    expect(() => assertTlsVerificationOn(tlsOff)).toThrow(UsageError);
  });
});

describe('a word outside any flag (a code or callback URL pasted without --code)', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.~-]{11,60}$/);

  test.prop([word, fc.constantFrom('exchange', 'whoami', 'api')], { numRuns: 40 })('is exit 2 naming it masked, never in full', async (secret, command) => {
    const error = await refused(() => parseFlags(['--no-save', secret], command, 'd'));
    expect(error.message).toContain('Unknown argument: "');
    expect(error.message).not.toContain(secret);
    expect(error.message).toContain('--code');
  });

  test('a pasted callback URL: its code is not printed; an unknown flag is still named as given', async () => {
    const code = 'Zx9-callback-code-0123456789abcdef';
    const pasted = await refused(() => parseFlags([`http://127.0.0.1:9/cb?state=s&code=${code}`], 'exchange', 'd'));
    expect(pasted.message).not.toContain(code);
    expect(pasted.message).toContain('Unknown argument: "http…');
    const flag = await refused(() => parseFlags(['--client-idd', 'x'], 'exchange', 'd'));
    expect(flag.message).toContain('Unknown arguments: client-idd, clientIdd Run with --help');
  });
});

describe('a secret flag is known before any check quotes a value', () => {
  test('--client-secret S --timeout S: the refusal of --timeout, as printed, does not show S', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const secret = 'S3cr3t-pasted-twice-0123456789abcdef';
    const error = await refused(() => parseFlags(['--client-secret', secret, '--timeout', secret], 'exchange', 'd'));
    expect(error.code).toBe('invalid_timeout');
    expect(redact(error.message)).not.toContain(secret);
  });
});

// Audit: a line yargs refuses (an unknown flag) lost the shell-history warning, and of `--code X
// --code -` only the last value counted: X was neither warned of nor masked.
describe('every secret on the command line is warned of and masked, before yargs reads the line', () => {
  test('a refused line (an unknown flag) still warns of the secret in it, and its refusal does not show it', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const write = vi.mocked(process.stderr.write);
    write.mockClear();
    const secret = 'abcdefghijklmnop1234';
    const error = await refused(() => parseFlags(['--client-secret', secret, '--bogus', secret], 'whoami', 'd', {}, { ignores: ['client-secret'] }));
    expect(error.code).toBe('invalid_flags');
    expect(write.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('shell history'))).toHaveLength(1);
    expect(redact(`${error.message} ${secret}`)).not.toContain(secret);
  });

  test('a secret flag given twice: the first value is warned of and masked too, though "-" (stdin) wins', async () => {
    const { redact } = await import('../../scripts/lib/core/redaction.js');
    const write = vi.mocked(process.stderr.write);
    write.mockClear();
    const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { configurable: true, value: Readable.from([Buffer.from('from-stdin-code-0123456789')]) });
    const first = 'first-code-0123456789abcdef';
    try {
      expect((await parseFlags(['--code', first, '--code', '-'], 'exchange', 'd')).code).toBe('from-stdin-code-0123456789');
    } finally {
      Object.defineProperty(process, 'stdin', realStdin);
    }
    expect(write.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('warning: --code on the command line'))).toHaveLength(1);
    expect(redact(first)).not.toContain(first);
  });

  test.each<[string[], Array<{ name: string; value: string }>]>([
    [['--client-secret', 's1', '--code=c1', '--clientSecret', 's2'], [{ name: 'client-secret', value: 's1' }, { name: 'code', value: 'c1' }, { name: 'client-secret', value: 's2' }]],
    [['--code', '-', '--client-secret', '--json', '--code', '  '], []],
    [['--code=-x', '--', '--code', 'after'], [{ name: 'code', value: '-x' }]],
    // Not the flag: a word that merely holds it, a longer flag name.
    [['--title', 'a--code=x1', 'b--client-secret', 'x2', '--codes=x3', '--code-x', 'x4'], []],
    // Every spelling yargs takes for the flag (audit: --CLIENT-SECRET was taken, but not warned of); not --CODE, which it refuses.
    [['--CLIENT-SECRET', 's1', '--client-Secret=s2', '--CODE', 'c1'], [{ name: 'client-secret', value: 's1' }, { name: 'client-secret', value: 's2' }]],
  ])('secretFlagValues(%j)', (argv, expected) => {
    expect(secretFlagValues(argv)).toEqual(expected);
  });
});

describe('describeFlagFailure: which listed words are masked', () => {
  test('a word of exactly 12 characters is masked, one of 11 is shown, a long unknown flag name is shown, and the list keeps its commas', () => {
    const message = describeFlagFailure('Unknown arguments: abcdefghijkl, abcdefghijk, client-secretx-long', ['abcdefghijkl', 'abcdefghijk', '--client-secretx-long', 'x']);
    expect(message).toBe('Unknown arguments: "ab…", abcdefghijk, client-secretx-long (a long word outside any flag is shown masked: it may be a code or a secret; give a code with --code or in .env, a callback URL with --code too).');
  });

  // Second audit: `exchange --client_secret -Zq9…` listed every character of the secret.
  test('a long word starting with "-", which yargs lists letter by letter, is listed whole and masked; a short one is not taken for a secret', () => {
    const secret = '-Zq9SECRETvalue1234567890abcd';
    const message = describeFlagFailure(`Unknown arguments: client_secret, ${[...new Set(secret.slice(1))].join(', ')}`, ['--client_secret', secret]);
    expect(message).toBe(`Unknown arguments: client_secret, "${maskSecret(secret)}" (a long word outside any flag is shown masked: it may be a code or a secret; give a code with --code or in .env, a callback URL with --code too).`);
    for (const piece of ['SECRET', 'value123']) expect(message).not.toContain(piece);
    expect(describeFlagFailure('Unknown arguments: x, v, f', ['-xvf'])).toBe('Unknown arguments: x, v, f');
    // The same 12 characters as a plain word, the dash not counted: 11 after it are shown, 12 masked.
    expect(describeFlagFailure('Unknown arguments: a, b', ['-abababababa'])).toBe('Unknown arguments: a, b');
    expect(describeFlagFailure('Unknown arguments: a, b', ['-abababababab'])).toMatch(/^Unknown arguments: "-a…" \(/);
  });

  test('a word holding ", " (which yargs splits its list at) is masked by its long pieces', () => {
    const message = describeFlagFailure('Unknown argument: x, Zq9SECRETvalue1234567890abcd', ['x, Zq9SECRETvalue1234567890abcd']);
    expect(message).not.toContain('SECRETvalue');
    expect(message).toContain(`x, "${maskSecret('Zq9SECRETvalue1234567890abcd')}"`);
  });

  test('a message that is not about unknown words keeps its lines, each shown as user-given text', () => {
    expect(describeFlagFailure('Not enough arguments\nfollowing: http://u:p@host', ['http://u:p@host'])).toBe('Not enough arguments\nfollowing: http://***@host');
    expect(describeFlagFailure('Missing: x. Unknown argument: abcdefghijklmnop', ['abcdefghijklmnop'])).toBe('Missing: x. Unknown argument: abcdefghijklmnop');
  });
});
