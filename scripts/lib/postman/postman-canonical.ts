// The canonical form of a Postman file: the key order of each Postman object, and without what
// Postman's export adds that carries nothing. generate renders through it and sanitize gives a
// teammate's export back through it, so the two agree by construction.

type Context = 'collection' | 'environment' | 'info' | 'item' | 'request' | 'url' | 'row' | 'event' | 'script' | 'response' | 'body' | 'auth' | 'other';

const ORDER: Record<Exclude<Context, 'other'>, string[]> = {
  collection: ['info', 'item', 'event', 'variable', 'auth', 'protocolProfileBehavior'],
  environment: ['id', 'name', 'values', '_postman_variable_scope'],
  info: ['_postman_id', 'name', 'description', 'schema'],
  item: ['name', 'description', 'item', 'event', 'protocolProfileBehavior', 'request', 'response', 'auth', 'variable'],
  request: ['auth', 'method', 'header', 'body', 'url', 'description'],
  url: ['raw', 'protocol', 'host', 'port', 'path', 'query', 'hash', 'variable'],
  row: ['key', 'value', 'src', 'type', 'description', 'disabled', 'enabled'],
  event: ['listen', 'script'],
  script: ['id', 'type', 'exec'],
  response: ['name', 'originalRequest', 'status', 'code', '_postman_previewlanguage', 'header', 'cookie', 'body'],
  body: ['mode', 'raw', 'urlencoded', 'formdata', 'file', 'graphql', 'options', 'disabled'],
  auth: ['type'],
};

/** Export-only additions, dropped when they carry nothing: the exporter's ids, empty script packages. */
const INFO_EXPORT_ONLY = ['_exporter_id', '_collection_link'];
const EMPTY_SCRIPT_EXTRAS = ['packages', 'requests'];
// Header and urlencoded rows can only be text: Postman's "type": "text" on them says nothing.
const TEXT_ONLY_ROWS = new Set(['header', 'urlencoded']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyObject = (v: unknown) => isObject(v) && Object.keys(v).length === 0;

function childContext(parent: Context, key: string, value: unknown): Context {
  if (Array.isArray(value) || !isObject(value)) return 'other';
  if (key === 'info' && parent === 'collection') return 'info';
  if (key === 'request' || key === 'originalRequest') return 'request';
  if (key === 'url' && parent === 'request') return 'url';
  if (key === 'body' && parent === 'request') return 'body';
  if (key === 'auth') return 'auth';
  if (key === 'script' && parent === 'event') return 'script';
  return 'other';
}

function elementContext(parent: Context, key: string): Context {
  if (key === 'item') return 'item';
  if (key === 'event') return 'event';
  if (key === 'response' && parent === 'item') return 'response';
  if (['header', 'query', 'variable', 'urlencoded', 'formdata', 'values'].includes(key)) return 'row';
  if (parent === 'auth') return 'row';
  return 'other';
}

function canonical(value: unknown, context: Context, parentKey: string): unknown {
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? canonical(v, elementContext(context, parentKey), parentKey) : canonical(v, 'other', '')));
  if (!isObject(value)) return value;
  const source: Record<string, unknown> = { ...value };
  if (context === 'info') for (const k of INFO_EXPORT_ONLY) delete source[k];
  if (context === 'script') for (const k of EMPTY_SCRIPT_EXTRAS) if (isEmptyObject(source[k])) delete source[k];
  if (context === 'row' && TEXT_ONLY_ROWS.has(parentKey) && source.type === 'text') delete source.type;
  const order = context === 'other' ? [] : ORDER[context];
  const keys = Object.keys(source);
  const known = order.filter((k) => k in source);
  // An auth block lists its type first, then the block of that type, then any other.
  if (context === 'auth' && typeof source.type === 'string' && source.type in source) known.push(source.type);
  const rest = keys.filter((k) => !known.includes(k));
  const out: Record<string, unknown> = {};
  for (const k of [...known, ...rest]) {
    const v = source[k];
    const rendered = Array.isArray(v) ? canonical(v, context, k) : canonical(v, childContext(context, k, v), k);
    // defineProperty, not assignment: a key named __proto__ stays a key instead of setting the prototype.
    Object.defineProperty(out, k, { value: rendered, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

/** The canonical form of a parsed collection, environment or globals file; other JSON keeps its order. */
export function canonicalPostman(value: unknown): unknown {
  if (!isObject(value)) return value;
  const context: Context = isObject(value.info) && Array.isArray(value.item) ? 'collection' : Array.isArray(value.values) ? 'environment' : 'other';
  return canonical(value, context, '');
}

/** The bytes of a Postman file as this project writes them. */
export function renderPostmanJson(value: unknown): string {
  return `${JSON.stringify(canonicalPostman(value), null, 2)}\n`;
}
