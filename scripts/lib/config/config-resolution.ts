// Resolves every variable by PRODUCT.md's precedence: flag, process environment, env file,
// Postman environment file (--environment), default. Remembers where each value came from, so an
// error can name the input to fix.
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { CommonFlags } from '../cli/cli-flags.js';
import { UsageError } from '../core/errors.js';
import { MissingUserFileError, readRegularFile } from '../core/user-file.js';
import { showUntrusted } from '../core/terminal-text.js';
import { describeJsonError, registerSecret, showGivenUrl } from '../core/redaction.js';
import { VARIABLES, describeVariableInputs, findVariable, type VariableKey, type VariableValues } from './variables.js';

export type ValueSource =
  | { kind: 'flag'; flag: string }
  | { kind: 'process-env'; name: string }
  | { kind: 'env-file'; name: string; path: string }
  | { kind: 'environment'; key: string; path: string }
  | { kind: 'default' };

export interface ResolvedConfig {
  values: VariableValues;
  sources: Partial<Record<VariableKey, ValueSource>>;
  /** Where the token is saved: --env-file, or .env in the working directory. */
  envFilePath: string;
  envFileExists: boolean;
}

const FLAG_PROPERTY: Partial<Record<VariableKey, keyof CommonFlags>> = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  redirect_uri: 'redirectUri',
  code: 'code',
  scope: 'scope',
  oauth_origin: 'oauthUrl',
  api_origin: 'apiUrl',
};

export function describeSource(source: ValueSource | undefined): string {
  switch (source?.kind) {
    case 'flag':
      return `--${source.flag}`;
    case 'process-env':
      return `${source.name} (process environment)`;
    case 'env-file':
      return `${source.name} in ${source.path}`;
    case 'environment':
      return `"${source.key}" in ${source.path}`;
    default:
      return 'the default';
  }
}

// An env file holds a few keys; anything past this is not one.
const ENV_FILE_MAX_BYTES = 1024 * 1024;

function readEnvFile(path: string, named: boolean, mayBeMissing: boolean, profile?: string): Record<string, string> | undefined {
  const shown = showUntrusted(path);
  // Creating it with init is advice for a missing file only: not for a folder, a FIFO or a device.
  const [what, remedy, remedyWhenMissing] = profile
    ? [`${shown}, the env file of the profile "${profile}"`, `Make it a regular file, or list the profiles with "npm run profiles".`, `Create it with "npm run init -- --profile ${profile}", or list the profiles with "npm run profiles".`]
    : named
      ? [`the env file ${shown} (from --env-file)`, 'Name a regular file with --env-file PATH, or leave out --env-file to use .env.', 'Create it with "npm run init -- --env-file PATH", name another file with --env-file PATH, or leave out --env-file to use .env.']
      : [`${shown}, the default env file of this folder`, 'Fix it (for example "chmod 600 .env" as its owner; .env must be a regular file), or name another file with --env-file PATH.', undefined];
  try {
    return parseDotenv(readRegularFile(path, { what, remedy, remedyWhenMissing, maxBytes: ENV_FILE_MAX_BYTES, code: 'unreadable_env_file' }));
  } catch (error) {
    if (error instanceof MissingUserFileError && (!named || mayBeMissing)) return undefined;
    throw error;
  }
}

/**
 * What Newman fills in with a variable's value wherever it sends text (URL, headers, body), values
 * of variables included. Percent-encoded (%7B%7B) it is sent as it is: Newman does not decode first.
 */
export const NEWMAN_TEMPLATE_OPEN = '{{';

/** Whether Newman would send `value` as it is (no {{variable}} in it to fill in). */
export function isLiteral(value: string): boolean {
  return !value.includes(NEWMAN_TEMPLATE_OPEN);
}

/** Newman replaces {{name}} inside values too: a value holding one would send another variable (a secret) instead. */
export function assertLiteral(value: string, what: string, source: string): void {
  if (!isLiteral(value)) {
    throw new UsageError(
      'unsafe_value',
      `The ${what} from ${source} contains "{{", which Newman would replace with the value of another variable (for example {{client_secret}}), so it is refused: values are sent exactly as given. Check that you copied the right value.`,
    );
  }
}

