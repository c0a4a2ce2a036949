// Runs one request of the catalogue through Newman with the saved token, within the rate budget:
// once, or page after page (Link rel="next") in one Newman run while the budget lasts; and says
// what a refusal means on Dribbble (approved-apps endpoints, missing scopes, validation errors).
import { API_PATH_PREFIX, PAGINATION, RATE_LIMITS, type ApiEndpoint } from '../dribbble/api-v2.js';
import { ProtocolError, ServerRefusedError, UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { describeSource, requireValue, type ResolvedConfig } from '../config/config-resolution.js';
import { assertNotRedirectedOrRefused, firstLine, parseJsonBody, quotedServerMessage, requireResponse } from '../http/http-answers.js';
import type { HttpExchange, ItemRun } from '../http/http-exchange.js';
import { loadCollection, runCollectionItems } from '../newman/newman-runner.js';
import type { ApiCall } from './api-arguments.js';
import { linkTarget, rawLinkTarget } from './link-header.js';
import { acquireRequests, recordAnswers, type BudgetOptions } from './rate-limiter.js';
import { budgetIdentity } from './rate-budget-store.js';
import { assertLiteralServerUrl, buildRunCollection } from './run-collection.js';

export interface ApiAnswer extends HttpExchange {
  url: string;
}

export interface ApiRunOptions extends BudgetOptions {
  timeoutMs: number;
  /** Folder Newman may read form-data files from, with the files named in `fileNames`. */
  workingDir?: string;
  fileNames?: Record<string, string>;
  /** Send the request to this URL instead of the item's own (the processing poll's Location). */
  url?: string;
  /** Collection variables the item reads (shot_location for the poll). */
  variables?: Record<string, string>;
  /** --paginate: the most pages to read (--max-pages; DEFAULT_MAX_PAGES when not given). */
  maxPages?: number;
}

/** The API's origin: the only place the token is sent (Link targets and Locations included). */
export function apiOrigin(config: ResolvedConfig): string {
  return new URL(requireValue(config, 'api_origin')).origin;
}

const apiSource = (config: ResolvedConfig) => describeSource(config.sources.api_origin);

/** The URL a user reads for an endpoint: GET https://api.dribbble.com/v2/user/shots. */
export function endpointLabel(endpoint: ApiEndpoint, pathParams: Record<string, string> = {}): string {
  return `${endpoint.method} ${API_PATH_PREFIX}${endpoint.path.replace(/:([a-z_]+)/g, (_m, name: string) => pathParams[name] ?? `:${name}`)}`;
}

const AUTHORIZE_WITH = (scope: string) => `npm run authorize -- --scope "${scope}"`;

/** Dribbble's `errors: [{attribute, message}]`, on one line, terminal-safe. */
export function describeFieldErrors(body: Record<string, unknown> | undefined): string {
  const errors = Array.isArray(body?.errors) ? (body!.errors as unknown[]) : [];
  const parts = errors.map((e) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    const attribute = typeof entry.attribute === 'string' ? entry.attribute : typeof entry.field === 'string' ? entry.field : '';
    const message = typeof entry.message === 'string' ? entry.message : typeof e === 'string' ? e : JSON.stringify(e);
    return showUntrusted(attribute ? `${attribute} ${message}` : message);
  });
  return parts.length ? ` Dribbble's objections: ${parts.join('; ')}.` : '';
}

/**
 * Throws the error a user can act on for every answer that is not a success: the same classes
 * as the rest of the tool (3xx exit 5, 401/403 and other 4xx exit 3, 429/5xx exit 4), with
 * Dribbble's meaning of a 403 on this endpoint and its `errors[]` spelled out.
 */
