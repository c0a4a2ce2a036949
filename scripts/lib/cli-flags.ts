// Flag parsing shared by every command (PRODUCT.md's common flags), with yargs.
import yargs, { type Options } from 'yargs';
import { UsageError } from './errors.js';

export interface CommonFlags {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  code?: string;
  scope?: string;
  envFile?: string;
  environment?: string;
  oauthUrl?: string;
  apiUrl?: string;
  json: boolean;
  save: boolean;
  timeout?: number;
  open: boolean;
  showToken: boolean;
}

function parseMilliseconds(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new UsageError('invalid_timeout', `--timeout must be a whole number of milliseconds above 0, such as 30000 (got "${raw}").`);
  }
  return Number(raw);
}

// Strings stay strings: a 64-hex code such as 1234... must not become a number.
const COMMON_OPTIONS: Record<string, Options> = {
  'client-id': { type: 'string', describe: 'Client ID (DRIBBBLE_CLIENT_ID)' },
  'client-secret': { type: 'string', describe: 'Client Secret (DRIBBBLE_CLIENT_SECRET)' },
  'redirect-uri': { type: 'string', describe: 'Callback URL registered for the app (DRIBBBLE_REDIRECT_URI)' },
  code: { type: 'string', describe: 'Authorization code, or the whole callback URL (DRIBBBLE_CODE)' },
  scope: { type: 'string', describe: 'Scopes, space-separated (DRIBBBLE_SCOPE), default "public"' },
  'env-file': { type: 'string', describe: 'Env file to read and save to, default .env' },
  environment: { type: 'string', describe: 'Postman environment file to read values from' },
  'oauth-url': { type: 'string', describe: 'OAuth base URL (DRIBBBLE_OAUTH_URL)' },
  'api-url': { type: 'string', describe: 'API base URL (DRIBBBLE_API_URL)' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object on stdout, nothing else' },
  save: { type: 'boolean', default: true, describe: 'Save the token (--no-save writes nothing)' },
  // A string, parsed below: yargs' number type turns "abc" into NaN, and the error could not show "abc".
  timeout: { type: 'string', describe: 'Timeout in milliseconds' },
  open: { type: 'boolean', default: true, describe: 'Open the browser (--no-open prints the URL)' },
  'show-token': { type: 'boolean', default: false, describe: 'Print the access token in full' },
};

/**
 * Codes and secrets may start with "-" (a base64url code does one time in 32), and yargs would take
 * `--code -Xy...` for flags. So a string flag followed by anything that is not one of our flags
 * gets that argument as its value, as `--code=-Xy...` would.
 */
export function attachDashValues(argv: readonly string[], options: Record<string, Options>): string[] {
  const isOurFlag = (arg: string): boolean => {
    if (arg === '-h') return true;
    const name = /^--(?:no-)?([^=]+)/.exec(arg)?.[1];
    return name !== undefined && (name in options || name === 'help');
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next?.startsWith('-') && next !== '--' && !isOurFlag(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseFlags<Extra extends object = object>(
  argv: string[],
  command: string,
  description: string,
  extra: Record<string, Options> = {},
): CommonFlags & Extra {
  const options = { ...COMMON_OPTIONS, ...extra };
  const parsed = yargs(attachDashValues(argv, options))
    .scriptName(`dribbble-oauth ${command}`)
    .usage(`$0 [flags]\n\n${description}`)
    .options(options)
    .strict()
    // A flag given twice: the last one wins, as in most CLIs (not an array).
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .version(false)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new UsageError('invalid_flags', `${message ?? error?.message} Run with --help to see the flags.`);
    })
    .parseSync();
  if (parsed.timeout !== undefined) parsed.timeout = parseMilliseconds(String(parsed.timeout));
  return parsed as unknown as CommonFlags & Extra;
}

export interface TokenFlags {
  exportEnvironment?: string;
  pkce: boolean;
}

/** Flags of the commands that obtain a token (exchange, authorize). */
export function tokenFlags(pkceDescription: string): Record<string, Options> {
  return {
    'export-environment': { type: 'string', describe: 'Also write a filled Postman environment here (0600; refused if git tracks it)' },
    pkce: { type: 'boolean', default: true, describe: pkceDescription },
  };
}
