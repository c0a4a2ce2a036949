// The one secret detector for Postman and Newman files (collections, environments, globals, data
// dumps, Newman json reports), for check-secrets and sanitize alike: a walk of the whole JSON tree
// with explicit rules. Every finding carries its fix, so what check-secrets reports is exactly what
// sanitize removes.
import { createHash } from 'node:crypto';
import { MOCK_DEMO_CLIENT } from '../mock/mock-defaults.js';
import { maskSecret } from '../core/redaction.js';
import { VARIABLES } from '../config/variables.js';
import { MOCK_ENVIRONMENT_PATH } from '../postman/collection-files.js';
import { LiteralIndex } from './literal-search.js';

export const SECRET_KEYS = new Set([...VARIABLES.filter((v) => v.secret).map((v) => v.key as string), 'refresh_token']);

/** Published values, allowed only in the files they belong to, by key and value. */
export const PUBLIC_DEMO_VALUES = [
  { key: 'client_secret', value: MOCK_DEMO_CLIENT.clientSecret, files: [MOCK_ENVIRONMENT_PATH, 'scripts/lib/mock/', 'test/e2e/mock-server.test.ts'] },
] as const;

/** Deeper than Postman ever nests (a folder costs two levels): refused rather than walked. */
export const MAX_DEPTH = 1000;

export type Path = Array<string | number>;

export type Fix =
  /** The whole value at `path` becomes `value`. */
  | { kind: 'set'; path: Path; value: string; secretType?: boolean }
  /** Every occurrence of `literal` in the string at `path` is replaced. */
  | { kind: 'replace'; path: Path; literal: string; with: string }
  /** The key that ends `path` (an object's key) has every occurrence of `literal` replaced, kept unique. */
  | { kind: 'rename'; path: Path; literal: string; with: string };

export interface Finding {
  /** Where in the file: a JSON path, a key, or "the whole file". */
  where: string;
  /** Masked. */
  value: string;
  why: string;
  /** The rule that found it, for the allow-list fingerprint. */
  rule: string;
  /** Stable across edits elsewhere in the file: rule and a hash of the value. */
  fingerprint: string;
  fix?: Fix;
}

export interface DetectContext {
  /** The file's path in the repository (forward slashes), for the demo values' places. */
  file: string;
  /** The user's own secrets (value -> the variable it belongs to). */
  own: Map<string, string>;
  /** Client IDs known from env files and the environment: never findings. */
  clientIds: Set<string>;
}

export type PostmanKind = 'environment' | 'globals' | 'collection' | 'dump' | 'newman-report' | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function postmanKind(parsed: unknown): PostmanKind {
  if (!isObject(parsed)) return undefined;
  if (isObject(parsed.collection) && isObject(parsed.run)) return 'newman-report';
  if (isObject(parsed.info) && Array.isArray(parsed.item)) return 'collection';
  if (Array.isArray(parsed.collections) || (Array.isArray(parsed.environments) && 'version' in parsed)) return 'dump';
  if (Array.isArray(parsed.values) && parsed._postman_variable_scope === 'globals') return 'globals';
  if (Array.isArray(parsed.values) && (parsed._postman_variable_scope === 'environment' || typeof parsed.name === 'string')) return 'environment';
  return undefined;
}

/** File names Postman and Newman give their files: such a file must be scannable, or it is refused. */
export function looksLikePostmanFile(path: string): boolean {
  return /\.postman_(collection|environment|globals|dump)\.json$/i.test(path) || /(^|\/)newman\/[^/]*\.json$/i.test(path);
}

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Keys whose value is one of ours: the variable a placeholder names. */
const SECRET_NAMES = new Map<string, string>([
  ['clientsecret', 'client_secret'],
  ['accesstoken', 'access_token'],
  ['refreshtoken', 'refresh_token'],
  ['codeverifier', 'code_verifier'],
  ['code', 'code'],
]);
const CLIENT_ID_NAMES = new Set(['clientid']);
/** Fields of an auth block that hold a secret, per auth type; a variable they stand for, if ours. */
const AUTH_SECRET_FIELDS: Record<string, Record<string, string>> = {
  oauth2: { accessToken: 'access_token', clientSecret: 'client_secret', refreshToken: '', password: '', id_token: '' },
  bearer: { token: 'access_token' },
  basic: { password: '' },
  digest: { password: '' },
  ntlm: { password: '' },
  apikey: { value: '' },
  oauth1: { consumerSecret: '', tokenSecret: '', token: '' },
  awsv4: { secretKey: '', sessionToken: '' },
  hawk: { authKey: '' },
  jwt: { secret: '', privateKey: '' },
  akamai: { clientSecret: '', accessToken: '', clientToken: '' },
  edgegrid: { clientSecret: '', accessToken: '', clientToken: '' },
  asap: { privateKey: '' },
};
// Row arrays whose rows are variables (emptied by sanitize), as opposed to request parts.
const VARIABLE_ROWS = new Set(['values', 'variable', 'globals']);

