// Flag parsing shared by every command (PRODUCT.md's common flags), with yargs.
import yargs, { type Options } from 'yargs';
import yargsParser from 'yargs-parser';
import { writeStderr } from './command-output.js';
import { UsageError } from '../core/errors.js';
import { maskSecret, registerSecret, showGivenUrl } from '../core/redaction.js';
import { consentToInsecureTls } from '../core/tls-verification.js';

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
  profile?: string;
  allowInsecureTls: boolean;
}

// Node's timers hold at most 2^31-1 ms (about 24.8 days); a larger value would fire at once.
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A whole number within [min, max], or exit 2 quoting what was given. */
export function parseWholeNumber(raw: unknown, flag: string, min: number, max: number, example: string, unit = ''): number {
  const text = String(raw);
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`invalid_${flag.replace(/-/g, '_')}`, `--${flag} must be a whole number${unit} from ${min} to ${max}, such as ${example} (got "${showGivenUrl(text)}").`);
  }
  return Number(text);
}

/** authorize's --callback-timeout, the browser wait (apart from each request's --timeout): a Node timer's range. */
export function parseCallbackTimeout(raw: unknown, defaultMs: number): number {
  return raw === undefined ? defaultMs : parseWholeNumber(raw, 'callback-timeout', 1, MAX_TIMER_MS, '300000', ' of milliseconds');
}

