// What a server's answer means before its body is read as a token or a user: a redirect (never
// followed with a secret), a refusal, or a "not now". Shared by the token and the user requests.
import { NetworkError, ProtocolError, ServerRefusedError, describeNetworkFailure } from '../core/errors.js';
import type { HttpExchange, ItemRun } from './http-exchange.js';
import { showUntrusted } from '../core/terminal-text.js';
import { maskSecret, registerSecret } from '../core/redaction.js';

// Keys whose value is a credential wherever it appears in an answer: an echo of the body (an error
// line) never shows it in clear, and the value is registered, so every later output masks it too.
const SECRET_KEYS = 'access_token|refresh_token|id_token|token|client_secret|code|code_verifier|password';
const SECRET_IN_JSON = new RegExp(`("(?:${SECRET_KEYS})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'gi');
const SECRET_IN_FORM = new RegExp(`((?:^|[?&\\s])(?:${SECRET_KEYS})=)([^&\\s"]*)()`, 'gi');

/** Masks (and registers as secrets) the credential values in an answer's text. */
export function maskCredentials(text: string): string {
  const mask = (_m: string, before: string, value: string, after: string) => {
    // Registered only when it looks like a credential: an API error's {"code":"not_found"} must
    // not mask the words "not_found" in everything printed after it.
    if (value.length >= 16 && !/\s/.test(value)) registerSecret(value);
    return `${before}${value ? maskSecret(value) : ''}${after}`;
  };
  return text.replace(SECRET_IN_JSON, mask).replace(SECRET_IN_FORM, mask);
}

/** First non-empty line of a body, short, credentials masked, safe for a terminal. */
export function firstLine(body: string): string {
  const line = maskCredentials(body).split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '(empty body)';
  return showUntrusted(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** The body as a JSON object (a leading BOM ignored), or undefined. */
export function parseJsonBody(response: HttpExchange): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(response.body.replace(/^\ufeff/, '')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The API's own `{"message": ...}`, quoted and terminal-safe for an error line, or nothing. */
export function quotedServerMessage(response: HttpExchange): string {
  const body = parseJsonBody(response);
  return typeof body?.message === 'string' ? ` ("${showUntrusted(maskCredentials(body.message))}")` : '';
}

/** The URL Newman actually requested (what the user should see), else the one we built. */
export function requestedUrl(run: ItemRun | undefined, fallback: string): string {
  return showUntrusted(run?.request?.url ?? fallback);
}

/** The response of a request Newman ran, or the transport failure that stopped it. */
export function requireResponse(run: ItemRun | undefined, target: string, timeoutMs: number): HttpExchange {
  if (run?.transportError) throw describeNetworkFailure(run.transportError, target, timeoutMs);
  if (!run?.response) {
    throw new Error(`The request to ${target} was not sent: ${run?.failures.join(' ') || 'Newman did not run it'}.`);
  }
  return run.response;
}

/** When to try again, from Retry-After (seconds or a date) or X-RateLimit-Reset (epoch seconds). */
export function describeRetryWait(headers: Record<string, string>, now = Date.now()): string {
  const at = (ms: number) => `at ${new Date(ms).toISOString().slice(11, 19)} UTC (in ${Math.max(0, Math.ceil((ms - now) / 1000))} s)`;
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return `in ${Number(retryAfter)} s (Retry-After)`;
  if (retryAfter && Number.isFinite(Date.parse(retryAfter))) return `${at(Date.parse(retryAfter))} (Retry-After)`;
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset && /^\d+$/.test(reset)) return `${at(Number(reset) * 1000)} (X-RateLimit-Reset)`;
  return 'later (the server said not when)';
}

/** Location's origin only: its query may carry anything, a secret included. */
function redirectOrigin(location: string | undefined, target: string): string {
  if (!location) return 'nowhere (no Location header)';
  try {
    const url = new URL(location, target);
    return showUntrusted(`${url.protocol}//${url.host}`);
  } catch {
    return 'an unreadable Location';
  }
}

const REFUSAL_MEANINGS: Record<number, string> = {
  401: 'the credentials were not accepted',
  403: 'the credentials are valid but not allowed to do this (on Dribbble: the token lacks a scope, such as "upload", or the account may not do it)',
};

/**
 * Throws for every answer that is not a 2xx: 3xx is a protocol error (not followed), 401/403 a
 * refusal, 429 and 5xx "retry later" with the wait. An OAuth error JSON is left to the caller.
 */
export function assertNotRedirectedOrRefused(response: HttpExchange, target: string, what: string, remedy401: string): void {
  const { status, headers } = response;
  if (status >= 300 && status < 400) {
    throw new ProtocolError(
      'redirect_refused',
      `${target} answered ${status}, a redirect to ${redirectOrigin(headers.location, target)}. ${what} carries a secret, so the redirect was not followed; Dribbble does not redirect here. Check the base URL (--oauth-url / DRIBBBLE_OAUTH_URL, --api-url / DRIBBBLE_API_URL): it may need https:// or another path.`,
    );
  }
  const message = quotedServerMessage(response);
  if (status === 401 || status === 403) {
    throw new ServerRefusedError(status === 401 ? 'unauthorized' : 'forbidden', `${target} answered ${status}${message}: ${REFUSAL_MEANINGS[status]}. ${remedy401}`);
  }
  if (status === 429) {
    throw new NetworkError('rate_limited', `${target} answered 429${message}: too many requests (Dribbble allows 60 a minute). Try again ${describeRetryWait(headers)}.`);
  }
  if (status >= 500) {
    throw new NetworkError('server_unavailable', `${target} answered ${status}, a server error: ${firstLine(response.body)}. Try again ${describeRetryWait(headers)}.`);
  }
}
