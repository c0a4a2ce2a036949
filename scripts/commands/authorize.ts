// npm run authorize: opens the consent page, catches the redirect (loopback) or asks for the
// pasted callback URL (any other redirect URI), checks the state, exchanges, saves the token.
import { OAUTH_PATH_PREFIX } from '../lib/dribbble/api-v2.js';
import { createInterface } from 'node:readline';
import { buildAuthorizationRequest, type AuthorizationRequest } from '../lib/oauth/authorization-request.js';
import { parsePastedCallback, pasteAgain } from '../lib/oauth/pasted-callback.js';
import { renderFailurePage, renderSuccessPage } from '../lib/oauth/callback-page.js';
import { loopbackTarget, startCallbackServer } from '../lib/oauth/callback-server.js';
import { parseCallbackTimeout, parseFlags, tokenFlags, type TokenFlags } from '../lib/cli/cli-flags.js';
import { runCommand, type Output } from '../lib/cli/command-output.js';
import { describeSource, resolveConfig, type ResolvedConfig } from '../lib/config/config-resolution.js';
import { DribbbleOAuthError, UsageError } from '../lib/core/errors.js';
import { showGivenUrl } from '../lib/core/redaction.js';
import { PENDING_LIFETIME_MS, removePendingAuthorization, savePendingAuthorization } from '../lib/oauth/pending-authorizations.js';
import { DEFAULT_TIMEOUT_MS, checkExchangeInputs, checkSaveTargets, exchangeCodeForToken, reportToken, saveToken, type SaveOptions, type TokenResult } from '../lib/oauth/token-exchange.js';

const DEFAULT_CALLBACK_WAIT_MS = 5 * 60 * 1000;

async function openInBrowser(url: string, out: Output): Promise<void> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.once('error', () => out.line('Could not open a browser here: open the URL above yourself.'));
  } catch {
    out.line('Could not open a browser here: open the URL above yourself.');
  }
}

/** One line from stdin; undefined when stdin ends first (closed pipe, Ctrl-D, Ctrl-C). */
function readPastedLine(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

type AuthorizeFlags = TokenFlags & { open: boolean; timeout?: number; callbackTimeout: number };

async function authorizeWithLoopback(config: ResolvedConfig, redirectUri: URL, request: AuthorizationRequest, flags: AuthorizeFlags, save: SaveOptions, out: Output): Promise<TokenResult & { savedTo: string[] }> {
  const server = await startCallbackServer({
    redirectUri,
    state: request.state,
    timeoutMs: flags.callbackTimeout,
    describeRedirectSource: `from ${describeSource(config.sources.redirect_uri)}`,
    onIgnored: (why) => out.line(`Ignored a request to the callback with ${why} (not from this authorization); still waiting.`),
  });
  try {
    out.line(`Open this URL in a browser signed in to Dribbble, and click "Authorize":\n\n  ${request.url}\n`);
    out.line(`Waiting for the callback on ${redirectUri.origin}${redirectUri.pathname} ...`);
    if (flags.open) await openInBrowser(request.url, out);
    const callback = await server.waitForCallback();
    try {
      const token = await exchangeCodeForToken({ config, code: callback.code, codeVerifier: request.codeVerifier, timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS });
      const savedTo = await saveToken(config, token, save);
      await callback.respond(renderSuccessPage({ clientId: config.values.client_id!, callbackUrl: config.values.redirect_uri!, accessToken: token.accessToken, savedTo, scope: token.scope }));
      return { ...token, savedTo };
    } catch (error) {
      const message = error instanceof DribbbleOAuthError ? error.message : 'An unexpected error stopped the exchange; the terminal has the details.';
      await callback.respond(renderFailurePage({ title: 'The code could not be exchanged for a token', message }));
      throw error;
    }
  } finally {
    await server.close();
  }
}

async function authorizeWithPaste(config: ResolvedConfig, request: AuthorizationRequest, flags: AuthorizeFlags, save: SaveOptions, out: Output): Promise<TokenResult & { savedTo: string[] }> {
  const clientId = config.values.client_id!;
  const redirectUri = config.values.redirect_uri!;
  // Kept so that a later `exchange --code <URL>` can finish this authorization (state, verifier).
  const pending = { state: request.state, clientId, redirectUri, codeVerifier: request.codeVerifier, createdAt: Date.now() };
  await savePendingAuthorization(pending);
  out.line(`Open this URL in a browser signed in to Dribbble, and click "Authorize":\n\n  ${request.url}\n`);
  out.line(`Dribbble then sends the browser to ${showGivenUrl(redirectUri)}?code=... . That page may not load: that is fine. Copy the whole URL from the address bar.`);
  if (flags.open) await openInBrowser(request.url, out);
  const expiresAt = new Date(pending.createdAt + PENDING_LIFETIME_MS).toISOString().slice(11, 16);
  for (let attempt = 1; ; attempt++) {
    const pasted = await readPastedLine('\nPaste the URL the browser landed on (or just the code): ');
    if (pasted === undefined) {
      throw new UsageError(
        'no_callback_pasted',
        `No callback URL was pasted. The authorization stays pending until ${expiresAt} UTC (codes expire after about 10 minutes): finish it with npm run exchange -- --code '<the URL the browser landed on>'.`,
      );
    }
    try {
      const callback = parsePastedCallback(pasted, request.state);
      const token = await exchangeCodeForToken({ config, code: callback.code, codeVerifier: request.codeVerifier, authorizedWith: callback.returnedTo, timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS });
      const savedTo = await saveToken(config, token, save);
      await removePendingAuthorization(request.state);
      return { ...token, savedTo };
    } catch (error) {
      if (!pasteAgain(error, Boolean(process.stdin.isTTY), attempt)) throw error;
      out.line(`${(error as UsageError).message}`);
    }
  }
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<TokenFlags & { callbackTimeout: number }>(
    argv,
    'authorize',
    'Opens the consent page, catches the redirect on a loopback callback (or asks for the pasted callback URL), then exchanges the code and saves the token.',
    {
      ...tokenFlags('Use PKCE S256 (--no-pkce: leave it out)'),
      'callback-timeout': { type: 'string', describe: 'How long to wait for the browser to come back, in milliseconds (default 300000)' },
    },
    { ignores: ['code'] },
  );
  flags.callbackTimeout = parseCallbackTimeout(flags.callbackTimeout, DEFAULT_CALLBACK_WAIT_MS);
  await runCommand(flags.json, async (out) => {
    const config = resolveConfig(flags);
    checkExchangeInputs(config);
    const redirectUri = new URL(config.values.redirect_uri!); // checked by checkExchangeInputs
    const save = { save: flags.save, exportEnvironment: flags.exportEnvironment };
    checkSaveTargets(config, save);
    const request = buildAuthorizationRequest({
      oauthBaseUrl: `${config.values.oauth_origin!}${OAUTH_PATH_PREFIX}`,
      clientId: config.values.client_id!,
      redirectUri: config.values.redirect_uri!,
      scope: config.values.scope ?? 'public',
      pkce: flags.pkce,
    });
    const token = loopbackTarget(redirectUri)
      ? await authorizeWithLoopback(config, redirectUri, request, flags, save, out)
      : await authorizeWithPaste(config, request, flags, save, out);
    return reportToken(out, token, token.savedTo, flags.showToken);
  });
}
