// The in-memory collection one `api` run sends: the chosen item with the user's values in place
// (query, path parameters, body fields, files), and, for pagination and polling, a short loop of
// the same item over a list of URLs inside ONE Newman run (pm.execution.setNextRequest).
import type { PostmanCollection } from '../postman/collection-types.js';
import { ProtocolError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { NEWMAN_TEMPLATE_OPEN, assertLiteral, isLiteral } from '../config/config-resolution.js';
import type { ApiCall } from './api-arguments.js';

type Json = Record<string, unknown>;
type Entry = Json & { name: string; item?: Entry[]; event?: Array<{ listen: string; script: { exec: string[] | string } }> };
type Row = { key: string; value?: string; type?: string; src?: string; disabled?: boolean };

/** Collection variables the loop scripts use (none is a Postman variable of the product). */
export const NEXT_URL_VARIABLE = 'dribbble_oauth_next_url';
export const PAGES_LEFT_VARIABLE = 'dribbble_oauth_pages_left';
export const SEEN_URLS_VARIABLE = 'dribbble_oauth_seen_urls';

/** The item of that name at any depth, with the folders above it. */
export function findItemPath(entries: readonly Entry[], name: string): Entry[] | undefined {
  for (const entry of entries) {
    if (entry.name === name && !Array.isArray(entry.item)) return [entry];
    if (Array.isArray(entry.item)) {
      const inner = findItemPath(entry.item, name);
      if (inner) return [entry, ...inner];
    }
  }
  return undefined;
}

function setRows(rows: Row[], values: Record<string, string | string[]>, asFile = false): Row[] {
  let out = [...rows];
  for (const [key, raw] of Object.entries(values)) {
    const list = Array.isArray(raw) ? raw : [raw];
    // An array field goes out as key[] rows when the item names it so (Rails' convention), else joined.
    const arrayKey = out.some((r) => r.key === `${key}[]`) ? `${key}[]` : undefined;
    const template = out.find((r) => r.key === (arrayKey ?? key));
    out = out.filter((r) => r.key !== key && r.key !== `${key}[]`);
    const made = (arrayKey ? list : [list.join(',')]).map((value) =>
      asFile ? { ...template, key, type: 'file', src: value, disabled: false, value: undefined } : { ...template, key: arrayKey ?? key, type: template?.type === 'file' ? 'text' : template?.type, value, src: undefined, disabled: false },
    );
    out.push(...(made as Row[]));
  }
  return out;
}

function stringValues(values: ApiCall['body']): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
}

/** The item's request with the call's values in place. */
export function applyCall(request: Json, call: ApiCall, fileNames: Record<string, string>): Json {
  // Every value of a call enters the request here, and Newman would fill a {{variable}} in any of
  // them (a title of "{{access_token}}" would publish the token): values go out literally or not at all.
  for (const [what, values] of [['query parameter', call.query], ['path parameter', call.pathParams], ['field', call.body]] as const) {
    for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) assertLiteral(String(v), `${what} "${key}"`, 'the command line');
  }
  const url = (typeof request.url === 'string' ? { raw: request.url } : { ...(request.url as Json) }) as Json & { query?: Row[]; variable?: Row[]; raw?: string };
  if (Object.keys(call.query).length) url.query = setRows(url.query ?? [], call.query);
  // Path parameters: Postman's :name rows if the item has them (collection variables cover {{shot_id}}).
  if (Array.isArray(url.variable)) url.variable = url.variable.map((v) => (call.pathParams[v.key] !== undefined ? { ...v, value: call.pathParams[v.key] } : v));
  if (typeof url.raw === 'string' && Array.isArray(url.query)) {
    const enabled = url.query.filter((q) => !q.disabled).map((q) => `${q.key}=${encodeURIComponent(q.value ?? '')}`).join('&');
    url.raw = `${url.raw.split('?')[0]}${enabled ? `?${enabled}` : ''}`;
  }
  const out: Json = { ...request, url };
  const body = request.body as (Json & { mode?: string; formdata?: Row[]; urlencoded?: Row[]; raw?: string }) | undefined;
  const fields = stringValues(call.body);
  // The body is exactly what the call gives: the item's example values (its rows, its raw JSON) stay out.
  const onlyGiven = (rows: Row[]) => rows.map((r) => (r.key.replace(/\[\]$/, '') in call.body || r.key in fileNames ? r : { ...r, disabled: true }));
  if (body || Object.keys(call.body).length || Object.keys(fileNames).length) {
    const mode = body?.mode ?? (Object.keys(fileNames).length ? 'formdata' : 'raw');
    if (mode === 'formdata') {
      out.body = { ...body, mode, formdata: onlyGiven(setRows(setRows(body?.formdata ?? [], fields), fileNames, true)) };
    } else if (mode === 'urlencoded') {
      out.body = { ...body, mode, urlencoded: onlyGiven(setRows(body?.urlencoded ?? [], fields)) };
    } else {
      // JSON: the item's own raw body is a template of {{variables}}; the call's fields replace it.
      out.body = { ...body, mode: 'raw', raw: JSON.stringify(call.body), options: { raw: { language: 'json' } } };
      const headers = (request.header as Row[] | undefined) ?? [];
      if (!headers.some((h) => h.key.toLowerCase() === 'content-type' && !h.disabled)) out.header = [...headers, { key: 'Content-Type', value: 'application/json' }];
    }
  }
  return out;
}

