// resolveConfig and its checks: precedence, profiles, literal values, base URLs, missing inputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fc, test } from '../support/property.js';
import { afterAll, afterEach, describe, expect, vi } from 'vitest';
import type { CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { redact } from '../../scripts/lib/core/redaction.js';
import {
  assertLiteral,
  describeSource,
  envFilePathFor,
  normalizeOrigin,
  requireHttpUrl,
  requireValue,
  requireValues,
  resolveConfig,
  selectedProfile,
  type ResolvedConfig,
} from '../../scripts/lib/config/config-resolution.js';

const dir = mkdtempSync(join(tmpdir(), 'config-resolution-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(text: string): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, text);
  return path;
}
function environmentFile(values: unknown[]): string {
  return file(JSON.stringify({ name: 'x', values }));
}
const flags = (more: Partial<CommonFlags> = {}): CommonFlags => ({ json: false, save: true, open: true, showToken: false, allowInsecureTls: false, ...more });
function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('no error thrown');
}

describe('precedence: flag, process environment, env file, Postman environment, default', () => {
  const envFile = file('DRIBBBLE_CLIENT_ID=from-file\nDRIBBBLE_SCOPE=file-scope\nDRIBBBLE_REDIRECT_URI=http://127.0.0.1:1/file\n');
  const environment = environmentFile([
    { key: 'client_id', value: 'from-environment', enabled: true },
    { key: 'scope', value: 'env-scope' },
    { key: 'redirect_uri', value: 'http://127.0.0.1:1/environment' },
    { key: 'client_secret', value: 'secret-from-environment' },
  ]);

  test('each level wins over the ones after it, and each value remembers where it came from', () => {
    const config = resolveConfig(flags({ envFile, environment, clientId: 'from-flag' }), { DRIBBBLE_CLIENT_ID: 'from-process', DRIBBBLE_SCOPE: 'process-scope' });
    expect(config.values.client_id).toBe('from-flag');
    expect(config.sources.client_id).toEqual({ kind: 'flag', flag: 'client-id' });
    expect(config.values.scope).toBe('process-scope');
    expect(config.sources.scope).toEqual({ kind: 'process-env', name: 'DRIBBBLE_SCOPE' });
    expect(config.values.redirect_uri).toBe('http://127.0.0.1:1/file');
    expect(config.sources.redirect_uri).toEqual({ kind: 'env-file', name: 'DRIBBBLE_REDIRECT_URI', path: envFile });
    expect(config.values.client_secret).toBe('secret-from-environment');
    expect(config.sources.client_secret).toEqual({ kind: 'environment', key: 'client_secret', path: environment });
    expect(config.values.oauth_origin).toBe('https://dribbble.com');
    expect(config.sources.oauth_origin).toEqual({ kind: 'default' });
    expect(config.values.code).toBeUndefined();
    expect(config.sources.code).toBeUndefined();
    expect(config.envFilePath).toBe(resolve(envFile));
    expect(config.envFileExists).toBe(true);
  });

  test('an empty or blank value counts as unset at every level, so the next level is used', () => {
    const config = resolveConfig(flags({ envFile: file('DRIBBBLE_CLIENT_ID=\nDRIBBBLE_SCOPE=  \n'), environment, clientId: ' ' }), { DRIBBBLE_CLIENT_ID: '' });
    expect(config.values.client_id).toBe('from-environment');
    expect(config.values.scope).toBe('env-scope');
  });

  test('values are trimmed', () => {
    const config = resolveConfig(flags({ envFile: file(''), clientId: '  id  ' }), {});
    expect(config.values.client_id).toBe('id');
  });

  test('a secret resolved from any level is registered for redaction', () => {
    resolveConfig(flags({ envFile: file('DRIBBBLE_CLIENT_SECRET=env-file-secret-123456789\n') }), {});
    expect(redact('x env-file-secret-123456789 y')).toBe('x env-…6789 y');
  });

  // O04: a disabled row of a Postman environment was used.
  test('a disabled row of a Postman environment (enabled: false) is never used', () => {
    const disabled = environmentFile([
      { key: 'client_id', value: 'disabled-id', enabled: false },
      { key: 'client_secret', value: 'disabled-secret', enabled: false },
      { key: 'scope', value: 'enabled-scope', enabled: true },
    ]);
    const config = resolveConfig(flags({ envFile: file(''), environment: disabled }), {});
    expect(config.values.client_id).toBeUndefined();
    expect(config.values.client_secret).toBeUndefined();
    expect(config.values.scope).toBe('enabled-scope');
  });

  test('rows of a Postman environment that are not string pairs are skipped', () => {
    const odd = environmentFile([null, { key: 'client_id', value: 7 }, { key: 3, value: 'x' }, { value: 'no key' }, { key: 'scope', value: 'ok' }]);
    const config = resolveConfig(flags({ envFile: file(''), environment: odd }), {});
    expect(config.values.client_id).toBeUndefined();
    expect(config.values.scope).toBe('ok');
  });

  test('a Postman environment that is not JSON, or has no values list, is refused naming --environment', () => {
    expect(usageError(() => resolveConfig(flags({ envFile: file(''), environment: file('{not json') }), {})).message).toMatch(/^Cannot read the Postman environment .* \(from --environment\): .*Pass a file exported from Postman/);
    // A byte-order mark before the JSON (as sanitize accepts it): read, not refused.
    const withBom = file(`\ufeff${JSON.stringify({ name: 'x', values: [{ key: 'client_id', value: 'from-a-bom-file', enabled: true }] })}`);
    expect(resolveConfig(flags({ envFile: file(''), environment: withBom }), {}).values.client_id).toBe('from-a-bom-file');
    // A broken export that holds a secret: V8's complaint quotes the text around the fault; the message does not.
    const secret = 'S3cr3t-environment-0123456789abcdef';
    const broken = usageError(() => resolveConfig(flags({ envFile: file(''), environment: file(`{"values":[{"key":"client_secret","value":"${secret}"},]}`) }), {}));
    expect(broken.message).toContain('(text not shown)');
    expect(broken.message).not.toMatch(/3cr3t|0123|cdef/);
    const noValues = usageError(() => resolveConfig(flags({ envFile: file(''), environment: file('{"name":"x"}') }), {}));
    expect(noValues.code).toBe('invalid_environment');
    expect(noValues.message).toMatch(/has no "values" list/);
    expect(usageError(() => resolveConfig(flags({ envFile: file(''), environment: file('null') }), {})).message).toMatch(/has no "values" list/);
    expect(usageError(() => resolveConfig(flags({ envFile: file(''), environment: join(dir, 'missing.json') }), {})).code).toBe('invalid_environment');
  });

  test('a Postman environment that cannot be read says why, once, naming --environment and what to pass', () => {
    const missing = join(dir, 'missing-environment.json');
    const error = usageError(() => resolveConfig(flags({ envFile: file(''), environment: missing }), {}));
    expect(error.message).toBe(`Cannot read the Postman environment ${missing} (from --environment): it does not exist. Pass a file exported from Postman, such as environments/mock.postman_environment.json.`);
    expect(usageError(() => resolveConfig(flags({ envFile: file(''), environment: file('{not json') }), {})).code).toBe('invalid_environment');
  });

  test('a missing env file named by --env-file is an error, unless the command creates it', () => {
    const missing = join(dir, 'missing.env');
    expect(usageError(() => resolveConfig(flags({ envFile: missing }), {})).message).toContain('(from --env-file)');
    const config = resolveConfig(flags({ envFile: missing }), {}, { envFileMayBeMissing: true });
    expect(config.envFileExists).toBe(false);
    expect(config.envFilePath).toBe(missing);
  });
});

describe('the env file of the working directory (.env, or .env.NAME for a profile)', () => {
  // path.resolve reads process.cwd() on each call; worker threads cannot chdir, so the folder is stubbed.
  afterEach(() => vi.restoreAllMocks());
  function inFolder(): string {
    const folder = mkdtempSync(join(dir, 'cwd-'));
    vi.spyOn(process, 'cwd').mockReturnValue(folder);
    return folder;
  }

  test('a missing .env is no error: nothing named it, and it is where the token will be saved', () => {
    const folder = inFolder();
    const config = resolveConfig(flags(), {});
    expect(config.envFileExists).toBe(false);
    expect(config.envFilePath).toBe(join(folder, '.env'));
  });

  test('a value from .env or a profile\'s .env.NAME names that file as its source', () => {
    const folder = inFolder();
    writeFileSync(join(folder, '.env'), 'DRIBBBLE_CLIENT_ID=from-dot-env\n');
    writeFileSync(join(folder, '.env.staging'), 'DRIBBBLE_CLIENT_ID=from-staging\n');
    expect(resolveConfig(flags(), {}).sources.client_id).toEqual({ kind: 'env-file', name: 'DRIBBBLE_CLIENT_ID', path: '.env' });
    const staging = resolveConfig(flags({ profile: 'staging' }), {});
    expect(staging.values.client_id).toBe('from-staging');
    expect(staging.sources.client_id).toEqual({ kind: 'env-file', name: 'DRIBBBLE_CLIENT_ID', path: '.env.staging' });
  });

  test('a profile env file that is not a regular file is refused, saying to make it one or list the profiles', () => {
    mkdirSync(join(inFolder(), '.env.staging'));
    expect(usageError(() => resolveConfig(flags({ profile: 'staging' }), {})).message).toMatch(/it is a folder, not a file\. Make it a regular file, or list the profiles with "npm run profiles"\.$/);
  });

  test('a .env that is not a regular file is refused, saying how to fix it or name another file', () => {
    mkdirSync(join(inFolder(), '.env'));
    const error = usageError(() => resolveConfig(flags(), {}));
    expect(error.code).toBe('unreadable_env_file');
    expect(error.message).toMatch(/^Cannot read .*\.env, the default env file of this folder: it is a folder, not a file\. Fix it \(for example "chmod 600 \.env" as its owner; \.env must be a regular file\), or name another file with --env-file PATH\.$/);
  });
});

describe('what each value is read from', () => {
  test('a variable with no environment name (state, code_verifier) is never read from the environment or an env file', () => {
    const config = resolveConfig(flags({ envFile: file('undefined=from-file\n') }), { undefined: 'from-process' });
    expect(config.values.state).toBeUndefined();
    expect(config.values.code_verifier).toBeUndefined();
  });

  test('a secret is registered for redaction as it is used (trimmed); a value that is not secret is not', () => {
    resolveConfig(flags({ envFile: file(''), clientSecret: '  flag-secret-abcdef-123456  ', clientId: 'plain-client-id-abcdef-123456' }), {});
    expect(redact('x flag-secret-abcdef-123456 y')).toBe('x flag…3456 y');
    expect(redact('x plain-client-id-abcdef-123456 y')).toBe('x plain-client-id-abcdef-123456 y');
  });

  test('a Postman environment exported before the rename still sets the base URL (oauth_base_url), and is named as its source', () => {
    const environment = environmentFile([{ key: 'oauth_base_url', value: 'https://old.example/oauth' }]);
    const config = resolveConfig(flags({ envFile: file(''), environment }), {});
    expect(config.values.oauth_origin).toBe('https://old.example');
    expect(config.sources.oauth_origin).toEqual({ kind: 'environment', key: 'oauth_base_url', path: environment });
  });

  test('a base URL is checked, and quoted in a refusal, without the blanks around it', () => {
    const error = usageError(() => resolveConfig(flags({ envFile: file(''), oauthUrl: '  ftp://x/  ' }), {}));
    expect(error.message).toBe('The OAuth base URL "ftp://x/" (from --oauth-url) is not an http:// or https:// URL. Set it to an origin such as https://dribbble.com.');
  });
});

describe('assertLiteral', () => {
  test('a value without "{{" passes', () => {
    expect(() => assertLiteral('abc{def}}', 'client ID', '--client-id')).not.toThrow();
    expect(() => assertLiteral('{ {', 'client ID', '--client-id')).not.toThrow();
  });

  // O02: a value merely containing "{{" was accepted.
  test.prop([fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })])('a value merely containing "{{" anywhere is refused, naming what and where', (before, after) => {
    const error = usageError(() => assertLiteral(`${before}{{${after}`, 'client ID', '--client-id'));
    expect(error.code).toBe('unsafe_value');
    expect(error.message).toMatch(/^The client ID from --client-id contains "\{\{"/);
  });

  test('resolveConfig refuses a value containing "{{" from any level, naming its source', () => {
    expect(usageError(() => resolveConfig(flags({ envFile: file(''), clientId: 'abc{{client_secret}}' }), {})).message).toMatch(/The client ID from --client-id contains/);
    expect(usageError(() => resolveConfig(flags({ envFile: file('DRIBBBLE_SCOPE=public {{x\n') }), {})).message).toMatch(/The scope from DRIBBBLE_SCOPE in .* contains/);
  });
});

