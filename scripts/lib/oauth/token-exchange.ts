// The token step, shared by `exchange` and `authorize`: Newman runs "Exchange code for token"
// with the injected values; the answer is validated here and turned into a token or an error
// that says what to do; the token is then saved all-or-nothing, or kept safe (exit 6).
import { resolve } from 'node:path';
import { ITEM_EXCHANGE } from '../postman/collection-files.js';
import { maskInCi, writeStderr, type Output } from '../cli/command-output.js';
import { describeSource, requireHttpUrl, requireValues, type ResolvedConfig } from '../config/config-resolution.js';
import { buildEnvironment } from '../postman/environment-definition.js';
import { DribbbleOAuthError, ProtocolError, ServerRefusedError, TokenNotSavedError } from '../core/errors.js';
import { assertNotRedirectedOrRefused, firstLine, parseJsonBody, requestedUrl, requireResponse } from '../http/http-answers.js';
import { cleanupOnInterrupt } from '../disk/interrupt-cleanup.js';
import type { HttpExchange } from '../http/http-exchange.js';
import { runCollectionItems } from '../newman/newman-runner.js';
import { explainOAuthError } from '../dribbble/oauth-error-meanings.js';
import { OAUTH_PATH_PREFIX } from '../dribbble/api-v2.js';
import { maskSecret, registerSecret } from '../core/redaction.js';
import { checkWritableTarget, commitFiles, planEnvFileUpdate, withFileLock } from '../disk/secret-file-store.js';
import { showUntrusted } from '../core/terminal-text.js';
import { rescueToken } from '../disk/token-rescue.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TokenResult {
  accessToken: string;
  tokenType: string;
  scope: string;
  createdAt?: number;
  expiresIn?: number;
  refreshToken?: string;
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

function validateAccessToken(token: string, what: string): void {
  if (B64TOKEN.test(token)) return;
  const control = /[\u0000-\u001f\u007f-\u009f]/.test(token);
  throw new ProtocolError(
    control ? 'token_control_characters' : 'malformed_token',
    `${what} with an access_token that ${control ? 'contains control characters or a line break' : 'has characters a Bearer token cannot have'} (${maskSecret(showUntrusted(token))}). It was not saved: this is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL.`,
  );
}

export function validateTokenResponse(response: HttpExchange, input: ExchangeInput, tokenUrl: string): TokenResult {
  const body = parseJsonBody(response);
  const what = `The token endpoint ${tokenUrl} answered ${response.status}`;
  // An OAuth error JSON is a refusal, whatever its status.
  if (body && typeof body.error === 'string') {
    const error = showUntrusted(body.error);
    const description = typeof body.error_description === 'string' ? ` ("${showUntrusted(body.error_description)}")` : '';
    let detail = '';
    if (body.error === 'invalid_grant') {
      const sent = input.config.values.redirect_uri;
      detail =
        input.authorizedWith && input.authorizedWith !== sent
          ? ` The redirect URI differs: the browser came back to ${showUntrusted(input.authorizedWith)}, but the token request sent ${sent} (from ${describeSource(input.config.sources.redirect_uri)}).`
          : ` The redirect URI sent was ${sent} (from ${describeSource(input.config.sources.redirect_uri)}).`;
      if (input.codeVerifier) detail += ' A PKCE code verifier from the pending authorization was sent; if this code came from elsewhere, run again with --no-pkce.';
    }
    if (body.error === 'invalid_client') {
      detail = ` Client ID sent: ${input.config.values.client_id} (from ${describeSource(input.config.sources.client_id)}); client secret from ${describeSource(input.config.sources.client_secret)}.`;
    }
    throw new ServerRefusedError(error, `${what} ${error}${description}. ${explainOAuthError(body.error)}${detail}`);
  }
  assertNotRedirectedOrRefused(response, tokenUrl, 'The token request', 'Check the client ID and secret on your application\'s page on Dribbble (Account settings > Applications).');
  if (!body) {
    throw new ProtocolError(
      'not_json',
      `${what} with ${showUntrusted(response.headers['content-type'] ?? 'no content type')}, not JSON: ${firstLine(response.body)}. Check --oauth-url / DRIBBBLE_OAUTH_URL (from ${describeSource(input.config.sources.oauth_origin)}): it should be Dribbble's origin, https://dribbble.com.`,
    );
  }
  const token = body.access_token;
  if (response.status !== 200 || typeof token !== 'string' || !token) {
    throw new ProtocolError('no_access_token', `${what} without an access_token: ${firstLine(response.body)}. This is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL.`);
  }
  registerSecret(token);
  validateAccessToken(token, what);
  const tokenType = typeof body.token_type === 'string' ? body.token_type : 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') {
    throw new ProtocolError('unsupported_token_type', `${what} with token_type "${showUntrusted(tokenType)}"; only Bearer tokens are used by Dribbble's API.`);
  }
  if (typeof body.refresh_token === 'string') registerSecret(body.refresh_token);
  return {
    accessToken: token,
    tokenType,
    scope: typeof body.scope === 'string' ? showUntrusted(body.scope) : (input.config.values.scope ?? 'public'),
    createdAt: typeof body.created_at === 'number' ? body.created_at : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
  };
}

const CODE_HINT = 'Get a code with "npm run authorize", or paste the URL the browser landed on after you approved.';

/** Checks every input the token request needs (the code too, when the user must give it), before any request. */
export function checkExchangeInputs(config: ResolvedConfig, options: { needsCode?: boolean } = {}): void {
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
 * Refuses save targets before any request: a code is single use, so a token that could not be
 * saved afterwards would have to be rescued.
 */
export function checkSaveTargets(config: ResolvedConfig, options: SaveOptions): void {
  if (!options.save) return;
  checkWritableTarget(config.envFilePath, 'the access token', '--env-file');
  if (options.exportEnvironment) checkWritableTarget(resolve(options.exportEnvironment), 'a filled Postman environment', '--export-environment');
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

/** Prints the token (masked unless --show-token) and where it went; returns the --json result. */
export function reportToken(out: Output, token: TokenResult, savedTo: string[], showToken: boolean): object {
  const line = `Access token: ${token.accessToken} (${token.tokenType}, scope: ${token.scope}${token.expiresIn ? `, expires in ${token.expiresIn} s` : ', does not expire'})`;
  if (showToken) out.reveal(line, token.accessToken);
  else out.line(line);
  out.line(savedTo.length ? savedTo.map((p) => `Saved to ${p} (mode 0600).`).join('\n') : 'Not saved (--no-save).');
  if (savedTo.length) out.line('Next: npm run whoami');
  return { access_token: token.accessToken, token_type: token.tokenType, scope: token.scope, created_at: token.createdAt, saved_to: savedTo, revealed: [token.accessToken] };
}