/**
 * The gate for URLs a server gave (a Link rel="next", a Location to poll) before they become a
 * request: Newman would fill a {{variable}} in them as in any user value (applyCall), and send
 * the client secret or the token in the URL to wherever the server points. Such a URL is no URL
 * Dribbble sends: it is refused (exit 5), never requested. The loop script applies the same test
 * (isLiteral's NEWMAN_TEMPLATE_OPEN) inside Newman, where the command cannot see each page first.
 */
export function assertLiteralServerUrl(url: string, header: string, from: string): void {
  if (isLiteral(url)) return;
  throw new ProtocolError(
    'templated_url',
    `${from} sent a ${header} whose URL contains "${NEWMAN_TEMPLATE_OPEN}" (${showUntrusted(url)}). Newman would replace that with the value of one of its variables (such as the client secret or the access token) and send it to that URL, so the URL was refused and not requested. Dribbble sends no such URL: check that --api-url / DRIBBBLE_API_URL points at the API (https://api.dribbble.com), and if it does, report the answer to the server's owner.`,
  );
}

// Sandbox source: takes the next URL from the loop's list before each pass.
const LOOP_PRE_REQUEST = `
var next = pm.collectionVariables.get('${NEXT_URL_VARIABLE}');
if (next) pm.request.url.update(String(next));`;

/**
 * Sandbox source: loops the item while the answer is a 200 with a Link rel="next" on `origin`
 * and passes are left. The command reads every answer again with its own Link parser.
 */
function loopTest(origin: string): string {
  return `
var left = Number(pm.collectionVariables.get('${PAGES_LEFT_VARIABLE}')) - 1;
pm.collectionVariables.set('${PAGES_LEFT_VARIABLE}', String(left));
var link = pm.response.headers.get('Link') || '';
var next = '';
link.split(/,(?=\\s*<)/).forEach(function (part) {
    var m = /^\\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\\s*rel\\s*=\\s*"?([^";]*\\s)?next(\\s[^";]*)?"?/i.test(m[2]) && !next) next = m[1];
});
var origin = ${JSON.stringify(origin)};
// A URL with a {{variable}} in it would go out with the variable's value (a secret) filled in: not
// followed here; the command refuses it (exit 5) from the same answer.
var literal = next.indexOf(${JSON.stringify(NEWMAN_TEMPLATE_OPEN)}) === -1;
// Dribbble says how many requests are left: none, and the next page would earn a 429. Stop; the
// command waits for the budget and goes on from this page's next link in a new run.
var remaining = String(pm.response.headers.get('X-RateLimit-Remaining') || '').trim();
var spent = /^\\d+$/.test(remaining) && Number(remaining) < 1;
// A next link to a page already requested is a loop: stop here, not after the pass count (each pass
// costs a request). Compared with the URLs as sent (Newman's own form) and as the server gave them.
var seen = JSON.parse(pm.collectionVariables.get('${SEEN_URLS_VARIABLE}') || '[]');
var sent = pm.request.url.toString();
if (seen.indexOf(sent) === -1) seen.push(sent);
pm.collectionVariables.set('${SEEN_URLS_VARIABLE}', JSON.stringify(seen));
if (pm.response.code === 200 && left > 0 && next && literal && !spent && seen.indexOf(next) === -1 && (next === origin || next.indexOf(origin + '/') === 0)) {
    seen.push(next);
    pm.collectionVariables.set('${SEEN_URLS_VARIABLE}', JSON.stringify(seen));
    pm.collectionVariables.set('${NEXT_URL_VARIABLE}', next);
    pm.execution.setNextRequest(pm.info.requestName);
} else {
    pm.execution.setNextRequest(null);
}`;
}

