// The token step, shared by `exchange` and `authorize`: Newman runs "Exchange code for token"
// with the injected values; the answer is validated here and turned into a token or an error
// that says what to do.
import { resolve } from 'node:path';
import { ITEM_EXCHANGE } from './collection-files.js';
import type { Output } from './command-output.js';
import { describeSource, requireHttpUrl, requireValues, type ResolvedConfig } from './config-resolution.js';
import { buildEnvironment } from './environment-definition.js';
import { DribbbleOAuthError, ProtocolError, ServerRefusedError, describeNetworkFailure } from './errors.js';
import { runCollectionItems, type HttpExchange, type ItemRun } from './newman-runner.js';
import { explainOAuthError } from './oauth-error-meanings.js';
import { registerSecret } from './redaction.js';
import { assertNotTracked, updateEnvFile, writeFileAtomic } from './secret-file-store.js';

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

/** First non-empty line of a body, short, for an error message. */
export function firstLine(body: string): string {
  const line = body.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '(empty body)';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function parseJsonBody(response: HttpExchange): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(response.body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The response of a request Newman ran, or the transport/script failure that stopped it. */
export function requireResponse(run: ItemRun | undefined, target: string, timeoutMs: number): HttpExchange {
  if (run?.transportError) throw describeNetworkFailure(run.transportError, target, timeoutMs);
  if (!run?.response) {
    throw new DribbbleOAuthError('request_not_sent', 1, `The request to ${target} was not sent: ${run?.failures.join(' ') || 'Newman did not run it'}.`);
  }
  return run.response;
}

export function validateTokenResponse(response: HttpExchange, input: ExchangeInput, tokenUrl: string): TokenResult {
  const body = parseJsonBody(response);
  const what = `The token endpoint ${tokenUrl} answered ${response.status}`;
  if (body && typeof body.error === 'string' && response.status >= 400 && response.status < 500) {
    const error = body.error;
    const description = typeof body.error_description === 'string' ? ` ("${body.error_description}")` : '';
    let detail = '';
    if (error === 'invalid_grant') {
      const sent = input.config.values.redirect_uri;
      detail =
        input.authorizedWith && input.authorizedWith !== sent
          ? ` The redirect URI differs: the browser came back to ${input.authorizedWith}, but the token request sent ${sent} (from ${describeSource(input.config.sources.redirect_uri)}).`
          : ` The redirect URI sent was ${sent} (from ${describeSource(input.config.sources.redirect_uri)}).`;
      if (input.codeVerifier) detail += ' A PKCE code verifier from the pending authorization was sent; if this code came from elsewhere, run again with --no-pkce.';
    }
    if (error === 'invalid_client') {
      detail = ` Client ID sent: ${input.config.values.client_id} (from ${describeSource(input.config.sources.client_id)}); client secret from ${describeSource(input.config.sources.client_secret)}.`;
    }
    throw new ServerRefusedError(error, `${what} ${error}${description}. ${explainOAuthError(error)}${detail}`);
  }
  if (response.status >= 500) throw new ProtocolError('server_error_status', `${what}, a server error: ${firstLine(response.body)}. Try again in a minute.`);
  if (!body) {
    throw new ProtocolError(
      'not_json',
      `${what} with ${response.headers['content-type'] ?? 'no content type'}, not JSON: ${firstLine(response.body)}. Check --oauth-url / DRIBBBLE_OAUTH_URL (from ${describeSource(input.config.sources.oauth_base_url)}): it should point at Dribbble's OAuth base, ${'https://dribbble.com/oauth'}.`,
    );
  }
  const token = body.access_token;
  if (response.status !== 200 || typeof token !== 'string' || !token) {
    throw new ProtocolError('no_access_token', `${what} without an access_token: ${firstLine(response.body)}. This is not what Dribbble sends; check --oauth-url / DRIBBBLE_OAUTH_URL.`);
  }
  registerSecret(token);
  const tokenType = typeof body.token_type === 'string' ? body.token_type : 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') {
    throw new ProtocolError('unsupported_token_type', `${what} with token_type "${tokenType}"; only Bearer tokens are used by Dribbble's API.`);
  }
  if (typeof body.refresh_token === 'string') registerSecret(body.refresh_token);
  return {
    accessToken: token,
    tokenType,
    scope: typeof body.scope === 'string' ? body.scope : (input.config.values.scope ?? 'public'),
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
  requireHttpUrl(config, 'oauth_base_url');
}

export async function exchangeCodeForToken(input: ExchangeInput): Promise<TokenResult> {
  checkExchangeInputs(input.config);
  registerSecret(input.code);
  registerSecret(input.codeVerifier);
  const values = { ...input.config.values, code: input.code, code_verifier: input.codeVerifier ?? '', state: '' };
  const tokenUrl = `${input.config.values.oauth_base_url!.replace(/\/+$/, '')}/token`;
  const run = await runCollectionItems([ITEM_EXCHANGE], values, { timeoutMs: input.timeoutMs });
  return validateTokenResponse(requireResponse(run.items[0], tokenUrl, input.timeoutMs), input, tokenUrl);
}

export interface SaveOptions {
  save: boolean;
  exportEnvironment?: string;
}

/**
 * Refuses save targets before any request: a code is single use, so a token that could not be
 * saved afterwards would be lost.
 */
export function checkSaveTargets(config: ResolvedConfig, options: SaveOptions): void {
  if (!options.save) return;
  assertNotTracked(config.envFilePath, 'the access token', '--env-file');
  if (options.exportEnvironment) assertNotTracked(resolve(options.exportEnvironment), 'a filled Postman environment', '--export-environment');
}

/** Writes the token where the user asked (targets already checked by checkSaveTargets). */
export async function saveToken(config: ResolvedConfig, token: TokenResult, options: SaveOptions): Promise<string[]> {
  if (!options.save) return [];
  const exportPath = options.exportEnvironment && resolve(options.exportEnvironment);
  const written: string[] = [];
  await updateEnvFile(config.envFilePath, { DRIBBBLE_ACCESS_TOKEN: token.accessToken });
  written.push(config.envFilePath);
  if (exportPath) {
    const values = { ...config.values, access_token: token.accessToken, code: '', state: '', code_verifier: '' };
    const environment = buildEnvironment('dribbble-oauth-export', 'Dribbble (with token)', values);
    await writeFileAtomic(exportPath, `${JSON.stringify(environment, null, 2)}\n`);
    written.push(exportPath);
  }
  return written;
}

/** Prints the token (masked unless --show-token) and where it went; returns the --json result. */
export function reportToken(out: Output, token: TokenResult, savedTo: string[], showToken: boolean): object {
  const line = `Access token: ${token.accessToken} (${token.tokenType}, scope: ${token.scope}${token.expiresIn ? `, expires in ${token.expiresIn} s` : ', does not expire'})`;
  if (showToken) out.reveal(line);
  else out.line(line);
  out.line(savedTo.length ? savedTo.map((p) => `Saved to ${p} (mode 0600).`).join('\n') : 'Not saved (--no-save).');
  if (savedTo.length) out.line('Next: npm run whoami');
  return { access_token: token.accessToken, token_type: token.tokenType, scope: token.scope, created_at: token.createdAt, saved_to: savedTo };
}