/**
 * An origin (http(s), no credentials, no query or fragment), given alone or followed by the one
 * path it may carry (`originPath`, the older base-URL form such as https://dribbble.com/oauth);
 * any other path is refused, since every request adds its own path to the origin.
 */
export function normalizeOrigin(raw: string, what: string, source: string, example: string, originPath: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const path = url?.pathname.replace(/\/+$/, '') ?? '';
  const problem =
    !url || (url.protocol !== 'http:' && url.protocol !== 'https:')
      ? 'is not an http:// or https:// URL'
      : url.username || url.password
        ? 'carries a user name or password, which would be sent to the server and printed in messages'
        : url.search || url.hash || /[?#]/.test(raw)
          ? 'has a query or fragment ("?..." or "#..."), so the endpoint path cannot be appended to it'
          : path !== '' && path !== originPath
            ? `has the path "${showGivenUrl(path)}": give the origin alone (scheme, host and port), or the origin followed by ${originPath}; each request adds its own path`
            : undefined;
  if (problem) {
    throw new UsageError(`invalid_${what.replace(/\W+/g, '_').toLowerCase()}`, `The ${what} "${showGivenUrl(raw)}" (from ${source}) ${problem}. Set it to an origin such as ${example}.`);
  }
  return url!.origin;
}

function readPostmanEnvironment(path: string): Record<string, string> {
  let parsed: unknown;
  // A byte-order mark (some Windows editors write one) is not part of the JSON: sanitize reads past it too.
  try {
    parsed = JSON.parse(readRegularFile(path, { what: `the Postman environment ${showUntrusted(path)} (from --environment)`, remedy: 'Pass a file exported from Postman, such as environments/mock.postman_environment.json.', maxBytes: ENV_FILE_MAX_BYTES, code: 'invalid_environment' }).toString('utf8').replace(/^\ufeff/, ''));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      'invalid_environment',
      `Cannot read the Postman environment ${showUntrusted(path)} (from --environment): ${describeJsonError(error)}. Pass a file exported from Postman, such as environments/mock.postman_environment.json.`,
    );
  }
  const values = (parsed as { values?: unknown })?.values;
  if (!Array.isArray(values)) {
    throw new UsageError(
      'invalid_environment',
      `The Postman environment ${showUntrusted(path)} (from --environment) has no "values" list, so it is not a Postman environment. Export one from Postman (Environments > ... > Export) or use environments/mock.postman_environment.json.`,
    );
  }
  const out: Record<string, string> = {};
  for (const entry of values as Array<{ key?: unknown; value?: unknown; enabled?: unknown }>) {
    if (typeof entry?.key === 'string' && typeof entry.value === 'string' && entry.enabled !== false) out[entry.key] = entry.value;
  }
  return out;
}

/** The profile in use: --profile, else DRIBBBLE_PROFILE; checked to be a plain name. */
export function selectedProfile(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const profile = flags.profile ?? (env.DRIBBBLE_PROFILE || undefined);
  if (profile === undefined) return undefined;
  const source = flags.profile !== undefined ? '--profile' : 'DRIBBBLE_PROFILE';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(profile)) {
    throw new UsageError('invalid_profile', `The profile name "${showUntrusted(profile)}" (from ${source}) is not usable: use letters, digits, "-" and "_", such as staging. Its env file is .env.NAME.`);
  }
  if (flags.envFile !== undefined) throw new UsageError('invalid_flags', `--env-file and a profile (${source}) both name the env file: use one of them.`);
  if (profile === 'example') throw new UsageError('invalid_profile', 'The profile name "example" is taken by .env.example, the committed template. Pick another name.');
  return profile;
}

/** The env file a command reads and saves to: --env-file, the profile's .env.NAME, or .env. */
export function envFilePathFor(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): string {
  const profile = selectedProfile(flags, env);
  return resolve(flags.envFile ?? (profile ? `.env.${profile}` : '.env'));
}

