// The token step, shared by `exchange` and `authorize`: Newman runs "Exchange code for token"
// with the injected values; the answer is validated here and turned into a token or an error
// that says what to do; the token is then saved all-or-nothing, or kept safe (exit 6).
import { resolve } from 'node:path';
import { ITEM_EXCHANGE } from '../postman/collection-files.js';
import { maskInCi, writeStderr, type Output } from '../cli/command-output.js';
import { describeSource, requireHttpUrl, requireValues, type ResolvedConfig } from '../config/config-resolution.js';
import { buildEnvironment } from '../postman/environment-definition.js';
import { DribbbleOAuthError, ProtocolError, ServerRefusedError, TokenNotSavedError } from '../core/errors.js';
import { assertNotRedirectedOrRefused, firstLine, maskCredentials, parseJsonBody, requestedUrl, requireResponse } from '../http/http-answers.js';
import { cleanupOnInterrupt } from '../disk/interrupt-cleanup.js';
import type { HttpExchange } from '../http/http-exchange.js';
import { runCollectionItems } from '../newman/newman-runner.js';
import { explainOAuthError } from '../dribbble/oauth-error-meanings.js';
import { OAUTH_PATH_PREFIX } from '../dribbble/api-v2.js';
import { maskSecret, registerSecret, showGivenUrl } from '../core/redaction.js';
import { checkWritableTarget, commitFiles, planEnvFileUpdate, withFileLock } from '../disk/secret-file-store.js';
import { showUntrusted } from '../core/terminal-text.js';
import { rescueToken } from '../disk/token-rescue.js';
import { checkPrivateFolder } from '../disk/private-folder.js';
import { assertTlsVerificationOn } from '../core/tls-verification.js';
import { assertIgnoredOrOutside } from '../disk/git-tracking.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TokenResult {
  accessToken: string;
  tokenType: string;
  scope: string;
  createdAt?: number;
  /** Seconds, when the server sent a believable lifetime. */
  expiresIn?: number;
  /** The server sent expires_in, but not a believable lifetime: the expiry is unknown. */
  expiresInUnreadable?: boolean;
  refreshToken?: string;
  /** What was odd about an answer that was still taken as a token answer. */
  notes: string[];
}

export interface ExchangeInput {
  config: ResolvedConfig;
  code: string;
  codeVerifier?: string;
  /** Where the browser came back to, when known: the redirect URI used at authorize. */
  authorizedWith?: string;
  timeoutMs: number;
}

// RFC 6750's b64token: what a Bearer token may hold. Anything else could not be sent as a header.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// A lifetime is a positive whole number of seconds; ten years is longer than any token is issued
// for, so a larger number says nothing true about when this one stops working.
export const MAX_EXPIRES_IN_S = 10 * 365 * 24 * 3600;

function validateAccessToken(token: string, what: string): void {
  if (B64TOKEN.test(token)) return;
  const control = /[\u0000-\u001f\u007f-\u009f]/.test(token);
  throw new ProtocolError(
    control ? 'token_control_characters' : 'malformed_token',
    `${what} with an access_token that ${control ? 'contains control characters or a line break' : 'has characters a Bearer token cannot have'} (${showUntrusted(maskSecret(token))}). It was not saved: this is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL.`,
  );
}

/** expires_in as a lifetime in seconds, or undefined when it is no believable one (0, -7200, 1e308, 1.5, "x"). */
export function readExpiresIn(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^\d{1,10}$/.test(value.trim()) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_EXPIRES_IN_S ? seconds : undefined;
}

/** The answer's fields: a JSON object, or the form-encoded spelling some token endpoints use. */
function readTokenFields(response: HttpExchange): Record<string, unknown> | undefined {
  const json = parseJsonBody(response);
  if (json) return json;
  const text = response.body.trim();
  if (!/^[\w.~%+-]+=[^&\s]*(&[\w.~%+-]+=[^&\s]*)*$/.test(text)) return undefined;
  const form = Object.fromEntries(new URLSearchParams(text)) as Record<string, unknown>;
  return typeof form.access_token === 'string' ? form : undefined;
}