// Dribbble's shapes: 64 hex (secrets, tokens, and client IDs) and 43 base64url (newer codes).
const TOKEN_SHAPE = /(?<![A-Za-z0-9_-])(?:[0-9a-f]{64}|[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;
// Real codes, secrets and tokens are long; a short word after "Bearer" is prose or a realm.
const LITERAL = '[A-Za-z0-9._~+/=-]{12,}';
const NAMES = 'client_secret|access_token|refresh_token|code_verifier|clientSecret|accessToken|refreshToken|codeVerifier';
/** `access_token=…` in a URL or form body, `"client_secret": "…"` in JSON or a script. */
const NAMED_LITERALS = [
  new RegExp(`(?<![A-Za-z0-9_])(?:${NAMES}|code)=(${LITERAL})`, 'g'),
  new RegExp(`(?<![A-Za-z0-9_])(?:${NAMES})\\\\?["']?\\s*[:,]\\s*\\\\?["'\`](${LITERAL})\\\\?["'\`]`, 'g'),
];
const BEARER = new RegExp(`\\bBearer\\s+(${LITERAL})`, 'g');
const CLIENT_ID_NEAR = /client_?id[^A-Za-z0-9{]{1,12}(?:value[^A-Za-z0-9{]{1,6})?([A-Za-z0-9_-]{43,64})/gi;

/**
 * Every match of a global pattern, in order. Not String.prototype.matchAll: it clones the pattern
 * at each call, and V8 runs a fresh clone in its regexp interpreter; the shared pattern stays
 * compiled. Detection over the committed collection took three times as long with matchAll.
 * matchAll's contract otherwise: a pattern without the g flag is refused, and past an empty match
 * the search moves on one code point under the u or v flag.
 */
export function matchesOf(text: string, pattern: RegExp): RegExpExecArray[] {
  if (!pattern.global) throw new TypeError(`matchesOf needs a global pattern, not ${String(pattern)}`);
  const byCodePoint = /[uv]/.test(pattern.flags);
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    found.push(m);
    // An empty match would be found again at the same place.
    if (m[0] === '') pattern.lastIndex += byCodePoint && (text.codePointAt(pattern.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  return found;
}

const isPlaceholder = (v: string) => /^\{\{[^{}]+\}\}$/.test(v.trim());
/** Documentation's stand-ins (example-access-token, your-client-secret): not secrets in prose. */
const isExample = (v: string) => /example|placeholder|your[_-]|changeme|redacted/i.test(v);
const isLiteral = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !isPlaceholder(v);

export function fingerprintOf(rule: string, secret: string): string {
  return `${rule}:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

/** A JSON path for people: items by name, rows by key, a row's value by its row. */
function showPath(root: unknown, path: Path): string {
  let out = '';
  let node: unknown = root;
  for (const [i, p] of path.entries()) {
    const parent = node;
    node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[p] : undefined;
    if (typeof p === 'number') {
      const label = isObject(node) ? (typeof node.key === 'string' ? node.key : typeof node.name === 'string' ? node.name : undefined) : undefined;
      out += label !== undefined ? `[${JSON.stringify(label)}]` : `[${p}]`;
    } else if (p === 'value' && typeof path[i - 1] === 'number' && isObject(parent) && typeof parent.key === 'string') {
      continue;
    } else out += /^[A-Za-z_$][\w$]*$/.test(p) ? `${out ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`;
  }
  return out || '(root)';
}

/** A request part Postman fills in before sending ({{variable}} is right there), or inert text. */
function interpolated(path: Path): boolean {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names.some((n) => n === 'description' || n === 'name' || n === 'exec' || n === 'info')) return false;
  const lastResponse = Math.max(names.lastIndexOf('response'), names.lastIndexOf('responses'), names.lastIndexOf('stream'));
  const lastRequest = Math.max(names.lastIndexOf('request'), names.lastIndexOf('originalRequest'), names.lastIndexOf('auth'));
  if (lastResponse > lastRequest) return false;
  return names.some((n) => ['url', 'header', 'body', 'auth', 'query', 'urlencoded', 'formdata', 'raw', 'headers', 'headerData', 'data', 'rawModeData'].includes(n));
}

const REDACTED = '<redacted>';
function placeholder(path: Path, variable: string | undefined, literal: string): string {
  const p = variable && interpolated(path) ? `{{${variable}}}` : REDACTED;
  return p.includes(literal) ? '' : p;
}

/** A demo value in its own file, by key (when known) and value. */
function isPublicHere(ctx: DetectContext, value: string, key?: string): boolean {
  return PUBLIC_DEMO_VALUES.some((d) => d.value === value && (key === undefined || key === d.key) && d.files.some((f) => (f.endsWith('/') ? ctx.file.startsWith(f) : ctx.file === f)));
}

class Walk {
  readonly findings: Finding[] = [];
  /** Every secret found, as found: no place shown may carry one (see findSecrets). */
  readonly secrets = new Set<string>();
  private readonly clientIds: Set<string>;
  constructor(
    private readonly ctx: DetectContext,
    private readonly root: unknown,
    text: string,
  ) {
    this.clientIds = new Set(ctx.clientIds);
    for (const m of matchesOf(text, CLIENT_ID_NEAR)) this.clientIds.add(m[1]!);
    // Client IDs first, wherever they sit, so their place in the file does not matter.
    const stack: unknown[] = [root];
    while (stack.length) {
      const v = stack.pop();
      if (Array.isArray(v)) for (const c of v) stack.push(c);
      else if (isObject(v)) {
        if (typeof v.key === 'string' && CLIENT_ID_NAMES.has(normalize(v.key)) && typeof v.value === 'string' && v.value.trim()) this.clientIds.add(v.value.trim());
        for (const [k, c] of Object.entries(v)) {
          if (CLIENT_ID_NAMES.has(normalize(k)) && typeof c === 'string' && c.trim()) this.clientIds.add(c.trim());
          else stack.push(c);
        }
      }
    }
  }

  private add(path: Path, secret: string, rule: string, why: string, fix: Fix): void {
    this.secrets.add(secret);
    this.findings.push({ where: showPath(this.root, path), value: maskSecret(secret), why, rule, fingerprint: fingerprintOf(rule, secret), fix });
  }

  node(value: unknown, path: Path, parentKey: string, authType: string | undefined): void {
    if (typeof value === 'string') return this.text(value, path);
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) {
        if (isObject(v) && typeof v.key === 'string' && 'value' in v) this.row(v, [...path, i], parentKey, authType);
        else this.node(v, [...path, i], parentKey, authType);
      }
      return;
    }
    if (!isObject(value)) return;
    // A recorded body is read as text; whatever else its object holds is walked like any object.
    const recorded = value.type === 'Buffer' && Array.isArray(value.data) && value.data.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) < 256);
    if (recorded) this.text(Buffer.from(value.data as number[]).toString('utf8'), [...path, 'data'], 'buffer');
    // The block's type, when it names one of its keys (a key is a string: no other type can).
    const ownAuthType = parentKey === 'auth' ? value.type : undefined;
    for (const [k, v] of Object.entries(value)) {
      // A key is text too: a map keyed by a token (a Newman report, a header or cookie map).
      this.text(k, [...path, k], 'key');
      if (recorded && k === 'data') continue;
      const childAuth = ownAuthType && k === ownAuthType ? k : parentKey === 'auth' ? undefined : authType;
      if (isLiteral(v)) {
        const variable = this.secretField(k, authType);
        if (variable !== undefined && !this.clientIds.has(v.trim()) && !isPublicHere(this.ctx, v, k)) {
          this.add([...path, k], v, 'secret-field', `a literal ${k}${authType ? ` in the ${authType} auth` : ''}`, { kind: 'set', path: [...path, k], value: variable ? `{{${variable}}}` : '' });
          continue;
        }
      }
      this.node(v, [...path, k], k, childAuth);
    }
  }

  /** The variable a key's secret stands for ('' when it is not ours), or undefined if not secret. */
  private secretField(key: string, authType: string | undefined): string | undefined {
    if (authType) {
      const fields = AUTH_SECRET_FIELDS[authType];
      if (fields && key in fields) return fields[key];
    }
    return SECRET_NAMES.get(normalize(key)) === 'code' ? undefined : SECRET_NAMES.get(normalize(key));
  }

  private row(row: Record<string, unknown>, path: Path, parentKey: string, authType: string | undefined): void {
    const key = row.key as string;
    const value = row.value;
    // The rest of the row (its key, a description, anything a tool adds) is text like any other.
    this.text(key, [...path, 'key']);
    for (const [k, v] of Object.entries(row)) {
      if (k === 'key' || k === 'value') continue;
      this.text(k, [...path, k], 'key');
      this.node(v, [...path, k], k, authType);
    }
    if (!isLiteral(value)) return this.node(value, [...path, 'value'], key, authType);
    const norm = normalize(key);
    const asVariable = VARIABLE_ROWS.has(parentKey);
    const ours = SECRET_NAMES.get(norm);
    const valuePath = [...path, 'value'];
    if (asVariable) {
      const secret = row.type === 'secret' || SECRET_KEYS.has(key) || ours !== undefined;
      if (secret && !isPublicHere(this.ctx, value, key)) {
        const why = row.type === 'secret' && !SECRET_KEYS.has(key) ? `a filled secret-typed value "${key}"` : `a filled value for the secret "${key}"`;
        return this.add(valuePath, value, 'secret-variable', why, { kind: 'set', path: valuePath, value: '', secretType: parentKey === 'values' });
      }
      return this.text(value, valuePath);
    }
    if (authType) {
      const fields = AUTH_SECRET_FIELDS[authType];
      if (fields && key in fields) {
        const variable = fields[key]!;
        return this.add(valuePath, value, 'auth-field', `a literal ${key} in the ${authType} auth${key === 'accessToken' ? ' (Postman\'s "Use Token" puts it there)' : ''}`, { kind: 'set', path: valuePath, value: variable ? `{{${variable}}}` : '' });
      }
    }
    if (norm === 'authorization' || norm === 'proxyauthorization') {
      const m = /^\s*(\S+)\s+(\S.*)$/.exec(value);
      const credential = (m ? m[2]! : value).trim();
      if (isLiteral(credential) && !this.clientIds.has(credential)) {
        return this.add(valuePath, credential, 'authorization-header', `a literal credential in the ${key} header`, { kind: 'set', path: valuePath, value: m ? `${m[1]} {{access_token}}` : '{{access_token}}' });
      }
      return;
    }
    if (ours !== undefined || row.type === 'secret') {
      return this.add(valuePath, value, 'secret-parameter', `a literal ${key}`, { kind: 'set', path: valuePath, value: `{{${ours ?? key}}}` });
    }
    this.text(value, valuePath);
  }

  /**
   * Secrets inside a string: the user's own, named literals, Bearer credentials, token shapes. The
   * string is a value, a recorded body (`buffer`), or an object's key (`key`, at the end of `path`):
   * a key is renamed, to <redacted> in its text, since nothing fills a key in.
   */
  text(text: string, path: Path, as?: 'buffer' | 'key'): void {
    const buffer = as === 'buffer';
    const seen = new Set<string>();
    const found = (literal: string, rule: string, why: string, variable?: string) => {
      if (seen.has(literal) || this.clientIds.has(literal) || isPublicHere(this.ctx, literal)) return;
      seen.add(literal);
      if (as === 'key') this.add(path, literal, rule, `${why}, used as a key`, { kind: 'rename', path, literal, with: placeholder(path, undefined, literal) });
      else this.add(path, literal, rule, why, { kind: 'replace', path, literal, with: placeholder(path, variable, literal) });
    };
    for (const [secret, variable] of this.ctx.own) if (text.includes(secret)) found(secret, 'own-secret', `the value of your own ${variable}`, variableOf(variable));
    for (const pattern of NAMED_LITERALS) {
      for (const m of matchesOf(text, pattern)) {
        const name = m[0].match(/^[A-Za-z_]+/)![0];
        if (!isExample(m[1]!)) found(m[1]!, 'named-literal', `a literal ${name}${buffer ? ' in a recorded body' : ''}`, SECRET_NAMES.get(normalize(name)));
      }
    }
    for (const m of matchesOf(text, BEARER)) if (!isExample(m[1]!)) found(m[1]!, 'bearer-literal', 'a literal Bearer token', 'access_token');
    // A token shape is of the kind its name says (`"code": "…"`, `code: '…'`, a field named code),
    // and an access token when nothing names it: the placeholder must send the right variable.
    const last = path[path.length - 1];
    const underName = typeof last === 'string' ? SECRET_NAMES.get(normalize(last)) : undefined;
    for (const m of matchesOf(text, TOKEN_SHAPE)) found(m[0], 'token-shape', `a token-shaped string (${m[0].length === 64 ? '64 hex' : '43 base64url'} characters)`, nameBefore(text, m.index) ?? underName ?? 'access_token');
  }
}

// The name given to what follows: `"code": "`, `\\"code\\":\\"`, `code: '`, `code=`.
const NAME_BEFORE = /([A-Za-z][A-Za-z0-9_]*)\\?["'`]?\s*[:=]\s*\\?["'`]?$/;
/** The variable of ours that text names just before a literal, if any. */
function nameBefore(text: string, index: number): string | undefined {
  const m = NAME_BEFORE.exec(text.slice(Math.max(0, index - 64), index));
  return m ? SECRET_NAMES.get(normalize(m[1]!)) : undefined;
}

function variableOf(envName: string): string | undefined {
  return VARIABLES.find((v) => v.envName === envName)?.key;
}

/** How deep a JSON value nests, counted without recursion (a hostile file may nest 20,000 levels). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (d > MAX_DEPTH) return d;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Every secret in a parsed Postman or Newman file (its depth checked by the caller). */
export function findSecrets(parsed: unknown, text: string, ctx: DetectContext): Finding[] {
  const walk = new Walk(ctx, parsed, text);
  walk.node(parsed, [], '', undefined);
  // A place is made of keys and names, and a secret can be one of them (a row keyed by a token, an
  // item named after one): every secret found is masked in every place, in its JSON spelling too.
  // Longest first, each in its two spellings: a step at a time, only the steps whose spelling a
  // place holds (found in one pass over the place), so the cost follows the places, not places
  // times secrets.
  const steps = [...walk.secrets]
    .sort((a, b) => b.length - a.length)
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)].map((form) => ({ form, mask: maskSecret(secret) })));
  const stepsOf = new Map<string, number[]>();
  for (const [k, { form }] of steps.entries()) stepsOf.set(form, [...(stepsOf.get(form) ?? []), k]);
  const index = new LiteralIndex(stepsOf.keys());
  const hide = (where: string) => {
    let out = where;
    for (let after = -1; ; ) {
      // The next step that changes anything: the first, after the last one taken, whose spelling is here.
      let next = Infinity;
      for (const { literal } of index.occurrences(out)) next = Math.min(next, stepsOf.get(literal)!.find((k) => k > after) ?? Infinity);
      if (next === Infinity) return out;
      out = out.split(steps[next]!.form).join(steps[next]!.mask);
      after = next;
    }
  };
  return walk.findings.map((finding) => ({ ...finding, where: hide(finding.where) }));
}

/** The user's own secrets and client IDs in any text file (not JSON-walked): no fix, just where. */
export function findOwnSecretsInBytes(content: Buffer, ctx: DetectContext): Finding[] {
  const out: Finding[] = [];
  for (const [secret, variable] of ctx.own) {
    if (isPublicHere(ctx, secret)) continue;
    const forms = [Buffer.from(secret), Buffer.from(secret, 'utf16le')];
    if (forms.some((f) => content.includes(f))) out.push({ where: variable, value: maskSecret(secret), why: `the value of your own ${variable}`, rule: 'own-secret', fingerprint: fingerprintOf('own-secret', secret) });
  }
  return out;
}
