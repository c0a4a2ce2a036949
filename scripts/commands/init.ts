// npm run init: asks for the callback URL, client ID and secret (or takes them from flags), writes
// .env, and prints what to enter on Dribbble's "Register a New Application" page.
import { parseFlags } from '../lib/cli/cli-flags.js';
import { loopbackTarget } from '../lib/oauth/callback-server.js';
import { runCommand, type Output } from '../lib/cli/command-output.js';
import { resolveConfig } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { MOCK_CALLBACK_PORT } from '../lib/mock/mock-defaults.js';
import { registerSecret } from '../lib/core/redaction.js';
import { updateEnvFile } from '../lib/disk/secret-file-store.js';

// The mock's demo app registers the same callback, so the demo and a real app work alike.
const DEFAULT_LOOPBACK_REDIRECT_URI = `http://127.0.0.1:${MOCK_CALLBACK_PORT}/auth/dribbble/callback`;
const REGISTER_URL = 'https://dribbble.com/account/applications/new';

function checkCallbackUrl(value: string): string | true {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return true;
  } catch {
    // fall through
  }
  return `Enter a full http:// or https:// URL, such as ${DEFAULT_LOOPBACK_REDIRECT_URI}`;
}

function printRegistration(out: Output, redirectUri: string, websiteUrl: string | undefined): void {
  const loopback = loopbackTarget(new URL(redirectUri));
  out.line('');
  out.line(`Register the app at ${REGISTER_URL} with:`);
  out.line('');
  out.line(`  Name          anything you like, e.g. "My portfolio"`);
  out.line(`  Description   optional`);
  out.line(`  Website URL   ${websiteUrl ?? 'your site, e.g. https://yourname.com (any public URL of yours)'}`);
  out.line(`  Callback URL  ${redirectUri}`);
  out.line('');
  out.line(
    loopback
      ? `  With this loopback callback, "npm run authorize" catches the redirect itself on port ${loopback.port}.`
      : '  With this callback, "npm run authorize" asks you to paste the URL the browser lands on.',
  );
  out.line(`  Dribbble then shows the Client ID and Client Secret on the application's page (Account settings > Applications > your app).`);
  out.line('');
}

async function ask(interactive: boolean, flag: string, variable: string, prompt: () => Promise<string>): Promise<string> {
  if (!interactive) {
    throw new UsageError(`missing_${flag.replace(/^--/, '').replace(/-/g, '_')}`, `No terminal to ask for it: pass ${flag} (or set ${variable}) to run "init" without prompts.`);
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
  const { hookStatus, installHook } = await import('../lib/secrets/pre-commit-hook.js');
  const hook = hookStatus(process.cwd());
  if (!hook || hook.installed) return;
  if (!interactive || !input) {
    out.line('Tip: "npm run check-secrets -- --install-hook" makes git refuse any commit that carries a secret.');
    return;
  }
  const answer = await input({ message: 'Install a git pre-commit hook that refuses commits carrying a secret? (Y/n)', default: 'Y' });
  if (/^n/i.test(answer.trim())) return;
  out.line(`Installed ${await installHook(process.cwd())}: every commit is checked for secrets first.`);
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ websiteUrl?: string }>(argv, 'init', 'Asks for client ID, secret and callback URL, writes .env (0600), and prints what to register on Dribbble.', {
    'website-url': { type: 'string', describe: 'Your website, shown in the registration instructions' },
  });
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
    const problem = checkCallbackUrl(redirectUri);
    if (problem !== true) throw new UsageError('invalid_redirect_uri', `The callback URL "${redirectUri}" (from --redirect-uri, DRIBBBLE_REDIRECT_URI or the prompt) is not usable: ${problem}.`);
    printRegistration(out, redirectUri, flags.websiteUrl);

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
    if (!clientId || /\s/.test(clientId)) throw new UsageError('invalid_client_id', `The client ID "${clientId}" (from --client-id, DRIBBBLE_CLIENT_ID or the prompt) is empty or has spaces: copy it again from the app page on Dribbble.`);
    if (!clientSecret || /\s/.test(clientSecret)) throw new UsageError('invalid_client_secret', 'The client secret (from --client-secret, DRIBBBLE_CLIENT_SECRET or the prompt) is empty or has spaces: copy it again from the app page on Dribbble.');

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