export function validateTokenResponse(response: HttpExchange, input: ExchangeInput, tokenUrl: string): TokenResult {
  const body = readTokenFields(response);
  const what = `The token endpoint ${tokenUrl} answered ${response.status}`;
  // Whatever the answer turns out to be, a credential in it is masked in everything printed after.
  const token = body?.access_token;
  if (typeof token === 'string') registerSecret(token);
  if (typeof body?.refresh_token === 'string') registerSecret(body.refresh_token);
  // An OAuth error JSON is a refusal, whatever its status.
  if (body && typeof body.error === 'string') {
    const error = showUntrusted(body.error);
    const description = typeof body.error_description === 'string' ? ` ("${showUntrusted(maskCredentials(body.error_description))}")` : '';
    let detail = '';
    if (body.error === 'invalid_grant') {
      const sent = input.config.values.redirect_uri;
      detail =
        input.authorizedWith && input.authorizedWith !== sent
          ? ` The redirect URI differs: the browser came back to ${showGivenUrl(input.authorizedWith)}, but the token request sent ${showGivenUrl(sent ?? '')} (from ${describeSource(input.config.sources.redirect_uri)}).`
          : ` The redirect URI sent was ${showGivenUrl(sent ?? '')} (from ${describeSource(input.config.sources.redirect_uri)}).`;
      if (input.codeVerifier) detail += ' A PKCE code verifier from the pending authorization was sent; if this code came from elsewhere, run again with --no-pkce.';
    }
    if (body.error === 'invalid_client') {
      detail = ` Client ID sent: ${showGivenUrl(input.config.values.client_id ?? '')} (from ${describeSource(input.config.sources.client_id)}); client secret from ${describeSource(input.config.sources.client_secret)}.`;
    }
    throw new ServerRefusedError(error, `${what} ${error}${description}. ${explainOAuthError(body.error)}${detail}`);
  }
  const success = response.status >= 200 && response.status < 300;
  if (!success && typeof token === 'string' && token) {
    // A token in an answer that is not a success (a 400, a 302, a 500): not what Dribbble sends, so
    // it is not saved as the token; but it may be real and the code is spent, so it is kept safe.
    validateAccessToken(token, what);
    const kept = rescueToken(token);
    throw new ProtocolError(
      'unexpected_token_answer',
      `${what}, a status that does not deliver a token, yet with an access_token (${maskSecret(token)}). It was not saved to your env file: this is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL. ${kept ? `In case it works, it is kept in ${kept} (mode 0600, outside the project); delete that file if you do not use it.` : 'No private folder would take a copy, so it was dropped.'}`,
    );
  }
  assertNotRedirectedOrRefused(response, tokenUrl, 'The token request', 'Check the client ID and secret on your application\'s page on Dribbble (Account settings > Applications).');
  if (!body) {
    throw new ProtocolError(
      'not_json',
      `${what} with ${showUntrusted(response.headers['content-type'] ?? 'no content type')}, not JSON: ${firstLine(response.body)}. Check --oauth-url / DRIBBBLE_OAUTH_URL (from ${describeSource(input.config.sources.oauth_origin)}): it should be Dribbble's origin, https://dribbble.com.`,
    );
  }
  if (!success || typeof token !== 'string' || !token) {
    throw new ProtocolError('no_access_token', `${what} without an access_token: ${firstLine(response.body)}. This is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL.`);
  }
  validateAccessToken(token, what);
  const tokenType = typeof body.token_type === 'string' ? body.token_type : 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') {
    throw new ProtocolError('unsupported_token_type', `${what} with token_type "${showUntrusted(tokenType)}"; only Bearer tokens are used by Dribbble's API.`);
  }
  const notes: string[] = [];
  // Any 2xx with a valid Bearer token is a token answer: the code is spent, refusing would lose it.
  if (response.status !== 200) notes.push(`The token endpoint answered ${response.status} rather than Dribbble's 200; the access token in it was taken.`);
  const expiresIn = readExpiresIn(body.expires_in);
  const expiresInUnreadable = body.expires_in !== undefined && body.expires_in !== null && expiresIn === undefined;
  if (expiresInUnreadable) {
    notes.push(`The token endpoint sent expires_in ${showUntrusted(JSON.stringify(body.expires_in) ?? String(body.expires_in)).slice(0, 40)}, not a whole number of seconds from 1 to ${MAX_EXPIRES_IN_S} (10 years): when the token expires is unknown.`);
  }
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined;
  const createdAt = typeof body.created_at === 'number' && Number.isSafeInteger(body.created_at) && body.created_at > 0 ? body.created_at : undefined;
  return {
    accessToken: token,
    tokenType,
    scope: typeof body.scope === 'string' ? showUntrusted(body.scope) : (input.config.values.scope ?? 'public'),
    createdAt,
    expiresIn,
    expiresInUnreadable: expiresInUnreadable || undefined,
    refreshToken,
    notes,
  };
}

const CODE_HINT = 'Get a code with "npm run authorize", or paste the URL the browser landed on after you approved.';

/** Checks every input the token request needs (the code too, when the user must give it), before any request. */
export function checkExchangeInputs(config: ResolvedConfig, options: { needsCode?: boolean } = {}): void {
  // Before a consent URL is printed: a code spent on a request we then refuse to send is lost.
  assertTlsVerificationOn();
  requireValues(config, ['client_id', 'client_secret', 'redirect_uri', ...(options.needsCode ? (['code'] as const) : [])], { code: CODE_HINT });
  requireHttpUrl(config, 'redirect_uri');
}

export async function exchangeCodeForToken(input: ExchangeInput): Promise<TokenResult> {
  checkExchangeInputs(input.config);
  registerSecret(input.code);
  registerSecret(input.codeVerifier);
  const values = { ...input.config.values, code: input.code, code_verifier: input.codeVerifier ?? '', state: '' };
  const builtUrl = `${input.config.values.oauth_origin}${OAUTH_PATH_PREFIX}/token`;
  const run = await runCollectionItems([ITEM_EXCHANGE], values, { timeoutMs: input.timeoutMs });
  const tokenUrl = requestedUrl(run.items[0], builtUrl);
  return validateTokenResponse(requireResponse(run.items[0], tokenUrl, input.timeoutMs), input, tokenUrl);
}

