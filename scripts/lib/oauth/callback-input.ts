// What a user pastes: a bare code, or the whole URL the browser landed on after consent.
import { ServerRefusedError, UsageError } from '../core/errors.js';
import { assertLiteral } from '../config/config-resolution.js';
import { explainOAuthError } from '../dribbble/oauth-error-meanings.js';
import { showUntrusted } from '../core/terminal-text.js';
import { showGivenUrl } from '../core/redaction.js';

export interface CallbackInput {
  code: string;
  /** Present when a URL was pasted and it carried one. */
  state?: string;
  /** origin + path the browser came back to: the redirect URI used at authorize. */
  returnedTo?: string;
}

/** Reads code/state/error from a callback's query (or fragment, which some front ends use). */
export function readCallbackParams(raw: string): { params: URLSearchParams; returnedTo?: string } {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url) {
    const params = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(url.hash.slice(1))) if (!params.has(k)) params.set(k, v);
    return { params, returnedTo: `${url.origin}${url.pathname}` };
  }
  return { params: new URLSearchParams(raw.replace(/^[?#]/, '')) };
}

/** Throws the server's refusal carried by a callback (error=access_denied, ...). */
export function assertNoCallbackError(params: URLSearchParams): void {
  const error = params.get('error');
  if (!error) return;
  const description = params.get('error_description');
  const shown = showUntrusted(error);
  throw new ServerRefusedError(shown, `The authorization failed: ${shown}${description ? ` ("${showUntrusted(description)}")` : ''}. ${explainOAuthError(error)}`);
}

export function parseCallbackInput(raw: string, source: string): CallbackInput {
  const input = raw.trim();
  if (!input) throw new UsageError('missing_code', `The code from ${source} is empty. Pass the code, or the whole URL the browser landed on after you approved.`);
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /[?#&]?(code|error|state)=/.test(input);
  if (!looksLikeUrl) {
    if (/\s/.test(input)) {
      throw new UsageError('malformed_code', `The code from ${source} contains whitespace, so it is not an authorization code. Paste just the code, or the whole callback URL in quotes.`);
    }
    assertLiteral(input, 'authorization code', source);
    return { code: input };
  }
  const { params, returnedTo } = readCallbackParams(input);
  assertNoCallbackError(params);
  const code = params.get('code');
  if (!code || /\s/.test(code)) {
    throw new UsageError(
      'missing_code',
      `The URL from ${source} has no code parameter${returnedTo ? ` (it points at ${showGivenUrl(returnedTo)})` : ''}. Paste the URL the browser landed on after you clicked "Authorize" on Dribbble; it looks like https://your-callback?code=...&state=....`,
    );
  }
  assertLiteral(code, 'authorization code in the URL', source);
  return { code, state: params.get('state') ?? undefined, returnedTo };
}