function event(listen: 'prerequest' | 'test', source: string) {
  return { listen, script: { type: 'text/javascript', exec: source.trim().split('\n') } };
}

export interface RunCollectionOptions {
  /** Path parameters as the collection's variables name them (shot_id ...). */
  pathVariables?: Record<string, string>;
  /** Form-data files: field name to the file's name in the run's working folder. */
  fileNames?: Record<string, string>;
  /** Loop the item: start at `startUrl` (if given), at most `passes` times, following Link on `origin`. */
  loop?: { passes: number; origin: string; startUrl?: string };
}

/**
 * The collection cut to the one item (its folders kept: their auth and pre-request scripts apply),
 * test scripts dropped on the way (the command reads the answer itself, and the collection's own
 * loops, such as the processing poll, would spend the rate budget behind its back), the call applied.
 */
export function buildRunCollection(collection: PostmanCollection, call: ApiCall, options: RunCollectionOptions = {}): PostmanCollection {
  const path = findItemPath(collection.item as unknown as Entry[], call.endpoint.name);
  if (!path) throw new Error(`The collection has no item "${call.endpoint.name}"; run "npm run generate".`);
  const withoutTests = (e: Entry): Entry => ({ ...e, event: (e.event ?? []).filter((ev) => ev.listen !== 'test') });
  const item = withoutTests(path.at(-1)!);
  item.request = applyCall(item.request as Json, call, options.fileNames ?? {});
  // Server-given URLs are gated where they are taken (nextPageUrl, the upload's Location); this is the last stop before Newman.
  if (options.loop?.startUrl !== undefined) assertLiteralServerUrl(options.loop.startUrl, 'URL to request', 'The server');
  for (const [key, value] of Object.entries(options.pathVariables ?? {})) assertLiteralServerUrl(value, `value for {{${key}}}`, 'The server');
  if (options.loop) item.event = [...(item.event ?? []), event('prerequest', LOOP_PRE_REQUEST), event('test', loopTest(options.loop.origin))];
  let nested: Entry = item;
  for (const folder of path.slice(0, -1).reverse()) nested = { ...withoutTests(folder), item: [nested] };
  const variables = [...((collection as unknown as { variable?: Row[] }).variable ?? [])].filter((v) => ![NEXT_URL_VARIABLE, PAGES_LEFT_VARIABLE, SEEN_URLS_VARIABLE, ...Object.keys(options.pathVariables ?? {})].includes(v.key));
  for (const [key, value] of Object.entries(options.pathVariables ?? {})) variables.push({ key, value, type: 'string' });
  if (options.loop) variables.push({ key: NEXT_URL_VARIABLE, value: options.loop.startUrl ?? '', type: 'string' }, { key: PAGES_LEFT_VARIABLE, value: String(options.loop.passes), type: 'string' }, { key: SEEN_URLS_VARIABLE, value: JSON.stringify(options.loop.startUrl ? [options.loop.startUrl] : []), type: 'string' });
  const events = ((collection as unknown as Entry).event ?? []).filter((ev) => ev.listen !== 'test');
  return { ...collection, event: events, item: [nested], variable: variables } as unknown as PostmanCollection;
}
