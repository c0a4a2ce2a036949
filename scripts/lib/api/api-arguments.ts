// What `api` is asked to do, from its arguments: which endpoint of the catalogue (by its name or
// by method and path), and where each -f/-F value goes (path, query or body; files apart).
import { parseWholeNumber } from '../cli/cli-flags.js';
import { UsageError } from '../core/errors.js';
import { showGivenUrl } from '../core/redaction.js';
import { API_ENDPOINTS, API_PATH_PREFIX, findEndpoint, type ApiEndpoint, type ApiParameter } from '../dribbble/api-v2.js';

export interface FieldArguments {
  /** `-f key=value`, in order. */
  fields: Array<[string, string]>;
  /** `-F key=@path`, in order. */
  files: Array<[string, string]>;
  /** Everything else, for the flag parser. */
  rest: string[];
}

const FIELD_FLAGS = new Set(['-f', '--field', '--raw-field']);
const FILE_FLAGS = new Set(['-F', '--file']);

/**
 * Takes -f/--field and -F/--file out of argv (yargs would read repeated flags as one, or swallow
 * positionals into an array). Each takes the next argument, or what follows "=" / the letter.
 */
export function extractFieldArguments(argv: readonly string[]): FieldArguments {
  const out: FieldArguments = { fields: [], files: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.rest.push(...argv.slice(i));
      break;
    }
    const long = /^(--field|--raw-field|--file)=(.*)$/s.exec(arg);
    const short = /^-([fF])(.+)$/s.exec(arg);
    let flag: string | undefined;
    let value: string | undefined;
    if (long) [flag, value] = [long[1]!, long[2]!];
    else if (short) [flag, value] = [`-${short[1]!}`, short[2]!.replace(/^=/, '')];
    else if (FIELD_FLAGS.has(arg) || FILE_FLAGS.has(arg)) {
      flag = arg;
      value = argv[++i];
      if (value === undefined) throw new UsageError('invalid_field', `${arg} needs a value: ${FILE_FLAGS.has(arg) ? '-F image=@shot.png' : '-f key=value'}.`);
    }
    if (flag === undefined) {
      out.rest.push(arg);
      continue;
    }
    const eq = value!.indexOf('=');
    const key = eq > 0 ? value!.slice(0, eq) : '';
    if (!key) throw new UsageError('invalid_field', `${flag} takes key=value, such as ${FILE_FLAGS.has(flag) ? '-F image=@shot.png' : '-f per_page=100'} (got "${showGivenUrl(value!)}").`);
    const content = value!.slice(eq + 1);
    if (FILE_FLAGS.has(flag)) {
      if (!content.startsWith('@') || content.length < 2) throw new UsageError('invalid_field', `${flag} ${showGivenUrl(key)}=... takes a file as @path, such as -F image=@shot.png (got "${showGivenUrl(content)}"). Plain values go with -f.`);
      out.files.push([key, content.slice(1)]);
    } else out.fields.push([key, content]);
  }
  return out;
}

