// What counts as a secret in Postman files, for the check and for sanitize: secret-typed or
// secret-keyed environment values, literal tokens in collection auth, token-shaped strings.
import { MOCK_DEMO_CLIENT } from '../mock/mock-defaults.js';
import { maskSecret } from '../core/redaction.js';
import { VARIABLES } from '../config/variables.js';

export const SECRET_KEYS = new Set(VARIABLES.filter((v) => v.secret).map((v) => v.key as string));
// Values published on purpose: the bundled mock's demo app.
const PUBLIC_VALUES = new Set<string>([MOCK_DEMO_CLIENT.clientSecret]);
// Dribbble's shapes: 64 hex (older tokens, ids, secrets) and 43 base64url (newer codes).
const TOKEN_SHAPE = /(?<![A-Za-z0-9_-])(?:[0-9a-f]{64}|[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;

export interface Finding {
  /** Where in the file: a key, an auth field, a JSON path. */
  where: string;
  /** Masked. */
  value: string;
  why: string;
}

export type PostmanKind = 'environment' | 'collection' | undefined;

export function postmanKind(parsed: unknown): PostmanKind {
  const o = parsed as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return undefined;
  if (Array.isArray(o.values) && (o._postman_variable_scope === 'environment' || typeof o.name === 'string')) return 'environment';
  if (o.info && typeof o.info === 'object' && Array.isArray(o.item)) return 'collection';
  return undefined;
}

interface EnvValue {
  key?: unknown;
  value?: unknown;
  type?: unknown;
  [other: string]: unknown;
}

const isLiteral = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && !/^\{\{[^{}]+\}\}$/.test(value.trim());

export function findEnvironmentSecrets(env: { values: EnvValue[] }): Finding[] {
  const out: Finding[] = [];
  for (const entry of env.values) {
    const key = String(entry.key ?? '');
    if (!isLiteral(entry.value) || PUBLIC_VALUES.has(entry.value)) continue;
    if (entry.type === 'secret' || SECRET_KEYS.has(key)) {
      out.push({ where: `values[${JSON.stringify(key)}]`, value: maskSecret(entry.value), why: entry.type === 'secret' ? 'a filled secret-typed value' : `a filled value for the secret "${key}"` });
    }
  }
  return out;
}

interface AuthEntry {
  key?: unknown;
  value?: unknown;
  [other: string]: unknown;
}
type Auth = { type?: unknown; [kind: string]: unknown };

/** Auth fields that must hold a {{variable}}, never a literal, and the variable each stands for. */
const AUTH_SECRET_FIELDS: Record<string, Record<string, string>> = {
  oauth2: { accessToken: 'access_token', clientSecret: 'client_secret', refreshToken: 'access_token', password: 'client_secret' },
  bearer: { token: 'access_token' },
};

/** Every auth object in a collection (collection, folders, requests), with its JSON path. */
export function* authsOf(collection: Record<string, unknown>): Generator<[string, Auth]> {
  function* walk(node: Record<string, unknown>, path: string): Generator<[string, Auth]> {
    if (node.auth && typeof node.auth === 'object') yield [`${path}auth`, node.auth as Auth];
    const request = node.request as Record<string, unknown> | undefined;
    if (request && typeof request === 'object' && request.auth && typeof request.auth === 'object') yield [`${path}request.auth`, request.auth as Auth];
    if (Array.isArray(node.item)) {
      for (const [i, child] of (node.item as Array<Record<string, unknown>>).entries()) yield* walk(child, `${path}item[${JSON.stringify(child.name ?? i)}].`);
    }
  }
  yield* walk(collection, '');
}

export function authEntries(auth: Auth): Array<[string, AuthEntry]> {
  const out: Array<[string, AuthEntry]> = [];
  for (const kind of Object.keys(AUTH_SECRET_FIELDS)) {
    const entries = auth[kind];
    if (Array.isArray(entries)) for (const e of entries as AuthEntry[]) out.push([kind, e]);
  }
  return out;
}

export function secretVariableFor(kind: string, field: string): string | undefined {
  return AUTH_SECRET_FIELDS[kind]?.[field];
}

export function findCollectionSecrets(collection: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  for (const [path, auth] of authsOf(collection)) {
    for (const [kind, entry] of authEntries(auth)) {
      const field = String(entry.key ?? '');
      if (secretVariableFor(kind, field) && isLiteral(entry.value) && !PUBLIC_VALUES.has(entry.value)) {
        out.push({ where: `${path}.${kind}.${field}`, value: maskSecret(entry.value), why: `a literal ${field === 'accessToken' || field === 'token' ? 'token' : field} in the auth (Postman's "Use Token" puts it there)` });
      }
    }
  }
  for (const v of (collection.variable as EnvValue[] | undefined) ?? []) {
    const key = String(v.key ?? '');
    if (SECRET_KEYS.has(key) && isLiteral(v.value) && !PUBLIC_VALUES.has(v.value)) out.push({ where: `variable[${JSON.stringify(key)}]`, value: maskSecret(v.value), why: `a filled collection variable for the secret "${key}"` });
  }
  return out;
}

/** Token-shaped strings anywhere in a Postman file's text, other than those already found. */
export function findTokenShapes(text: string, known: Finding[]): Finding[] {
  const seen = new Set(known.map((f) => f.value));
  const out: Finding[] = [];
  for (const match of text.matchAll(TOKEN_SHAPE)) {
    const masked = maskSecret(match[0]);
    if (seen.has(masked) || PUBLIC_VALUES.has(match[0])) continue;
    seen.add(masked);
    const line = text.slice(0, match.index).split('\n').length;
    out.push({ where: `line ${line}`, value: masked, why: `a token-shaped string (${match[0].length === 64 ? '64 hex' : '43 base64url'} characters)` });
  }
  return out;
}
