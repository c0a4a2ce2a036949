// npm run exchange -- --code CODE_OR_URL: trades the code for a token with Newman and saves it.
import { parseFlags, tokenFlags, type TokenFlags } from '../lib/cli/cli-flags.js';
import { parseCallbackInput } from '../lib/oauth/callback-input.js';
import { runCommand } from '../lib/cli/command-output.js';
import { describeSource, resolveConfig } from '../lib/config/config-resolution.js';
import { findPendingAuthorization, removePendingAuthorization } from '../lib/oauth/pending-authorizations.js';
import { DEFAULT_TIMEOUT_MS, checkExchangeInputs, checkSaveTargets, exchangeCodeForToken, reportToken, saveToken } from '../lib/oauth/token-exchange.js';

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<TokenFlags>(argv, 'exchange', 'Exchanges an authorization code (or the callback URL it came back on) for an access token, and saves it.', tokenFlags('Send the PKCE verifier of a pending authorization (--no-pkce: never)'), { ignores: ['open'] });
  await runCommand(flags.json, async (out) => {
    const config = resolveConfig(flags);
    checkExchangeInputs(config, { needsCode: true });
    const saveOptions = { save: flags.save, exportEnvironment: flags.exportEnvironment };
    checkSaveTargets(config, saveOptions);
    const callback = parseCallbackInput(config.values.code!, describeSource(config.sources.code));
    const pending = flags.pkce ? await findPendingAuthorization(callback, config.values.client_id!, config.values.redirect_uri!) : undefined;
    const token = await exchangeCodeForToken({
      config,
      code: callback.code,
      codeVerifier: pending?.codeVerifier,
      authorizedWith: callback.returnedTo,
      timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS,
    });
    const saved = await saveToken(config, token, saveOptions);
    if (pending && flags.save) await removePendingAuthorization(pending.state);
    return reportToken(out, token, saved, flags.showToken);
  });
}