export function resolveConfig(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env, options: { envFileMayBeMissing?: boolean } = {}): ResolvedConfig {
  const profile = selectedProfile(flags, env);
  const envFilePath = envFilePathFor(flags, env);
  // A named env file (or profile) that is missing is a typo, except for `init`, which creates it.
  const named = flags.envFile !== undefined || profile !== undefined;
  const envFile = readEnvFile(envFilePath, named, Boolean(options.envFileMayBeMissing), profile);
  const environment = flags.environment ? readPostmanEnvironment(resolve(flags.environment)) : {};
  const shownEnvFile = flags.envFile ?? (profile ? `.env.${profile}` : '.env');

  const values: VariableValues = {};
  const sources: ResolvedConfig['sources'] = {};
  for (const v of VARIABLES) {
    // Empty counts as unset at every level, so "DRIBBBLE_CLIENT_SECRET=" from .env.example falls through.
    const candidates: Array<[string | undefined, ValueSource]> = [];
    const flagProperty = FLAG_PROPERTY[v.key];
    if (flagProperty && v.flag) candidates.push([flags[flagProperty] as string | undefined, { kind: 'flag', flag: v.flag }]);
    if (v.envName) {
      candidates.push([env[v.envName], { kind: 'process-env', name: v.envName }]);
      candidates.push([envFile?.[v.envName], { kind: 'env-file', name: v.envName, path: shownEnvFile }]);
    }
    candidates.push([environment[v.key], { kind: 'environment', key: v.key, path: flags.environment ?? '' }]);
    if (v.formerKey) candidates.push([environment[v.formerKey], { kind: 'environment', key: v.formerKey, path: flags.environment ?? '' }]);
    candidates.push([v.defaultValue, { kind: 'default' }]);
    const chosen = candidates.find(([value]) => value !== undefined && value.trim() !== '');
    if (chosen) {
      const [raw, source] = chosen as [string, ValueSource];
      if (v.secret) registerSecret(raw.trim());
      assertLiteral(raw, HUMAN_NAMES[v.key] ?? v.key, describeSource(source));
      values[v.key] = v.originPath !== undefined ? normalizeOrigin(raw.trim(), HUMAN_NAMES[v.key]!, describeSource(source), v.defaultValue, v.originPath) : raw.trim();
      sources[v.key] = source;
    }
  }
  return { values, sources, envFilePath, envFileExists: envFile !== undefined };
}

const HUMAN_NAMES: Partial<Record<VariableKey, string>> = {
  client_id: 'client ID',
  client_secret: 'client secret',
  redirect_uri: 'redirect URI',
  code: 'authorization code',
  access_token: 'access token',
  oauth_origin: 'OAuth base URL',
  api_origin: 'API base URL',
};

const INIT_HINT = 'Run "npm run init" to write it into .env.';
const INIT_HINT_PLURAL = 'Run "npm run init" to write them into .env.';

export function requireValue(config: ResolvedConfig, key: VariableKey, hint = INIT_HINT): string {
  const value = config.values[key];
  if (value) return value;
  const name = HUMAN_NAMES[key] ?? key;
  throw new UsageError(`missing_${key}`, `Missing ${name}: pass ${describeVariableInputs(key)} (in the environment or in .env). ${hint}`);
}

/** Like requireValue for several keys, naming every missing one at once (hints by key). */
export function requireValues(config: ResolvedConfig, keys: readonly VariableKey[], hints: Partial<Record<VariableKey, string>> = {}): void {
  const missing = keys.filter((key) => !config.values[key]);
  if (missing.length === 0) return;
  if (missing.length === 1) return void requireValue(config, missing[0]!, hints[missing[0]!]);
  const named = missing.map((key) => `${HUMAN_NAMES[key] ?? key} (${describeVariableInputs(key)})`);
  const list = `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  const advice = [...new Set(missing.map((key) => hints[key] ?? INIT_HINT_PLURAL))].join(' ');
  throw new UsageError('missing_inputs', `Missing ${list}: pass each as the flag or variable named, in the environment or in .env. ${advice}`);
}

/** An absolute http(s) URL, or a usage error naming where the value came from. */
export function requireHttpUrl(config: ResolvedConfig, key: VariableKey): URL {
  const raw = requireValue(config, key);
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const v = findVariable(key);
    throw new UsageError(
      `invalid_${key}`,
      `The ${HUMAN_NAMES[key] ?? key} "${showGivenUrl(raw)}" (from ${describeSource(config.sources[key])}) is not an http:// or https:// URL. Set ${describeVariableInputs(v.key)} to a full URL such as ${v.defaultValue || 'http://127.0.0.1:8738/auth/dribbble/callback'}.`,
    );
  }
  return parsed;
}