describe('normalizeOrigin', () => {
  const norm = (raw: string) => normalizeOrigin(raw, 'OAuth base URL', '--oauth-url', 'https://dribbble.com', '/oauth');

  test('an origin, or the origin with the old /oauth path, comes back as the origin', () => {
    expect(norm('https://dribbble.com/oauth/')).toBe('https://dribbble.com');
    expect(norm('http://127.0.0.1:8737//')).toBe('http://127.0.0.1:8737');
    expect(norm('HTTP://Example.COM')).toBe('http://example.com');
    expect(usageError(() => norm('https://example.com/Path')).message).toContain('has the path "/Path"');
  });

  test('other schemes and non-URLs are refused with a code named for the variable', () => {
    const error = usageError(() => norm('ftp://x/'));
    expect(error.code).toBe('invalid_oauth_base_url');
    expect(error.message).toBe('The OAuth base URL "ftp://x/" (from --oauth-url) is not an http:// or https:// URL. Set it to an origin such as https://dribbble.com.');
    expect(usageError(() => norm('not a url')).message).toContain('is not an http:// or https:// URL');
  });

  // O03: "user@" in a base URL was accepted.
  test('a base URL carrying a user name or password is refused, and the credentials are not echoed', () => {
    for (const raw of ['https://alice@dribbble.com/oauth', 'https://alice:s3cret@dribbble.com/oauth', 'https://:s3cret@dribbble.com/oauth']) {
      const error = usageError(() => norm(raw));
      expect(error.message).toContain('carries a user name or password');
      expect(error.message).toContain('"https://***@dribbble.com/oauth"');
      expect(error.message).not.toMatch(/alice|s3cret/);
    }
  });

  test('a refusal quotes the value with what could be userinfo masked, even a "//...@" in its query (it may be a credential), and the rest as given', () => {
    expect(usageError(() => norm('https://x.test/?r=//me@x')).message).toContain('"https://x.test/?r=//***@x" (from --oauth-url) has a query or fragment');
    expect(usageError(() => norm('https://x.test/?r=1')).message).toContain('"https://x.test/?r=1" (from --oauth-url) has a query or fragment');
  });

  test('the error code is the name of the value in snake case, one "_" for each run of other characters', () => {
    expect(usageError(() => normalizeOrigin('ftp://x/', 'my  base URL', '--x', 'https://x.test', '/')).code).toBe('invalid_my_base_url');
  });

  test('a query or fragment is refused, even an empty one', () => {
    for (const raw of ['https://x.test/a?b=1', 'https://x.test/a#f', 'https://x.test/a?', 'https://x.test/a#']) {
      expect(usageError(() => norm(raw)).message).toContain('has a query or fragment');
    }
  });
});

