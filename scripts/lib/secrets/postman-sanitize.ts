// Reading a Postman or Newman file whatever its encoding, and sanitize: the detector's own fixes
// applied, environments in our order, the canonical form generate writes. Same detector, same
// findings: what check-secrets reports is what sanitize removes.
import { VARIABLES } from '../config/variables.js';
import { UsageError } from '../core/errors.js';
import { describeJsonError } from '../core/redaction.js';
import { renderPostmanJson } from '../postman/postman-canonical.js';
import { depthOf, findSecrets, MAX_DEPTH, postmanKind, SECRET_KEYS, type DetectContext, type Finding, type Fix, type Path, type PostmanKind } from './postman-secrets.js';

const ORDER = new Map(VARIABLES.map((v, i) => [v.key as string, i]));
// Export metadata that changes on every export (a timestamp, the app version).
const EXPORT_NOISE = ['_postman_exported_at', '_postman_exported_using'];

/** Text from bytes as Postman, editors and PowerShell write them: UTF-8 (BOM or not), UTF-16 LE/BE. */
export function decodeText(bytes: Buffer): { text: string } | { problem: string } {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2)) };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2)) };
    // UTF-16 without a BOM: every other byte of ASCII text is zero.
    if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return { text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes) };
    if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return { text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes) };
    // TextDecoder drops a UTF-8 BOM (EF BB BF) itself.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: 'its bytes are not UTF-8 or UTF-16 text' };
  }
}

export type ParsedPostman = { parsed: unknown; text: string; kind: PostmanKind } | { problem: string };

/** A file's bytes as JSON, decoded and depth-checked; a problem says why it cannot be scanned. */
export function parsePostmanBytes(bytes: Buffer): ParsedPostman {
  const decoded = decodeText(bytes);
  if ('problem' in decoded) return decoded;
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.text);
  } catch (error) {
    return { problem: `it is not valid JSON (${describeJsonError(error)})` };
  }
  if (depthOf(parsed) > MAX_DEPTH) return { problem: `it nests deeper than ${MAX_DEPTH} levels, which no Postman export does` };
  return { parsed, text: decoded.text, kind: postmanKind(parsed) };
}

function at(root: unknown, path: Path): { parent: Record<string | number, unknown>; key: string | number } | undefined {
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) {
    node = node?.[p] as Record<string | number, unknown>;
    if (typeof node !== 'object' || node === null) return undefined;
  }
  return { parent: node, key: path[path.length - 1]! };
}

/**
 * Renames `from` to `to` in place, keeping the key order; a name another key already has gets a
 * number (`<redacted> (2)`), so no key is lost. Returns the name given.
 */
function renameKey(object: Record<string, unknown>, from: string, to: string): string {
  let name = to;
  for (let n = 2; Object.hasOwn(object, name) && name !== from; n++) name = `${to} (${n})`;
  const entries = Object.entries(object);
  for (const [k] of entries) delete object[k];
  // defineProperty, not assignment: a key such as __proto__ stays a key.
  for (const [k, v] of entries) Object.defineProperty(object, k === from ? name : k, { value: v, writable: true, enumerable: true, configurable: true });
  return name;
}

/** Where renamed keys went: the key a path of the file as it was now has. */
type Renamed = Map<string, string>;

function applyFix(root: unknown, fix: Fix, renamed: Renamed): void {
  const place = at(root, fix.path);
  if (!place) return;
  const { parent, key } = place;
  if (fix.kind === 'rename') {
    const id = JSON.stringify(fix.path);
    const current = renamed.get(id) ?? String(key);
    if (Array.isArray(parent) || !Object.hasOwn(parent, current)) return;
    renamed.set(id, renameKey(parent as Record<string, unknown>, current, current.split(fix.literal).join(fix.with)));
    return;
  }
  if (fix.kind === 'set') {
    parent[key] = fix.value;
    const row = at(root, fix.path.slice(0, -1));
    if (fix.secretType && row) (row.parent[row.key] as Record<string, unknown>).type = 'secret';
    return;
  }
  const current = parent[key];
  if (typeof current === 'string') parent[key] = current.split(fix.literal).join(fix.with);
  // A recorded body (a Newman report's Buffer): bytes in, bytes out.
  else if (Array.isArray(current)) parent[key] = [...Buffer.from(Buffer.from(current as number[]).toString('utf8').split(fix.literal).join(fix.with), 'utf8')];
}

function normalizeEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  const rows = (env.values as unknown[]).map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { index, order: Infinity, entry };
    const { key, value, type, enabled, ...rest } = entry as Record<string, unknown>;
    const secret = SECRET_KEYS.has(String(key)) || type === 'secret';
    return {
      index,
      order: ORDER.get(String(key)) ?? Infinity,
      entry: { key, value: value ?? '', type: secret ? 'secret' : (type ?? 'default'), enabled: enabled ?? true, ...rest },
    };
  });
  rows.sort((a, b) => a.order - b.order || a.index - b.index);
  const out: Record<string, unknown> = { ...env, values: rows.map((r) => r.entry) };
  if (out._postman_variable_scope === undefined) out._postman_variable_scope = 'environment';
  for (const noise of EXPORT_NOISE) delete out[noise];
  return out;
}

/** A file sanitize can rewrite, or exit 2 (not_postman) saying why not; `shown` is its name, escaped. Nothing is written either way. */
export function readForSanitize(bytes: Buffer, shown: string): { parsed: unknown; text: string; kind: NonNullable<PostmanKind> } {
  const read = parsePostmanBytes(bytes);
  if ('problem' in read) throw new UsageError('not_postman', `${shown} cannot be sanitized: ${read.problem}. Nothing was changed.`);
  if (!read.kind) throw new UsageError('not_postman', `${shown} is not a Postman or Newman file (a collection, environment, globals, data dump or Newman json report). Nothing was changed.`);
  return { parsed: read.parsed, text: read.text, kind: read.kind };
}

export interface SanitizeResult {
  /** What check-secrets finds in the file as it is. */
  findings: Finding[];
  /** The file as sanitize writes it. */
  text: string;
}

/** Passes until nothing is found: a fix never uncovers a secret, but a bound keeps a bug finite. */
const MAX_PASSES = 4;

/** The findings of a parsed Postman or Newman file and its sanitized text. */
export function sanitizeParsed(parsed: unknown, text: string, kind: PostmanKind, ctx: DetectContext): SanitizeResult {
  const findings = findSecrets(parsed, text, ctx);
  let copy = structuredClone(parsed);
  let current = findings;
  for (let pass = 0; current.length && pass < MAX_PASSES; pass++) {
    const fixes = current.flatMap((f) => (f.fix ? [f.fix] : []));
    // Values before keys, since a value's path names the keys on the way to it; keys deepest first,
    // for the same reason; and longer literals first, so a shorter one inside them cannot leave a
    // piece behind.
    const keyDepth = (f: Fix) => (f.kind === 'rename' ? f.path.length : 0);
    const length = (f: Fix) => (f.kind === 'set' ? 0 : f.literal.length);
    fixes.sort((a, b) => Number(a.kind === 'rename') - Number(b.kind === 'rename') || keyDepth(b) - keyDepth(a) || length(b) - length(a));
    const renamed: Renamed = new Map();
    for (const fix of fixes) applyFix(copy, fix, renamed);
    current = findSecrets(copy, JSON.stringify(copy), ctx);
  }
  if (kind === 'environment' || kind === 'globals') copy = normalizeEnvironment(copy as Record<string, unknown>);
  return { findings, text: renderPostmanJson(copy) };
}