export interface ApiCall {
  endpoint: ApiEndpoint;
  /** By the catalogue's path parameter names (`id`, `shot`). */
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, string | string[] | number | boolean>;
  /** Body field name to the file's path. */
  files: Record<string, string>;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']);

function listEndpoints(): string {
  return API_ENDPOINTS.map((e) => `"${e.name}" (${e.method} ${e.path})`).join(', ');
}

/** The endpoint named by the positionals, and the path parameters and query the path carried. */
export function selectEndpoint(positionals: readonly string[]): { endpoint: ApiEndpoint; pathParams: Record<string, string>; query: Array<[string, string]> } {
  const words = positionals.length === 1 && /^[A-Za-z]+\s+\//.test(positionals[0]!) ? positionals[0]!.trim().split(/\s+/) : [...positionals];
  if (words.length === 0) throw new UsageError('missing_request', `Name a request: by its name, such as "List my shots", or by method and path, such as GET /user/shots. The requests: ${listEndpoints()}.`);
  // A name quoted or not: `api "List my shots"` and `api List my shots` alike.
  const byName = API_ENDPOINTS.find((e) => e.name.toLowerCase() === words.join(' ').trim().toLowerCase());
  if (byName) return { endpoint: byName, pathParams: {}, query: [] };
  let method = 'GET';
  let target = words[0]!;
  if (words.length === 2 && METHODS.has(words[0]!.toUpperCase())) [method, target] = [words[0]!.toUpperCase(), words[1]!];
  else if (words.length !== 1 || !target.startsWith('/')) {
    throw new UsageError('unknown_request', `"${showGivenUrl(words.join(' '))}" names no request: give a request's name in quotes, or a method and a path such as GET /user/shots. The requests: ${listEndpoints()}.`);
  }
  const endpoint = findEndpoint(method, target);
  if (!endpoint) throw new UsageError('unknown_request', `${method} ${showGivenUrl(target)} is not an endpoint of Dribbble's API v2 (paths are written below ${API_PATH_PREFIX}, such as /user/shots). The requests: ${listEndpoints()}.`);
  const [pathPart, queryPart] = [target.split('?')[0]!, target.split('?').slice(1).join('?')];
  const bare = pathPart.replace(/\/+$/, '').replace(new RegExp(`^${API_PATH_PREFIX}(?=/)`), '');
  const names = [...endpoint.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]!);
  const values = new RegExp(`^${endpoint.path.replace(/:[a-z_]+/g, '([^/]+)')}$`).exec(bare)!.slice(1);
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new UsageError('unknown_request', `${method} ${showGivenUrl(target)}: "${showGivenUrl(value)}" is not valid percent-encoding (a "%" must be followed by two hex digits of UTF-8). Write the value plainly, such as ${endpoint.path.replace(/:[a-z_]+/g, '471756')}.`);
    }
  };
  const pathParams = Object.fromEntries(names.map((n, i) => [n, decode(values[i]!)]));
  return { endpoint, pathParams, query: [...new URLSearchParams(queryPart)] };
}

/** One parameter given two values: refused, never a silent pick (`api DELETE /shots/7 -f id=6` must not delete 6). */
function givenTwice(endpoint: ApiEndpoint, name: string, [first, firstFrom]: [string, string], [second, secondFrom]: [string, string]): UsageError {
  return new UsageError(
    'conflicting_field',
    `${showGivenUrl(name)} is given twice for "${endpoint.name}" (${endpoint.method} ${endpoint.path}): "${showGivenUrl(first)}" from ${firstFrom} and "${showGivenUrl(second)}" from ${secondFrom}. Give it once.`,
  );
}

function coerce(param: ApiParameter, raw: string): string | string[] | number | boolean {
  const bad = (what: string) => new UsageError('invalid_field', `-f ${param.name}=${showGivenUrl(raw)}: ${param.name} takes ${what}.`);
  switch (param.type) {
    case 'integer':
      if (!/^\d+$/.test(raw)) throw bad('a whole number');
      return Number(raw);
    case 'boolean':
      if (!/^(true|false)$/.test(raw)) throw bad('true or false');
      return raw === 'true';
    case 'string[]':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return raw;
  }
}