describe('selectedProfile and envFilePathFor', () => {
  test('--profile wins over DRIBBBLE_PROFILE; an empty DRIBBBLE_PROFILE is none', () => {
    expect(selectedProfile(flags({ profile: 'a' }), { DRIBBBLE_PROFILE: 'b' })).toBe('a');
    expect(selectedProfile(flags(), { DRIBBBLE_PROFILE: 'b' })).toBe('b');
    expect(selectedProfile(flags(), { DRIBBBLE_PROFILE: '' })).toBeUndefined();
    expect(selectedProfile(flags(), {})).toBeUndefined();
  });

  test('a profile name is letters, digits, "-" and "_", up to 64, not starting with "-" or "_"', () => {
    expect(selectedProfile(flags({ profile: 'a'.repeat(64) }), {})).toBe('a'.repeat(64));
    expect(selectedProfile(flags({ profile: 'Stag_ing-2' }), {})).toBe('Stag_ing-2');
    for (const bad of ['a'.repeat(65), '-x', '_x', '../x', 'a b', 'a.b', 'x\n']) {
      const error = usageError(() => selectedProfile(flags({ profile: bad }), {}));
      expect(error.code).toBe('invalid_profile');
      expect(error.message).toContain('(from --profile)');
    }
    expect(usageError(() => selectedProfile(flags(), { DRIBBBLE_PROFILE: 'a/b' })).message).toContain('(from DRIBBBLE_PROFILE)');
  });

  test('a profile and --env-file together are refused; the profile "example" is taken', () => {
    expect(usageError(() => selectedProfile(flags({ profile: 'a', envFile: 'x' }), {})).message).toBe('--env-file and a profile (--profile) both name the env file: use one of them.');
    expect(usageError(() => selectedProfile(flags({ envFile: 'x' }), { DRIBBBLE_PROFILE: 'a' })).code).toBe('invalid_flags');
    expect(usageError(() => selectedProfile(flags({ profile: 'example' }), {})).code).toBe('invalid_profile');
    expect(usageError(() => selectedProfile(flags({ profile: 'example' }), {})).message).toBe('The profile name "example" is taken by .env.example, the committed template. Pick another name.');
  });

  test('the env file is --env-file, else the profile\'s .env.NAME, else .env, as an absolute path', () => {
    expect(envFilePathFor(flags({ envFile: 'x/y.env' }), {})).toBe(resolve('x/y.env'));
    expect(envFilePathFor(flags(), { DRIBBBLE_PROFILE: 'staging' })).toBe(resolve('.env.staging'));
    expect(envFilePathFor(flags(), {})).toBe(resolve('.env'));
  });

  test('a missing profile env file names the profile and how to create it', () => {
    const error = usageError(() => resolveConfig(flags({ profile: 'no-such-profile-xyz' }), {}));
    expect(error.message).toContain('the env file of the profile "no-such-profile-xyz"');
    expect(error.message).toContain('npm run init -- --profile no-such-profile-xyz');
  });
});

