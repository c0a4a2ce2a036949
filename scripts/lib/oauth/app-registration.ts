// What `init` checks and prints without touching a terminal or a file: the callback URL, the
// refusal when an answer is missing and there is no terminal to ask, and what to register.
import { UsageError } from '../core/errors.js';
import { showGivenUrl } from '../core/redaction.js';
import { MOCK_CALLBACK_PORT } from '../mock/mock-defaults.js';
import { loopbackTarget } from './callback-server.js';

// The mock's demo app registers the same callback, so the demo and a real app work alike.
export const DEFAULT_LOOPBACK_REDIRECT_URI = `http://127.0.0.1:${MOCK_CALLBACK_PORT}/auth/dribbble/callback`;
export const REGISTER_URL = 'https://dribbble.com/account/applications/new';

/** true for a full http(s) URL, else the advice a prompt shows. */
export function checkCallbackUrl(value: string): string | true {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return true;
  } catch {
    // fall through
  }
  return `Enter a full http:// or https:// URL, such as ${DEFAULT_LOOPBACK_REDIRECT_URI}`;
}

/** The callback URL, or exit 2 quoting it. */
export function requireCallbackUrl(redirectUri: string): string {
  const problem = checkCallbackUrl(redirectUri);
  if (problem !== true) throw new UsageError('invalid_redirect_uri', `The callback URL "${showGivenUrl(redirectUri)}" (from --redirect-uri, DRIBBBLE_REDIRECT_URI or the prompt) is not usable: ${problem}.`);
  return redirectUri;
}

/** Without a terminal, an answer that no flag or variable gave: exit 2 naming both. */
export function missingAnswer(flag: string, variable: string): UsageError {
  return new UsageError(`missing_${flag.replace(/^--/, '').replace(/-/g, '_')}`, `No terminal to ask for it: pass ${flag} (or set ${variable}) to run "init" without prompts.`);
}

/** The client ID and secret as Dribbble shows them: present, without spaces; else exit 2. */
export function checkClientCredentials(clientId: string, clientSecret: string): void {
  if (!clientId || /\s/.test(clientId)) throw new UsageError('invalid_client_id', `The client ID "${showGivenUrl(clientId)}" (from --client-id, DRIBBBLE_CLIENT_ID or the prompt) is empty or has spaces: copy it again from the app page on Dribbble.`);
  if (!clientSecret || /\s/.test(clientSecret)) throw new UsageError('invalid_client_secret', 'The client secret (from --client-secret, DRIBBBLE_CLIENT_SECRET or the prompt) is empty or has spaces: copy it again from the app page on Dribbble.');
}

/** What to enter on Dribbble's "Register a New Application" page, line by line. */
export function registrationLines(redirectUri: string, websiteUrl: string | undefined): string[] {
  const loopback = loopbackTarget(new URL(redirectUri));
  return [
    '',
    `Register the app at ${REGISTER_URL} with:`,
    '',
    `  Name          anything you like, e.g. "My portfolio"`,
    `  Description   optional`,
    `  Website URL   ${websiteUrl !== undefined ? showGivenUrl(websiteUrl) : 'your site, e.g. https://yourname.com (any public URL of yours)'}`,
    `  Callback URL  ${showGivenUrl(redirectUri)}`,
    '',
    loopback
      ? `  With this loopback callback, "npm run authorize" catches the redirect itself on port ${loopback.port}.`
      : '  With this callback, "npm run authorize" asks you to paste the URL the browser lands on.',
    `  Dribbble then shows the Client ID and Client Secret on the application's page (Account settings > Applications > your app).`,
    '',
  ];
}