/** Sorts -f and -F values by the endpoint's parameters: path, query, body, files. Unknown keys are refused. */
export function buildApiCall(positionals: readonly string[], fields: FieldArguments['fields'], files: FieldArguments['files']): ApiCall {
  const { endpoint, pathParams, query } = selectEndpoint(positionals);
  const call: ApiCall = { endpoint, pathParams: { ...pathParams }, query: {}, body: {}, files: {} };
  // Where each single-valued parameter got its value, by the parameter's name (`page[]` is `page`)
  // and compared as sent (`007` is 7), for refusing a second, different one.
  const given = new Map<string, [string, string]>(Object.entries(pathParams).map(([name, value]) => [name, [value, 'the path']]));
  const asSent = (param: ApiParameter, value: string) => {
    try {
      return String(coerce(param, value));
    } catch {
      return value; // refused below, with the message of its own kind
    }
  };
  const giveOnce = (param: ApiParameter, value: string, from: string) => {
    const earlier = given.get(param.name);
    if (earlier && asSent(param, earlier[0]) !== asSent(param, value)) throw givenTwice(endpoint, param.name, earlier, [value, from]);
    given.set(param.name, earlier ?? [value, from]);
  };
  const known = () => endpoint.params.map((p) => `${p.name} (${p.in}${p.type === 'file' ? ', a file: -F' : ''})`).join(', ') || 'none';
  const paramFor = (key: string, flag: string): ApiParameter => {
    const param = endpoint.params.find((p) => p.name === key || `${p.name}[]` === key);
    if (!param) throw new UsageError('unknown_field', `${flag} ${showGivenUrl(key)}: "${endpoint.name}" (${endpoint.method} ${endpoint.path}) has no parameter "${showGivenUrl(key)}". Its parameters: ${known()}.`);
    return param;
  };
  for (const [key, value] of query) {
    const param = paramFor(key, 'the query');
    if (param.in !== 'query') throw new UsageError('unknown_field', `The path's query sets ${showGivenUrl(key)}, which is not a query parameter of "${endpoint.name}". Use -f ${showGivenUrl(key)}=VALUE.`);
    coerce(param, value);
    giveOnce(param, value, "the path's query");
    call.query[param.name] ??= value;
  }
  for (const [key, value] of fields) {
    const param = paramFor(key, '-f');
    if (param.type === 'file') throw new UsageError('invalid_field', `-f ${param.name}: ${param.name} is a file; pass it as -F ${param.name}=@PATH.`);
    const typed = coerce(param, value);
    // A list field takes repeats (-f tags=a -f tags=b); any other parameter has one value.
    if (param.type !== 'string[]') giveOnce(param, value, `-f ${param.name}`);
    if (param.in === 'path') call.pathParams[param.name] ??= value;
    else if (param.in === 'query') call.query[param.name] ??= value;
    else call.body[param.name] = param.type === 'string[]' && Array.isArray(call.body[param.name]) ? [...(call.body[param.name] as string[]), ...(typed as string[])] : typed;
  }
  for (const [key, path] of files) {
    const param = paramFor(key, '-F');
    if (param.type !== 'file') throw new UsageError('invalid_field', `-F ${param.name}: ${param.name} is not a file; pass it as -f ${param.name}=VALUE.`);
    giveOnce(param, path, `-F ${param.name}`);
    call.files[param.name] = path;
  }
  const missing = endpoint.params.filter((p) => p.required && p.in === 'path' && !call.pathParams[p.name]);
  if (missing.length) {
    throw new UsageError('missing_field', `"${endpoint.name}" needs ${missing.map((p) => `-f ${p.name}=VALUE (${p.description.toLowerCase().replace(/\.$/, '')})`).join(' and ')}, or the path with the value in it (${endpoint.method} ${endpoint.path.replace(/:([a-z_]+)/g, '<$1>')}).`);
  }
  for (const p of endpoint.params) if (p.in === 'path' && !/^\d+$/.test(call.pathParams[p.name] ?? '')) throw new UsageError('invalid_field', `The ${p.name} "${showGivenUrl(call.pathParams[p.name] ?? '')}" of "${endpoint.name}" must be a whole number.`);
  return call;
}

/** --jsonl streams the items of pages as they come: without --paginate there are no pages to stream. */
export function checkOutputFlags(flags: { jsonl: boolean; paginate: boolean; maxPages?: unknown }): void {
  if (flags.jsonl && !flags.paginate) throw new UsageError('invalid_flags', '--jsonl prints pages as they come: use it with --paginate.');
  if (flags.maxPages !== undefined && !flags.paginate) throw new UsageError('invalid_flags', '--max-pages caps the pages --paginate reads: use it with --paginate.');
}

/** --max-pages N: a whole number of pages from 1 (undefined when not given: the default cap). */
export function parseMaxPages(raw: unknown): number | undefined {
  return raw === undefined ? undefined : parseWholeNumber(raw, 'max-pages', 1, 1_000_000, '500', ' of pages');
}