describe('describeSource', () => {
  test('names each kind of input the way a user sets it', () => {
    expect(describeSource({ kind: 'flag', flag: 'code' })).toBe('--code');
    expect(describeSource({ kind: 'process-env', name: 'DRIBBBLE_CODE' })).toBe('DRIBBBLE_CODE (process environment)');
    expect(describeSource({ kind: 'env-file', name: 'DRIBBBLE_CODE', path: '.env' })).toBe('DRIBBBLE_CODE in .env');
    expect(describeSource({ kind: 'environment', key: 'code', path: 'e.json' })).toBe('"code" in e.json');
    expect(describeSource({ kind: 'default' })).toBe('the default');
    expect(describeSource(undefined)).toBe('the default');
  });
});

describe('requireValue, requireValues, requireHttpUrl', () => {
  const config = (values: ResolvedConfig['values'], sources: ResolvedConfig['sources'] = {}): ResolvedConfig => ({ values, sources, envFilePath: '.env', envFileExists: false });

  test('a present value is returned; a missing one names the flag and variable to set, and a hint', () => {
    expect(requireValue(config({ client_id: 'x' }), 'client_id')).toBe('x');
    const error = usageError(() => requireValue(config({}), 'client_id'));
    expect(error.code).toBe('missing_client_id');
    expect(error.message).toBe('Missing client ID: pass --client-id or DRIBBBLE_CLIENT_ID (in the environment or in .env). Run "npm run init" to write it into .env.');
    expect(usageError(() => requireValue(config({}), 'state', 'Authorize first.')).message).toBe('Missing state: pass the Postman variable state (in the environment or in .env). Authorize first.');
  });

  test('several missing values are named at once, each hint once', () => {
    expect(() => requireValues(config({ client_id: 'a', client_secret: 'b' }), ['client_id', 'client_secret'])).not.toThrow();
    expect(usageError(() => requireValues(config({ client_id: 'a' }), ['client_id', 'code'], { code: 'Authorize.' })).message).toBe(
      'Missing authorization code: pass --code or DRIBBBLE_CODE (in the environment or in .env). Authorize.',
    );
    const error = usageError(() => requireValues(config({}), ['client_id', 'client_secret', 'code'], { code: 'Authorize first.' }));
    expect(error.code).toBe('missing_inputs');
    expect(error.message).toBe(
      'Missing client ID (--client-id or DRIBBBLE_CLIENT_ID), client secret (--client-secret or DRIBBBLE_CLIENT_SECRET) and authorization code (--code or DRIBBBLE_CODE): pass each as the flag or variable named, in the environment or in .env. Run "npm run init" to write them into .env. Authorize first.',
    );
  });

  test('requireHttpUrl accepts http(s) and refuses anything else, naming where it came from', () => {
    expect(requireHttpUrl(config({ redirect_uri: 'http://127.0.0.1:8738/cb' }), 'redirect_uri').port).toBe('8738');
    expect(requireHttpUrl(config({ redirect_uri: 'https://app.example/cb' }), 'redirect_uri').host).toBe('app.example');
    const error = usageError(() => requireHttpUrl(config({ redirect_uri: 'myapp://cb' }, { redirect_uri: { kind: 'flag', flag: 'redirect-uri' } }), 'redirect_uri'));
    expect(error.code).toBe('invalid_redirect_uri');
    expect(error.message).toBe(
      'The redirect URI "myapp://cb" (from --redirect-uri) is not an http:// or https:// URL. Set --redirect-uri or DRIBBBLE_REDIRECT_URI to a full URL such as http://127.0.0.1:8738/auth/dribbble/callback.',
    );
    expect(usageError(() => requireHttpUrl(config({ redirect_uri: 'not a url' }), 'redirect_uri')).message).toContain('(from the default)');
  });
});
