// Every user mistake the e2e suite once spawned the CLI for, one module call each: each is a usage
// error (exit 2), never exit 1. The e2e suite keeps one run per path that turns it into exit 2.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseFlags, parseWholeNumber, tokenFlags, type CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { resolveConfig } from '../../scripts/lib/config/config-resolution.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { parseCallbackInput } from '../../scripts/lib/oauth/callback-input.js';
import { requireCallbackUrl } from '../../scripts/lib/oauth/app-registration.js';
import { checkExchangeInputs } from '../../scripts/lib/oauth/token-exchange.js';

const dir = mkdtempSync(join(tmpdir(), 'usage-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flags = (more: Partial<CommonFlags> = {}): CommonFlags => ({ json: false, save: true, open: true, showToken: false, allowInsecureTls: false, ...more });
const ENV = { DRIBBBLE_CLIENT_ID: 'i', DRIBBBLE_CLIENT_SECRET: 's'.repeat(20), DRIBBBLE_REDIRECT_URI: 'http://127.0.0.1:9/cb', DRIBBBLE_OAUTH_URL: 'http://127.0.0.1:9/oauth' };

async function usageError(run: () => unknown): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('no error thrown');
}

// exchange resolves its inputs, checks them, then reads the code: the same calls, in that order.
const exchangeInputs = (more: Partial<CommonFlags>) => () => {
  const config = resolveConfig(flags({ envFile: join(dir, 'missing-ok.env'), ...more }), ENV, { envFileMayBeMissing: true });
  checkExchangeInputs(config, { needsCode: true });
  parseCallbackInput(config.values.code!, '--code');
};

describe('no user mistake is exit 1', () => {
  test.each([
    ['exchange --code ""', { code: '' }, 'missing_code'],
    ['exchange --code "   "', { code: '   ' }, 'missing_code'],
    ['exchange --code "has space"', { code: 'has space' }, 'malformed_code'],
    ['exchange --redirect-uri ftp://x', { code: 'abc', redirectUri: 'ftp://x' }, 'invalid_redirect_uri'],
    ['exchange --oauth-url "not a url"', { code: 'abc', oauthUrl: 'not a url' }, 'invalid_oauth_base_url'],
    ['exchange --oauth-url ending in ?x=1', { code: 'abc', oauthUrl: 'http://127.0.0.1:9/oauth?x=1' }, 'invalid_oauth_base_url'],
    ['exchange --oauth-url ending in #f', { code: 'abc', oauthUrl: 'http://127.0.0.1:9/oauth#f' }, 'invalid_oauth_base_url'],
    ['exchange --oauth-url ending in ?', { code: 'abc', oauthUrl: 'http://127.0.0.1:9/oauth?' }, 'invalid_oauth_base_url'],
    ['exchange --environment /nonexistent.json', { code: 'abc', environment: '/nonexistent.json' }, 'invalid_environment'],
    ['whoami --api-url javascript:alert(1)', { apiUrl: 'javascript:alert(1)' }, 'invalid_api_base_url'],
  ] as const)('%s', async (_what, more, code) => {
    expect((await usageError(exchangeInputs(more))).code).toBe(code);
  });

  test('a base URL with a query or fragment names the reason', async () => {
    expect((await usageError(exchangeInputs({ code: 'abc', oauthUrl: 'http://127.0.0.1:9/oauth?x=1' }))).message).toContain('has a query or fragment');
  });

  test('exchange --env-file /nonexistent/.env', async () => {
    expect((await usageError(() => resolveConfig(flags({ envFile: '/nonexistent/.env' }), ENV))).code).toBe('unreadable_env_file');
  });

  test('init --redirect-uri nope', async () => {
    expect((await usageError(() => requireCallbackUrl('nope'))).code).toBe('invalid_redirect_uri');
  });

  test('exchange --client-secret - --code -: only one flag reads standard input', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await usageError(() => parseFlags(['--client-secret', '-', '--code', '-'], 'exchange', 'd', tokenFlags('p')))).code).toBe('invalid_flags');
    } finally {
      vi.restoreAllMocks();
    }
  });

  test('mock --port 99999 names the range', async () => {
    // mock.ts: parseWholeNumber(flags.port, 'port', 0, 65535, String(MOCK_DEFAULT_PORT))
    expect((await usageError(() => parseWholeNumber('99999', 'port', 0, 65535, '8737'))).message).toContain('--port must be a whole number from 0 to 65535, such as 8737 (got "99999")');
  });

  test.each([
    ['runs', 'abc', 1, 1000, '15'],
    ['warmup', '-1', 0, 100, '2'],
  ] as const)('bench --%s %s is exit 2, not NaN', async (flag, value, min, max, example) => {
    // bench.ts parses --runs and --warmup with these ranges.
    const error = await usageError(() => parseWholeNumber(value, flag, min, max, example));
    expect(error.message).toContain(`(got "${value}")`);
    expect(error.message).not.toContain('NaN');
  });
});

describe('an env file that is not a regular file (F6, F13)', () => {
  // path.resolve reads process.cwd(): the default .env and a profile's .env.NAME are this folder's.
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(dir, 'cwd-'));
    vi.spyOn(process, 'cwd').mockReturnValue(cwd);
  });
  afterEach(() => vi.restoreAllMocks());

  test('a default .env that is a folder is named as the default, not "(from --env-file)"', async () => {
    mkdirSync(join(cwd, '.env'));
    const error = await usageError(() => resolveConfig(flags(), {}));
    expect(error.code).toBe('unreadable_env_file');
    expect(error.message).toContain('the default env file of this folder: it is a folder');
    expect(error.message).not.toContain('--env-file)');
  });

  test.each([
    ['a profile\'s env file a FIFO', { profile: 'x' }, '.env.x'],
    ['.env a symlink to a FIFO', {}, '.env'],
    ['--env-file a FIFO', { envFile: 'pipe' }, 'pipe'],
  ] as const)('%s: exit 2 at once, naming it', async (_what, more, name) => {
    execFileSync('mkfifo', [join(cwd, 'fifo')]);
    symlinkSync(join(cwd, 'fifo'), join(cwd, name));
    const error = await usageError(() => resolveConfig(flags(more), {}));
    expect(error.code).toBe('unreadable_env_file');
    expect(error.message).toContain('it is not a regular file (a named pipe), so it was not read');
  });
});
