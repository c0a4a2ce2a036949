// Get authenticated user, run by Newman with the saved token, and what its answer means.
import { ITEM_GET_USER } from '../postman/collection-files.js';
import { describeSource, requireValue, type ResolvedConfig } from '../config/config-resolution.js';
import { ProtocolError, ServerRefusedError } from '../core/errors.js';
import { assertNotRedirectedOrRefused, firstLine, parseJsonBody, quotedServerMessage, requestedUrl, requireResponse } from '../http/http-answers.js';
import type { HttpExchange } from '../http/http-exchange.js';
import { runCollectionItems } from '../newman/newman-runner.js';
import { showUntrusted } from '../core/terminal-text.js';
import { API_PATH_PREFIX } from '../dribbble/api-v2.js';
import { acquireRequests, recordAnswers, type BudgetOptions } from './rate-limiter.js';
import { budgetIdentity } from './rate-budget-store.js';

export interface RateLimit {
  limit?: number;
  remaining?: number;
  /** Epoch seconds. */
  reset?: number;
}

export interface AuthenticatedUser {
  user: Record<string, unknown> & { login: string };
  rateLimit: RateLimit;
}

function readRateLimit(response: HttpExchange): RateLimit {
  const number = (name: string) => {
    const value = Number(response.headers[name]);
    return Number.isFinite(value) && response.headers[name] !== undefined ? value : undefined;
  };
  return { limit: number('x-ratelimit-limit'), remaining: number('x-ratelimit-remaining'), reset: number('x-ratelimit-reset') };
}

export function describeReset(reset: number | undefined): string {
  return reset === undefined ? 'in a minute' : `at ${new Date(reset * 1000).toISOString().slice(11, 19)} UTC`;
}

/** What whoami prints: who, their profile and the rate-limit headroom, each value terminal-safe. */
export function describeAuthenticatedUser({ user, rateLimit }: AuthenticatedUser): string[] {
  const lines = [`Signed in as ${showUntrusted(user.login)}${typeof user.name === 'string' ? ` (${showUntrusted(user.name)})` : ''}`];
  if (typeof user.html_url === 'string') lines.push(`Profile: ${showUntrusted(user.html_url)}`);
  if (rateLimit.remaining !== undefined) {
    lines.push(`Rate limit: ${rateLimit.remaining} of ${rateLimit.limit ?? '?'} requests left this minute (resets ${describeReset(rateLimit.reset)})`);
  }
  return lines;
}

/** whoami's --json result. */
export function authenticatedUserResult({ user, rateLimit }: AuthenticatedUser): { user: AuthenticatedUser['user']; rate_limit: RateLimit } {
  return { user, rate_limit: rateLimit };
}

export function validateUserResponse(response: HttpExchange, config: ResolvedConfig, userUrl: string): AuthenticatedUser {
  const renew = 'Get a new one with "npm run authorize" (or "npm run exchange -- --code <code>").';
  if (response.status === 401) {
    throw new ServerRefusedError('invalid_token', `${userUrl} answered 401${quotedServerMessage(response)}: the access token (from ${describeSource(config.sources.access_token)}) is missing, invalid or revoked. ${renew}`);
  }
  assertNotRedirectedOrRefused(response, userUrl, 'The request with your access token', renew);
  const body = parseJsonBody(response);
  const rateLimit = readRateLimit(response);
  if (response.status === 200 && body && typeof body.login === 'string') {
    return { user: body as AuthenticatedUser['user'], rateLimit };
  }
  throw new ProtocolError(
    body ? 'unexpected_user_response' : 'not_json',
    `${userUrl} answered ${response.status} ${body ? 'without a user' : `with ${showUntrusted(response.headers['content-type'] ?? 'no content type')}, not JSON`}: ${firstLine(response.body)}. Check --api-url / DRIBBBLE_API_URL (from ${describeSource(config.sources.api_origin)}): it should be https://api.dribbble.com.`,
  );
}

/** Through the same rate budget as every API request (`budget`: how to wait and say so). */
export async function fetchAuthenticatedUser(config: ResolvedConfig, timeoutMs: number, budget: BudgetOptions): Promise<AuthenticatedUser> {
  const token = budgetIdentity(config.values.api_origin ?? '', requireValue(config, 'access_token', 'Get one with "npm run authorize" (or "npm run exchange -- --code <code>"); it is saved into .env.'));
  const grant = await acquireRequests(token, 1, budget);
  const run = await runCollectionItems([ITEM_GET_USER], config.values, { timeoutMs }).catch(async (error: unknown) => {
    // It may have been sent: settled, not given back.
    await recordAnswers(token, grant, [], 0, budget);
    throw error;
  });
  await recordAnswers(token, grant, run.items[0]?.response ? [run.items[0].response] : [], run.items[0]?.response ? 0 : 1, budget);
  const userUrl = requestedUrl(run.items[0], `${config.values.api_origin}${API_PATH_PREFIX}/user`);
  return validateUserResponse(requireResponse(run.items[0], userUrl, timeoutMs), config, userUrl);
}