export interface SaveOptions {
  save: boolean;
  exportEnvironment?: string;
}

/**
 * Refuses save targets (and the state folder a token would be rescued to) before any request: a
 * code is single use, so a token that could not be saved afterwards would have to be rescued.
 */
export function checkSaveTargets(config: ResolvedConfig, options: SaveOptions): void {
  if (!options.save) return;
  checkWritableTarget(config.envFilePath, 'the access token', '--env-file');
  if (options.exportEnvironment) {
    checkWritableTarget(resolve(options.exportEnvironment), 'a filled Postman environment', '--export-environment');
    assertIgnoredOrOutside(resolve(options.exportEnvironment), 'a filled Postman environment', '--export-environment');
  }
  checkPrivateFolder('state'); // where a token is rescued if the save fails: refused now, not then
}

function keepSafe(token: TokenResult, targets: string, why: string): TokenNotSavedError {
  const kept = rescueToken(token.accessToken);
  if (kept) {
    return new TokenNotSavedError('token_not_saved', `The access token was issued, but saving it to ${targets} failed: ${why}. Nothing there was changed. The token is kept in ${kept} (mode 0600, outside the project): copy its DRIBBBLE_ACCESS_TOKEN line into your env file, then delete that file.`);
  }
  // No folder would take it: the terminal is the only place left, and a lost token costs a new authorization.
  maskInCi(token.accessToken);
  writeStderr(`The access token, shown once because it could not be kept anywhere: ${token.accessToken}\n`);
  return new TokenNotSavedError('token_not_saved', `The access token was issued, but saving it to ${targets} failed (${why}), and no folder would take a copy: it is printed above, once. Store it now.`);
}

/** Writes the token everywhere the user asked, or nowhere; a failure keeps it safe and is exit 6. */
export async function saveToken(config: ResolvedConfig, token: TokenResult, options: SaveOptions): Promise<string[]> {
  if (!options.save) return [];
  const exportPath = options.exportEnvironment && resolve(options.exportEnvironment);
  const targets = [config.envFilePath, ...(exportPath ? [exportPath] : [])];
  // Ctrl-C between the token and the rename must not lose it.
  let saved = false;
  const unregister = cleanupOnInterrupt(() => {
    if (saved) return;
    const kept = rescueToken(token.accessToken);
    process.stderr.write(`Interrupted while saving: the access token is kept in ${kept ?? '(nowhere: no folder took it)'} (mode 0600).\n`);
  });
  try {
    await withFileLock(config.envFilePath, async () => {
      const writes = [await planEnvFileUpdate(config.envFilePath, { DRIBBBLE_ACCESS_TOKEN: token.accessToken })];
      if (exportPath) {
        const values = { ...config.values, access_token: token.accessToken, code: '', state: '', code_verifier: '' };
        writes.push({ path: exportPath, content: `${JSON.stringify(buildEnvironment('dribbble-oauth-export', 'Dribbble (with token)', values), null, 2)}\n` });
      }
      await commitFiles(writes);
    });
    saved = true;
    return targets;
  } catch (error) {
    saved = true; // handled here: the rescue below
    const why = error instanceof DribbbleOAuthError ? error.message : showUntrusted((error as Error).message);
    throw keepSafe(token, targets.join(' and '), why);
  } finally {
    unregister();
  }
}

/** How long the token lives, as the server told (or did not). */
export function describeExpiry(token: Pick<TokenResult, 'expiresIn' | 'expiresInUnreadable'>): string {
  if (token.expiresIn !== undefined) return `expires in ${token.expiresIn} s`;
  return token.expiresInUnreadable ? 'expiry unknown' : 'does not expire';
}

/** Prints the token (masked unless --show-token) and where it went; returns the --json result. */
export function reportToken(out: Output, token: TokenResult, savedTo: string[], showToken: boolean): object {
  for (const note of token.notes) out.line(`note: ${note}`);
  const line = `Access token: ${token.accessToken} (${token.tokenType}, scope: ${token.scope}, ${describeExpiry(token)})`;
  const secrets = [token.accessToken, ...(token.refreshToken ? [token.refreshToken] : [])];
  // The refresh token is a secret too: masked unless --show-token; in --json in full, as the access token.
  const refreshLine = token.refreshToken && `Refresh token: ${token.refreshToken} (not saved: Dribbble's API does not use one)`;
  if (showToken) out.reveal(line, token.accessToken);
  else out.line(line);
  if (refreshLine && showToken) out.reveal(refreshLine, token.refreshToken!);
  else if (refreshLine) out.line(refreshLine);
  out.line(savedTo.length ? savedTo.map((p) => `Saved to ${p} (mode 0600).`).join('\n') : 'Not saved (--no-save).');
  if (savedTo.length) out.line('Next: npm run whoami');
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    scope: token.scope,
    created_at: token.createdAt,
    expires_in: token.expiresIn,
    ...(token.expiresInUnreadable ? { expires_in_unknown: true } : {}),
    refresh_token: token.refreshToken,
    saved_to: savedTo,
    revealed: secrets,
  };
}