export function assertApiSuccess(answer: HttpExchange, call: Pick<ApiCall, 'endpoint' | 'pathParams'>, config: ResolvedConfig, target: string): void {
  const { endpoint } = call;
  const message = quotedServerMessage(answer);
  const renew = 'Get a new token with "npm run authorize" (or "npm run exchange -- --code <code>").';
  if (answer.status === 401) {
    throw new ServerRefusedError('invalid_token', `${target} answered 401${message}: the access token (from ${describeSource(config.sources.access_token)}) is missing, invalid or revoked. ${renew}`);
  }
  if (answer.status === 403) {
    if (endpoint.approvedAppsOnly) {
      throw new ServerRefusedError('needs_approval', `${target} answered 403${message}: "${endpoint.name}" (${endpoint.method} ${endpoint.path}) is reserved for apps Dribbble has approved, and this app is not one of them. No token or scope changes that: ask Dribbble to approve the app (see the Applications page of your Dribbble account), or use an endpoint open to every app.`);
    }
    if (endpoint.scope === 'upload') {
      throw new ServerRefusedError('missing_scope', `${target} answered 403${message}: "${endpoint.name}" needs the "upload" scope${endpoint.condition ? `, and ${endpoint.condition}` : ''}. If the token was granted "public" only, authorize again with the scope: ${AUTHORIZE_WITH('public upload')}.`);
    }
    throw new ServerRefusedError('forbidden', `${target} answered 403${message}: the token may not do this${endpoint.condition ? ` (${endpoint.condition})` : ''}.`);
  }
  assertNotRedirectedOrRefused(answer, target, 'The request with your access token', renew);
  if (answer.status >= 400) {
    const body = parseJsonBody(answer);
    const meaning: Record<number, [string, string]> = {
      400: ['bad_request', 'the request was malformed (a body that is not valid JSON, or a field of the wrong type)'],
      404: ['not_found', `nothing there${endpoint.condition ? ` (${endpoint.condition})` : ''}: check the id`],
      422: ['validation_failed', 'a field was refused'],
    };
    const [code, what] = meaning[answer.status] ?? ['refused', 'the request was refused'];
    throw new ServerRefusedError(code, `${target} answered ${answer.status}${message}: ${what}.${describeFieldErrors(body)}`);
  }
  if (answer.status !== 204 && answer.body.trim() && !isJson(answer.body)) {
    throw new ProtocolError('not_json', `${target} answered ${answer.status} with ${showUntrusted(answer.headers['content-type'] ?? 'no content type')}, not JSON: ${firstLine(answer.body)}. Check --api-url / DRIBBBLE_API_URL (from ${apiSource(config)}): it should be https://api.dribbble.com.`);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function toAnswer(run: ItemRun, fallbackUrl: string, timeoutMs: number): ApiAnswer {
  const url = showUntrusted(run.request?.url ?? fallbackUrl);
  return { ...requireResponse(run, url, timeoutMs), url };
}

/** Sends the call once (within the budget) and returns its answer, checked. */
export async function sendApiCall(call: ApiCall, config: ResolvedConfig, options: ApiRunOptions): Promise<ApiAnswer> {
  const origin = apiOrigin(config);
  const token = budgetIdentity(origin, requireValue(config, 'access_token', 'Get one with "npm run authorize" (or "npm run exchange -- --code <code>"); it is saved into .env.'));
  const collection = buildRunCollection(await loadCollection(), call, {
    pathVariables: { ...pathVariables(call), ...options.variables },
    fileNames: options.fileNames,
    ...(options.url ? { loop: { passes: 1, origin, startUrl: options.url } } : {}),
  });
  const grant = await acquireRequests(token, 1, options);
  const run = await runCollectionItems([call.endpoint.name], config.values, { timeoutMs: options.timeoutMs, collection, workingDir: options.workingDir }).catch(async (error: unknown) => {
    // It may have been sent: settled, not given back.
    await recordAnswers(token, grant, [], 0, options);
    throw error;
  });
  const sent = run.exchanges.filter((e) => e.response);
  await recordAnswers(token, grant, sent.map((e) => e.response!), sent.length ? 0 : 1, options);
  const target = `${origin}${endpointLabel(call.endpoint, call.pathParams).split(' ')[1]}`;
  const answer = toAnswer(run.items[0] ?? { name: call.endpoint.name, failures: [] }, options.url ?? target, options.timeoutMs);
  assertApiSuccess(answer, call, config, answer.url);
  return answer;
}

/** Path parameters as the collection's variables name them (shot_id, project_id ...). */
function pathVariables(call: ApiCall): Record<string, string> {
  return Object.fromEntries(call.endpoint.params.filter((p) => p.in === 'path' && p.variable && call.pathParams[p.name] !== undefined).map((p) => [p.variable!, call.pathParams[p.name]!]));
}

export interface PageRun {
  items: unknown[];
  answers: ApiAnswer[];
}

/**
 * The most pages `--paginate` reads unless --max-pages says otherwise: 10,000 items at
 * per_page 100, far past any list Dribbble keeps for one user; a server still sending a
 * Link rel="next" then is taken for one whose pages never end.
 */
export const DEFAULT_MAX_PAGES = 100;

/** Pages one Newman run may read at first; each further run may read twice as many (a minute's budget at most). */
export const FIRST_PAGE_RUN = 4;

/**
 * How many pages to reserve for the next Newman run: never far more than it is about to send
 * (so that concurrent commands are not kept waiting on budget it will not use), doubling as the
 * list proves long, and never past the page cap.
 */
export function pagesForRun(runsDone: number, pagesRead: number, maxPages: number): number {
  return Math.max(0, Math.min(FIRST_PAGE_RUN * 2 ** Math.min(runsDone, 10), RATE_LIMITS.perMinute, maxPages - pagesRead));
}

/** Stopped at the page cap: what was read comes along, so that it is not lost. */
export class PageCapError extends ProtocolError {
  constructor(message: string, readonly partial: PageRun) {
    super('page_cap', message);
  }
}

/**
 * The page to read after the pages in `read` (their URLs, in order), given the last one's
 * Link rel="next" target (`next`): undefined at the last page. Refuses a next link on another
 * origin than the API's (the token goes nowhere else), one back to a page already read (a loop),
 * and one past `maxPages` pages (a server whose pages never end), each exit 5.
 */
export function nextPageUrl(next: string | undefined, origin: string, read: PageRun, maxPages: number, capFromFlag: boolean, followed: Set<string> = new Set()): string | undefined {
  if (!next) return undefined;
  const last = read.answers.at(-1)?.url ?? origin;
  // Before anything else: a {{variable}} in it would be filled in with a secret by Newman.
  assertLiteralServerUrl(next, 'Link rel="next" header', last);
  if (new URL(next).origin !== origin) {
    throw new ProtocolError('link_elsewhere', `${last} sent a Link rel="next" to ${showUntrusted(new URL(next).origin)}, not the API's origin ${origin}: it was not followed, as the token goes only to the API. ${read.items.length} items were read.`);
  }
  // A server whose "next" comes back to a page already read would loop for ever.
  // Compared as sent: Newman's form of a URL (its percent-encoding) is the WHATWG one the server's was resolved to.
  const target = sameUrlForm(next);
  if ([...followed].some((u) => sameUrlForm(u) === target) || read.answers.some((a) => sameUrlForm(a.url) === target)) throw new ProtocolError('link_loop', `${last} sent a Link rel="next" back to a page already read (${showUntrusted(next)}): stopped after ${read.items.length} items.`);
  if (read.answers.length >= maxPages) {
    throw new PageCapError(
      `Stopped after ${read.answers.length} pages (${read.items.length} items), the cap of --max-pages ${maxPages}${capFromFlag ? '' : ' (the default)'}: ${last} still sent a Link rel="next" (${showUntrusted(next)}). ${capFromFlag ? 'If the list really is longer, run again with a larger --max-pages.' : 'Dribbble keeps no list that long for one user, so this looks like a server whose pages never end; if the list really is longer, run again with a larger --max-pages (or a larger -f per_page, at most 100).'} The items read are printed; the list is incomplete.`,
      read,
    );
  }
  followed.add(next);
  return next;
}

/** A URL in one form (WHATWG's serialization), so that the same page is recognised however it was written. */
function sameUrlForm(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

const PAGES_READ = new WeakMap<object, PageRun>();

/**
 * The pages read before `error` stopped a --paginate (a 429, a refusal, the budget, the page cap):
 * paid for, so the command prints them where its output contract allows.
 */
export function pagesReadBefore(error: unknown): PageRun | undefined {
  if (error instanceof PageCapError) return error.partial;
  return error && typeof error === 'object' ? PAGES_READ.get(error) : undefined;
}

/**
 * Every page, following Link rel="next" (only on the API's origin: the token goes nowhere else),
 * per_page 100 unless given, at most `maxPages` pages. Pages run in Newman runs of a few pages
 * (FIRST_PAGE_RUN, doubling), each paid for before it starts; when the budget runs out the
 * command waits (or stops) and goes on from the next page in a new run.
 */
export async function sendPaginated(call: ApiCall, config: ResolvedConfig, options: ApiRunOptions, onPage: (items: unknown[]) => void = () => {}): Promise<PageRun> {
  if (!call.endpoint.paginated) throw new UsageError('not_paginated', `"${call.endpoint.name}" answers one object, not pages: leave out --paginate.`);
  const origin = apiOrigin(config);
  const token = budgetIdentity(origin, requireValue(config, 'access_token', 'Get one with "npm run authorize" (or "npm run exchange -- --code <code>"); it is saved into .env.'));
  const paged: ApiCall = { ...call, query: { per_page: String(PAGINATION.maxPerPage), ...call.query } };
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const base = await loadCollection();
  const read: PageRun = { items: [], answers: [] };
  try {
    return await readPages(call, config, options, onPage, { origin, token, paged, maxPages, base, read });
  } catch (error) {
    if (read.answers.length && error && typeof error === 'object') PAGES_READ.set(error, read);
    throw error;
  }
}

async function readPages(
  call: ApiCall,
  config: ResolvedConfig,
  options: ApiRunOptions,
  onPage: (items: unknown[]) => void,
  { origin, token, paged, maxPages, base, read }: { origin: string; token: string; paged: ApiCall; maxPages: number; base: Awaited<ReturnType<typeof loadCollection>>; read: PageRun },
): Promise<PageRun> {
  const followed = new Set<string>();
  let startUrl: string | undefined;
  for (let runs = 0; ; runs++) {
    // Reserve what this run is about to send (the loop stops at the last page anyway; unused ones are given back).
    const grant = await acquireRequests(token, pagesForRun(runs, read.answers.length, maxPages), options);
    const collection = buildRunCollection(base, paged, { pathVariables: pathVariables(paged), loop: { passes: grant.count, origin, startUrl } });
    const run = await runCollectionItems([call.endpoint.name], config.values, { timeoutMs: options.timeoutMs, collection }).catch(async (error: unknown) => {
      await recordAnswers(token, grant, [], 0, options);
      throw error;
    });
    const sent = run.exchanges.filter((e) => e.response || e.transportError);
    await recordAnswers(token, grant, sent.flatMap((e) => (e.response ? [e.response] : [])), Math.max(0, grant.count - sent.length), options);
    if (!sent.length) toAnswer(run.items[0] ?? { name: call.endpoint.name, failures: [] }, startUrl ?? origin, options.timeoutMs);
    let next: string | undefined;
    for (const exchange of sent) {
      const answer = toAnswer(exchange, startUrl ?? origin, options.timeoutMs);
      assertApiSuccess(answer, call, config, answer.url);
      let page: unknown;
      try {
        page = JSON.parse(answer.body);
      } catch {
        page = undefined;
      }
      if (!Array.isArray(page)) throw new ProtocolError('not_a_page', `${answer.url} answered ${answer.status} without a JSON list: ${firstLine(answer.body)}. A page of "${call.endpoint.name}" is a list.`);
      read.items.push(...page);
      read.answers.push(answer);
      onPage(page);
      // The gate sees the target as the server wrote it too: resolving may encode what the loop script saw.
      const raw = rawLinkTarget(answer.headers.link, 'next');
      if (raw !== undefined) assertLiteralServerUrl(raw, 'Link rel="next" header', answer.url);
      next = linkTarget(answer.headers.link, 'next', answer.url);
    }
    startUrl = nextPageUrl(next, origin, read, maxPages, options.maxPages !== undefined, followed);
    if (!startUrl) return read;
  }
}