// Strings stay strings: a 64-hex code such as 1234... must not become a number.
const COMMON_OPTIONS = {
  'client-id': { type: 'string', describe: 'Client ID (DRIBBBLE_CLIENT_ID)' },
  'client-secret': { type: 'string', describe: 'Client Secret (DRIBBBLE_CLIENT_SECRET); "-" reads it from stdin' },
  'redirect-uri': { type: 'string', describe: 'Callback URL registered for the app (DRIBBBLE_REDIRECT_URI)' },
  code: { type: 'string', describe: 'Authorization code, or the whole callback URL (DRIBBBLE_CODE); "-" reads it from stdin' },
  scope: { type: 'string', describe: 'Scopes, space-separated (DRIBBBLE_SCOPE), default "public"' },
  'env-file': { type: 'string', describe: 'Env file to read and save to, default .env' },
  environment: { type: 'string', describe: 'Postman environment file to read values from' },
  'oauth-url': { type: 'string', describe: 'OAuth base URL (DRIBBBLE_OAUTH_URL)' },
  'api-url': { type: 'string', describe: 'API base URL (DRIBBBLE_API_URL)' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON object on stdout, nothing else' },
  save: { type: 'boolean', default: true, describe: 'Save the token (--no-save writes nothing)' },
  // A string, parsed below: yargs' number type turns "abc" into NaN, and the error could not show "abc".
  timeout: { type: 'string', describe: 'Deadline for each request, in milliseconds (default 30000)' },
  open: { type: 'boolean', default: true, describe: 'Open the browser (--no-open prints the URL)' },
  'show-token': { type: 'boolean', default: false, describe: 'Print the access token in full' },
  profile: { type: 'string', describe: 'Use the profile NAME: its own env file, .env.NAME (DRIBBBLE_PROFILE)' },
  'allow-insecure-tls': { type: 'boolean', default: false, describe: 'Send even though NODE_TLS_REJECT_UNAUTHORIZED=0 turned TLS certificate checks off (warned each run)' },
} satisfies Record<string, Options>;

/** A common flag's name as written after `--` (`client-id`, `save` for --no-save). */
export type CommonFlagName = keyof typeof COMMON_OPTIONS;

/** Every common flag but these: for commands that read few of them. */
export function commonFlagsExcept(...read: CommonFlagName[]): CommonFlagName[] {
  return (Object.keys(COMMON_OPTIONS) as CommonFlagName[]).filter((name) => !read.includes(name));
}

// What a user giving one of these probably wanted, where a command ignores it.
const IGNORED_FLAG_HINTS: Partial<Record<string, string>> = {
  'authorize --code': 'authorize takes the code from the callback; to exchange a code or callback URL you have, run exchange --code',
  'mock --client-id': 'the mock serves its demo app only, whose credentials it prints (--redirect-uri adds a callback URL to it)',
  'mock --client-secret': 'the mock serves its demo app only, whose credentials it prints',
  'exchange --open': 'exchange opens no browser; authorize opens the consent page',
  'init --save': 'init always writes the env file',
};

/**
 * The key yargs files a flag under: a name with a dash is camel-cased, after lowercasing unless it
 * is mixed case (--client-secret, --client-Secret and --CLIENT-SECRET are all clientSecret, but
 * --CODE is not --code). Every comparison of flag names goes through it, so none can disagree
 * with the parser.
 */
export function flagKey(name: string): string {
  return name.includes('-') ? yargsParser.camelCase(name) : name;
}

/** The flag words before "--" (after it, every word is an argument). */
function flagWords(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

/**
 * The common flags given on this command line that the command does not read: one warning each,
 * so `authorize --code X` or `mock --client-id mine` never looks as if it took effect.
 */
export function ignoredFlagWarnings(argv: readonly string[], command: string, ignored: readonly CommonFlagName[]): string[] {
  const given = new Set(flagWords(argv).map((arg) => /^--(?:no-)?([^=]+)/.exec(arg)?.[1]).filter((name) => name !== undefined).map(flagKey));
  const name = command.split(' ')[0];
  return ignored
    .filter((flag) => given.has(flagKey(flag)))
    .map((flag) => {
      const hint = IGNORED_FLAG_HINTS[`${name} --${flag}`];
      return `warning: --${flag} has no effect on ${name}${hint ? ` (${hint})` : ''}; it is ignored.`;
    });
}

/**
 * Codes and secrets may start with "-" (a base64url code does one time in 32), and yargs would take
 * `--code -Xy...` for flags. So a string flag followed by anything that is not one of our flags
 * gets that argument as its value, as `--code=-Xy...` would.
 */
export function attachDashValues(argv: readonly string[], options: Record<string, Options>): string[] {
  const byKey = new Map(Object.entries(options).map(([name, option]) => [flagKey(name), option]));
  const isOurFlag = (arg: string): boolean => {
    if (arg === '-h') return true;
    const name = /^--(?:no-)?([^=]+)/.exec(arg)?.[1];
    return name !== undefined && (byKey.has(flagKey(name)) || name === 'help');
  };
  const words = flagWords(argv);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const arg = words[i]!;
    const next = words[i + 1];
    const option = arg.startsWith('--') && !arg.includes('=') ? byKey.get(flagKey(arg.slice(2))) : undefined;
    if (option?.type === 'string' && next?.startsWith('-') && !isOurFlag(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return [...out, ...argv.slice(words.length)];
}

/** Secret flags: on a command line they land in shell history, `ps`, and npm's own logs. */
const SECRET_FLAGS = { 'client-secret': 'DRIBBBLE_CLIENT_SECRET', code: 'DRIBBBLE_CODE' } as const;
const SECRET_FLAG_KEYS = new Map((Object.keys(SECRET_FLAGS) as Array<keyof typeof SECRET_FLAGS>).map((name) => [flagKey(name), name]));

/** `--no-code`, `--code` with nothing after it at the end, an object from `--code.x`: not a value. */
function checkStringFlags(parsed: Record<string, unknown>, options: Record<string, Options>): void {
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    const value = parsed[flagKey(name)];
    if (value !== undefined && typeof value !== 'string') {
      throw new UsageError('invalid_flags', `--${name} needs a value (got ${value === false ? `--no-${name}` : JSON.stringify(value)}). Pass --${name} VALUE, or leave the flag out.`);
    }
  }
}

/** A secret or a callback URL is well under a kilobyte; reading stops past this (`yes | ...` never fills memory). */
export const STDIN_MAX_BYTES = 64 * 1024;

/** Everything on `input` up to `maxBytes`; exit 2 naming `flag` as soon as more arrives. */
export async function readStdin(flag: string, input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin, maxBytes = STDIN_MAX_BYTES): Promise<string> {
  if (input.isTTY) throw new UsageError('stdin_is_terminal', 'A flag given as "-" reads its value from standard input, but that is a terminal. Pipe the value in (printf %s "$SECRET" | ...), or use .env.');
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += bytes.length;
    if (length > maxBytes) {
      // Stop reading: the rest stays in the pipe, and the writer gets EPIPE when we exit.
      (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new UsageError('invalid_stdin', `${flag} - read more than ${maxBytes} bytes from standard input, far more than any secret or callback URL, so it stopped reading. Pipe exactly the value, one line.`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * Every literal value given to a secret flag on this command line (after attachDashValues), each
 * occurrence, in any spelling: the last one wins, but each is in the shell history.
 */
export function secretFlagValues(argv: readonly string[]): Array<{ name: keyof typeof SECRET_FLAGS; value: string }> {
  const args = flagWords(argv);
  const out: Array<{ name: keyof typeof SECRET_FLAGS; value: string }> = [];
  args.forEach((arg, i) => {
    const flag = /^--([^=]+)(?:=([^]*))?$/.exec(arg);
    const name = flag && SECRET_FLAG_KEYS.get(flagKey(flag[1]!));
    if (!name) return;
    // Separate, the value is the next word unless that is a flag (a value starting with "-" is attached by now).
    const value = flag[2] ?? (args[i + 1]?.startsWith('-') ? undefined : args[i + 1]);
    if (value !== undefined && value !== '-' && value.trim()) out.push({ name, value });
  });
  return out;
}

/** One warning per secret flag given a value on the command line, even one the command ignores or refuses. */
function secretFlagWarnings(given: ReturnType<typeof secretFlagValues>): string[] {
  return Object.entries(SECRET_FLAGS)
    .filter(([name]) => given.some((g) => g.name === name))
    .map(([name, variable]) => `warning: --${name} on the command line is visible in your shell history, to "ps", and in npm's logs (~/.npm/_logs) when run through npm run or npx; keep it in .env or ${variable}, or pass --${name} - and pipe it on stdin.`);
}

/** `--client-secret -` / `--code -`: the value comes from stdin (in the way of docker login --password-stdin). */
async function takeSecretFlags(parsed: Record<string, unknown>): Promise<void> {
  const fromStdin = Object.keys(SECRET_FLAGS).filter((name) => parsed[flagKey(name)] === '-');
  if (fromStdin.length > 1) throw new UsageError('invalid_flags', `Only one flag can read standard input, but ${fromStdin.map((n) => `--${n}`).join(' and ')} are both "-". Put the other in .env or the environment.`);
  for (const name of fromStdin) {
    const read = await readStdin(`--${name}`);
    if (!read.trim() || /[\r\n]/.test(read)) throw new UsageError('invalid_stdin', `--${name} - read ${read.trim() ? 'more than one line' : 'nothing'} from standard input. Pipe exactly the value, one line.`);
    parsed[flagKey(name)] = read;
    parsed[name] = read;
  }
}

/**
 * yargs' refusal, safe to print. A word given outside any flag may be a code, a callback URL or
 * a secret pasted without its flag (`exchange <the callback URL>`): "Unknown argument" names it
 * masked, and says where such a value goes. The rest is shown as any user-given text.
 */
export function describeFlagFailure(message: string, argv: readonly string[]): string {
  const unknown = /^(Unknown arguments?: )(.*)$/s.exec(message);
  const words = argv.filter((word) => !word.startsWith('-'));
  // yargs reads a word such as -Zq9… (a secret given to a flag it does not know) as one-letter
  // flags and lists each letter: such a word is listed whole instead, masked.
  const bundles = argv.filter((word) => /^-[^-]/.test(word) && word.length > 12);
  const letters = new Set(bundles.flatMap((word) => [...word.slice(1)]));
  const items = unknown ? unknown[2]!.split(', ') : [];
  const fromBundle = (item: string) => letters.has(item);
  // Under 12 characters a word is a typo's size, not a credential's (codes, tokens and secrets are
  // 32 and more): shown. yargs splits its list at ", ", so a piece of a word counts as the word.
  const masked = (item: string) => item.length >= 12 && words.some((word) => word.includes(item));
  if (!unknown || !items.some((item) => masked(item) || fromBundle(item))) return message.split('\n').map(showGivenUrl).join('\n');
  const listed = [...items.filter((item) => !fromBundle(item)).map((item) => (masked(item) ? `"${maskSecret(item)}"` : showGivenUrl(item))), ...bundles.map((word) => `"${maskSecret(word)}"`)];
  return `${unknown[1]}${listed.join(', ')} (a long word outside any flag is shown masked: it may be a code or a secret; give a code with --code or in .env, a callback URL with --code too).`;
}

export async function parseFlags<Extra extends object = object>(
  argv: string[],
  command: string,
  description: string,
  extra: Record<string, Options> = {},
  { takesFiles = false, ignores = [] }: { takesFiles?: boolean; ignores?: readonly CommonFlagName[] } = {},
): Promise<CommonFlags & Extra> {
  const options: Record<string, Options> = { ...COMMON_OPTIONS, ...extra };
  const attached = attachDashValues(argv, options);
  // Before yargs, which may refuse the line: a secret given there is to be masked and warned of all the same.
  const secrets = secretFlagValues(attached);
  for (const { value } of secrets) registerSecret(value);
  for (const warning of secretFlagWarnings(secrets)) writeStderr(`${warning}\n`);
  const parser = yargs(attached);
  // Unknown flags are always an error; positional arguments only where a command takes files.
  (takesFiles ? parser.strictOptions() : parser.strict());
  // Still accepted (PRODUCT.md's common flags), but not offered where they do nothing.
  for (const name of ignores) parser.hide(name);
  const parsed = parser
    .scriptName(`dribbble-oauth ${command}`)
    .usage(`$0 [flags]\n\n${description}`)
    .options(options)
    // A flag given twice: the last one wins, as in most CLIs (not an array). No `--code.x` objects.
    .parserConfiguration({ 'duplicate-arguments-array': false, 'dot-notation': false })
    .version(false)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new UsageError('invalid_flags', `${describeFlagFailure(message ?? error?.message ?? '', argv)} Run with --help to see the flags.`);
    })
    .parseSync() as Record<string, unknown>;
  for (const warning of ignoredFlagWarnings(attached, command, ignores)) writeStderr(`${warning}\n`);
  // Ignored means never read: no check, no stdin, no value for resolveConfig (`whoami --oauth-url x`
  // must not fail on x). Each goes back to its default, as if not given.
  for (const name of ignores) parsed[name] = parsed[flagKey(name)] = (COMMON_OPTIONS[name] as Options).default;
  checkStringFlags(parsed, options);
  if (parsed.timeout !== undefined) parsed.timeout = parseWholeNumber(parsed.timeout, 'timeout', 1, MAX_TIMER_MS, '30000', ' of milliseconds');
  await takeSecretFlags(parsed);
  consentToInsecureTls(parsed.allowInsecureTls === true);
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
