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
  timeout: { type: 'number', describe: 'Timeout in milliseconds' },
  open: { type: 'boolean', default: true, describe: 'Open the browser (--no-open prints the URL)' },
  'show-token': { type: 'boolean', default: false, describe: 'Print the access token in full' },
};

export function parseFlags<Extra extends object = object>(
  argv: string[],
  command: string,
  description: string,
  extra: Record<string, Options> = {},
): CommonFlags & Extra {
  const parsed = yargs(argv)
    .scriptName(`dribbble-oauth ${command}`)
    .usage(`$0 [flags]\n\n${description}`)
    .options({ ...COMMON_OPTIONS, ...extra })
    .strict()
    // A flag given twice: the last one wins, as in most CLIs (not an array).
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .version(false)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      const codeIndex = argv.indexOf('--code');
      const dashValue = codeIndex >= 0 && argv[codeIndex + 1]?.startsWith('-');
      const hint = dashValue ? ' A code that starts with "-" must be passed as --code=VALUE.' : '';
      throw new UsageError('invalid_flags', `${message ?? error?.message}${hint} Run with --help to see the flags.`);
    })
    .parseSync();
  const timeout = parsed.timeout as number | undefined;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw new UsageError('invalid_timeout', `--timeout must be a whole number of milliseconds above 0 (got "${String(timeout)}").`);
  }
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
