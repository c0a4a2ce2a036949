// Rewrites Postman environments and collections as teammates export them (current values filled,
// a literal token in the auth) without their secrets, in our key order, so they can be committed.
import { authEntries, authsOf, postmanKind, secretVariableFor, SECRET_KEYS } from './postman-secrets.js';
import { VARIABLES } from '../config/variables.js';

const ORDER = new Map(VARIABLES.map((v, i) => [v.key as string, i]));
// Export metadata that changes on every export (a timestamp, the app version, the exporter's id).
const EXPORT_NOISE = ['_postman_exported_at', '_postman_exported_using'];

interface EnvValue {
  key: string;
  value?: unknown;
  type?: string;
  enabled?: boolean;
  [other: string]: unknown;
}

export function sanitizeEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  const values = (env.values as EnvValue[]).map((entry, index) => {
    const secret = SECRET_KEYS.has(entry.key) || entry.type === 'secret';
    const { key, value, type, enabled, ...rest } = entry;
    return {
      index,
      entry: { key, value: secret ? '' : (value ?? ''), type: secret ? 'secret' : (type ?? 'default'), enabled: enabled ?? true, ...rest },
    };
  });
  values.sort((a, b) => (ORDER.get(a.entry.key) ?? Infinity) - (ORDER.get(b.entry.key) ?? Infinity) || a.index - b.index);
  const { id, name, values: _old, _postman_variable_scope, ...rest } = env;
  for (const noise of EXPORT_NOISE) delete rest[noise];
  return { id, name, values: values.map((v) => v.entry), _postman_variable_scope: _postman_variable_scope ?? 'environment', ...rest };
}

export function sanitizeCollection(collection: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(collection);
  for (const [, auth] of authsOf(copy)) {
    for (const [kind, entry] of authEntries(auth)) {
      const variable = secretVariableFor(kind, String(entry.key ?? ''));
      if (variable && typeof entry.value === 'string' && entry.value.trim() && !/^\{\{[^{}]+\}\}$/.test(entry.value.trim())) entry.value = `{{${variable}}}`;
    }
  }
  for (const v of (copy.variable as Array<{ key?: unknown; value?: unknown }> | undefined) ?? []) {
    if (SECRET_KEYS.has(String(v.key ?? ''))) v.value = '';
  }
  const info = copy.info as Record<string, unknown> | undefined;
  if (info) delete info._exporter_id;
  return copy;
}

/** The sanitized text of a Postman file, or undefined if it is neither an environment nor a collection. */
export function sanitizePostmanText(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const kind = postmanKind(parsed);
  if (!kind) return undefined;
  const clean = kind === 'environment' ? sanitizeEnvironment(parsed as Record<string, unknown>) : sanitizeCollection(parsed as Record<string, unknown>);
  return `${JSON.stringify(clean, null, 2)}\n`;
}
