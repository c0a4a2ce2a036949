// npm run init: asks for the callback URL, client ID and secret (or takes them from flags), writes
// .env, and prints what to enter on Dribbble's "Register a New Application" page.
import { parseFlags } from '../lib/cli/cli-flags.js';
import { DEFAULT_LOOPBACK_REDIRECT_URI, REGISTER_URL, checkCallbackUrl, checkClientCredentials, missingAnswer, registrationLines, requireCallbackUrl } from '../lib/oauth/app-registration.js';
import { runCommand, type Output } from '../lib/cli/command-output.js';
import { resolveConfig } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { registerSecret } from '../lib/core/redaction.js';
import { updateEnvFile } from '../lib/disk/secret-file-store.js';

async function ask(interactive: boolean, flag: string, variable: string, prompt: () => Promise<string>): Promise<string> {
  if (!interactive) {
    throw missingAnswer(flag, variable);
  }
  try {
    return (await prompt()).trim();
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new UsageError('cancelled', 'Cancelled: nothing was written.');
    throw error;
  }
}

/** Inside a git work tree, offers the pre-commit hook that refuses commits carrying secrets. */
async function offerPreCommitHook(interactive: boolean, input: ((o: { message: string; default: string }) => Promise<string>) | undefined, out: Output): Promise<void> {
  const { describeHookInstall, hookStatus, installHook } = await import('../lib/secrets/pre-commit-hook.js');
  const hook = hookStatus(process.cwd());
  if (!hook) return;
  if (hook.installed) {
    // There, but git does not run it (husky not set up here, say): said, since nothing else would.
    const { warning } = describeHookInstall({ path: hook.path, done: 'current', ...(hook.neverRuns ? { neverRuns: hook.neverRuns } : {}) });
    if (warning) out.line(warning);
    return;
  }
  if (!interactive || !input) {
    out.line('Tip: "npm run check-secrets -- --install-hook" makes git refuse any commit that carries a secret.');
    return;
  }
  const answer = await input({ message: 'Install a git pre-commit hook that refuses commits carrying a secret? (Y/n)', default: 'Y' });
  if (/^n/i.test(answer.trim())) return;
  // The env file is written by now: a hook that cannot go in is a warning, not init's failure.
  try {
    const { line, warning } = describeHookInstall(await installHook(process.cwd()));
    for (const said of [line, warning]) if (said) out.line(said);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.line(`warning: the pre-commit hook was not installed: ${error.message}`);
  }
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ websiteUrl?: string }>(argv, 'init', 'Asks for client ID, secret and callback URL, writes .env (0600), and prints what to register on Dribbble.', {
    'website-url': { type: 'string', describe: 'Your website, shown in the registration instructions' },
  }, { ignores: ['code', 'oauth-url', 'api-url', 'save', 'timeout', 'open', 'show-token', 'allow-insecure-tls'] });
  await runCommand(flags.json, async (out) => {
    const config = resolveConfig(flags, process.env, { envFileMayBeMissing: true });
    // Prompts need a terminal on both ends; otherwise every answer must come from flags.
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.json;
    // Given outright (a flag or DRIBBBLE_* in the environment): used without asking.
    const given = (key: 'redirect_uri' | 'client_id' | 'client_secret') => (['flag', 'process-env'].includes(config.sources[key]?.kind ?? '') ? config.values[key] : undefined);
    const [{ default: input }, { default: password }] = interactive ? await Promise.all([import('@inquirer/input'), import('@inquirer/password')]) : [{ default: undefined }, { default: undefined }];

    const redirectUri =
      given('redirect_uri') ??
      (await ask(interactive, '--redirect-uri', 'DRIBBBLE_REDIRECT_URI', () =>
        input!({ message: 'Callback URL (a loopback one lets "authorize" catch the redirect itself):', default: config.values.redirect_uri ?? DEFAULT_LOOPBACK_REDIRECT_URI, validate: checkCallbackUrl }),
      ));
    requireCallbackUrl(redirectUri);
    for (const line of registrationLines(redirectUri, flags.websiteUrl)) out.line(line);

    const clientId =
      given('client_id') ??
      (await ask(interactive, '--client-id', 'DRIBBBLE_CLIENT_ID', () =>
        input!({ message: 'Client ID:', default: config.values.client_id, validate: (v: string) => (v.trim() && !/\s/.test(v.trim()) ? true : 'Paste the Client ID from the app page (no spaces)') }),
      ));
    const keep = config.values.client_secret;
    const clientSecret =
      given('client_secret') ??
      ((await ask(interactive, '--client-secret', 'DRIBBBLE_CLIENT_SECRET', () =>
        password!({
          message: keep ? 'Client Secret (Enter keeps the saved one):' : 'Client Secret:',
          mask: '•',
          validate: (v: string) => (v.trim() || keep ? (/\s/.test(v.trim()) ? 'A client secret has no spaces' : true) : 'Paste the Client Secret from the app page'),
        }),
      )) ||
        keep!);
    checkClientCredentials(clientId, clientSecret);

    registerSecret(clientSecret);
    const updates: Record<string, string> = { DRIBBBLE_CLIENT_ID: clientId, DRIBBBLE_CLIENT_SECRET: clientSecret, DRIBBBLE_REDIRECT_URI: redirectUri };
    if (flags.scope) updates.DRIBBBLE_SCOPE = flags.scope;
    await updateEnvFile(config.envFilePath, updates);
    out.line(`Wrote ${Object.keys(updates).join(', ')} to ${config.envFilePath} (mode 0600; every other line kept).`);
    await offerPreCommitHook(interactive, input, out);
    out.line(`Next: npm run authorize${flags.profile ? ` -- --profile ${flags.profile}` : ''}`);
    return { env_file: config.envFilePath, redirect_uri: redirectUri, client_id: clientId, register_url: REGISTER_URL };
  });
}
