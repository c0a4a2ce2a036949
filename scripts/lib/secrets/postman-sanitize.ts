// Reading a Postman or Newman file whatever its encoding, and sanitize: the detector's own fixes
// applied, environments in our order, the canonical form generate writes. Same detector, same
// findings: what check-secrets reports is what sanitize removes.
import { VARIABLES } from '../config/variables.js';
import { UsageError } from '../core/errors.js';
import { describeJsonError } from '../core/redaction.js';
import { showUntrusted } from '../core/terminal-text.js';
import { renderPostmanJson } from '../postman/postman-canonical.js';
import { replaceInOrder, type Replacement } from './literal-search.js';
import { depthOf, findSecrets, looksLikePostmanFile, MAX_DEPTH, postmanKind, SECRET_KEYS, type DetectContext, type Finding, type Fix, type Path, type PostmanKind } from './postman-secrets.js';

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
 * Renames keys in place, keeping the key order; a name another key already has gets a number
 * (`<redacted> (2)`), so no key is lost. The objects are rewritten once, at the end (`commit`), so
 * a rename costs the same in an object of 20,000 keys as in one of two.
 */
class Renames {
  private readonly objects = new Map<Record<string, unknown>, { names: string[]; values: unknown[]; index: Map<string, number>; free: Map<string, number> }>();

  has(object: Record<string, unknown>, name: string): boolean {
    const state = this.objects.get(object);
    return state ? state.index.has(name) : Object.hasOwn(object, name);
  }

  /** Renames `from` to `to`; returns the name given. */
  rename(object: Record<string, unknown>, from: string, to: string): string {
    let state = this.objects.get(object);
    if (!state) {
      const entries = Object.entries(object);
      state = { names: entries.map(([k]) => k), values: entries.map(([, v]) => v), index: new Map(entries.map(([k], i) => [k, i])), free: new Map() };
      this.objects.set(object, state);
    }
    const { index, free } = state;
    const position = index.get(from)!;
    index.delete(from);
    // `free`: for a name, a number below which every "name (n)" is taken (n from 2), so the search
    // starts there rather than at 2 each time; a numbered name let go lowers it.
    const numbered = /^([^]*) \(([1-9]\d*)\)$/.exec(from);
    if (numbered && Number(numbered[2]) < (free.get(numbered[1]!) ?? 0)) free.set(numbered[1]!, Number(numbered[2]));
    let name = to;
    if (index.has(to)) {
      let n = free.get(to) ?? 2;
      while (index.has(`${to} (${n})`)) n++;
      free.set(to, n + 1);
      name = `${to} (${n})`;
    }
    state.names[position] = name;
    index.set(name, position);
    return name;
  }

  commit(): void {
    for (const [object, { names, values }] of this.objects) {
      for (const k of Object.keys(object)) delete object[k];
      // defineProperty, not assignment: a key such as __proto__ stays a key.
      for (const [i, k] of names.entries()) Object.defineProperty(object, k, { value: values[i], writable: true, enumerable: true, configurable: true });
    }
    this.objects.clear();
  }
}

/** Where renamed keys went: the key a path of the file as it was now has. */
type Renamed = Map<string, string>;

function applyFix(root: unknown, fix: Exclude<Fix, { kind: 'replace' }>, renamed: Renamed, renames: Renames): void {
  const place = at(root, fix.path);
  if (!place) return;
  const { parent, key } = place;
  if (fix.kind === 'rename') {
    const id = JSON.stringify(fix.path);
    const current = renamed.get(id) ?? String(key);
    if (Array.isArray(parent) || !renames.has(parent as Record<string, unknown>, current)) return;
    renamed.set(id, renames.rename(parent as Record<string, unknown>, current, current.split(fix.literal).join(fix.with)));
    return;
  }
  parent[key] = fix.value;
  const row = at(root, fix.path.slice(0, -1));
  if (fix.secretType && row) (row.parent[row.key] as Record<string, unknown>).type = 'secret';
}

/** Every replacement of one place (a string, or a recorded body's bytes), in their order, at once. */
function applyReplacements(root: unknown, path: Path, replacements: Replacement[]): void {
  const place = at(root, path);
  if (!place) return;
  const { parent, key } = place;
  const current = parent[key];
  if (typeof current === 'string') parent[key] = replaceInOrder(current, replacements);
  // A recorded body (a Newman report's Buffer): bytes in, bytes out.
  else if (Array.isArray(current)) parent[key] = [...Buffer.from(replaceInOrder(Buffer.from(current as number[]).toString('utf8'), replacements), 'utf8')];
}

function normalizeEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  const rows = (env.values as unknown[]).map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { order: Infinity, entry };
    const { key, value, type, enabled, ...rest } = entry as Record<string, unknown>;
    return {
      order: ORDER.get(String(key)) ?? Infinity,
      // A row typed secret keeps its type; one of our secret keys gets it.
      entry: { key, value: value ?? '', type: SECRET_KEYS.has(String(key)) ? 'secret' : (type ?? 'default'), enabled: enabled ?? true, ...rest },
    };
  });
  // sort is stable, and Infinity - Infinity (NaN) counts as equal: the others keep their order.
  rows.sort((a, b) => a.order - b.order);
  const out: Record<string, unknown> = { ...env, values: rows.map((r) => r.entry) };
  if (out._postman_variable_scope === undefined) out._postman_variable_scope = 'environment';
  for (const noise of EXPORT_NOISE) delete out[noise];
  return out;
}

/**
 * Which files are Postman or Newman files, and how they are read: the one decision check-secrets
 * and sanitize share, so what one walks as such a file the other rewrites, and the reverse. Such a
 * file has a name Postman or Newman gives (read whatever it holds: an unknown shape is walked
 * like any JSON, a file that cannot be read is a problem), or is a `.json` file (or one whose name
 * is not known: `path` undefined) holding JSON of a Postman or Newman shape. Anything else is not
 * one: check-secrets looks in its bytes for the user's own secrets; sanitize refuses it.
 */
export function readPostmanFile(path: string | undefined, bytes: Buffer): { postman: false } | ({ postman: true } & ParsedPostman) {
  if (path === undefined) {
    // No name to go by: what cannot be read is a problem to report; what can, its shape decides.
    const read = parsePostmanBytes(bytes);
    return 'problem' in read || read.kind ? { postman: true, ...read } : { postman: false };
  }
  const named = looksLikePostmanFile(path);
  // Postman's shapes are all JSON objects: a .json file that is not one is not read further.
  if (!named && (!/\.json$/i.test(path) || !startsLikeObject(bytes))) return { postman: false };
  const read = parsePostmanBytes(bytes);
  if ('problem' in read) return named ? { postman: true, ...read } : { postman: false };
  return named || read.kind ? { postman: true, ...read } : { postman: false };
}

/** Whether the first character that is not white space is `{`, in UTF-8 or UTF-16 (a BOM first or not). */
function startsLikeObject(bytes: Buffer): boolean {
  for (const b of bytes.subarray(0, 4096)) {
    if (b === 0x7b) return true;
    if (!(b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x00 || b === 0xef || b === 0xbb || b === 0xbf || b === 0xff || b === 0xfe)) return false;
  }
  return false;
}

/** A file sanitize can rewrite, or exit 2 (not_postman) saying why not; `shown` is its name, escaped; `path` its name, if known, for readPostmanFile. Nothing is written either way. */
export function readForSanitize(bytes: Buffer, shown: string, path?: string): { parsed: unknown; text: string; kind: PostmanKind } {
  const read = readPostmanFile(path, bytes);
  if (!read.postman) throw new UsageError('not_postman', `${shown} is not a Postman or Newman file (a collection, environment, globals, data dump or Newman json report). Nothing was changed.`);
  if ('problem' in read) throw new UsageError('not_postman', `${shown} cannot be sanitized: ${read.problem}. Nothing was changed.`);
  return { parsed: read.parsed, text: read.text, kind: read.kind };
}

export interface SanitizeResult {
  /** What check-secrets finds in the file as it is. */
  findings: Finding[];
  /** The file as sanitize writes it. */
  text: string;
  /** How many findings that text still holds: none, but for a file no number of passes cleans (never to be written). */
  left: number;
}

/**
 * Passes until nothing is found. A file as Postman or Newman writes it needs one; a secret that
 * the removal of another re-forms (one inside "<redacted>", say) needs one more per layer. The
 * bound keeps a bug finite.
 */
const MAX_PASSES = 16;

/** The findings of a parsed Postman or Newman file and its sanitized text. */
export function sanitizeParsed(parsed: unknown, text: string, kind: PostmanKind, ctx: DetectContext): SanitizeResult {
  const findings = findSecrets(parsed, text, ctx);
  let copy = structuredClone(parsed);
  let current = findings;
  for (let pass = 0; current.length && pass < MAX_PASSES; pass++) {
    const fixes = current.flatMap((f) => (f.fix ? [f.fix] : []));
    // Values before keys, since a rename holds its object's values until commit, so a value set
    // after it would be lost; and longer literals first, so a shorter one inside them cannot leave
    // a piece behind. (Renames of different objects do not depend on each other: no depth order.)
    const length = (f: Fix) => (f.kind === 'set' ? 0 : f.literal.length);
    fixes.sort((a, b) => Number(a.kind === 'rename') - Number(b.kind === 'rename') || length(b) - length(a));
    // Replacements sort first (a literal is never empty); they touch one string each, so those of
    // one place go together, in their order, in one pass over it.
    const byPlace = new Map<string, { path: Path; replacements: Replacement[] }>();
    for (const fix of fixes) {
      if (fix.kind !== 'replace') continue;
      const id = JSON.stringify(fix.path);
      if (!byPlace.has(id)) byPlace.set(id, { path: fix.path, replacements: [] });
      byPlace.get(id)!.replacements.push({ literal: fix.literal, with: fix.with });
    }
    for (const { path, replacements } of byPlace.values()) {
      // A file that is one string (a Postman-named file of no known shape can be any JSON).
      if (!path.length && typeof copy === 'string') copy = replaceInOrder(copy, replacements);
      else applyReplacements(copy, path, replacements);
    }
    const renamed: Renamed = new Map();
    const renames = new Renames();
    for (const fix of fixes) if (fix.kind !== 'replace') applyFix(copy, fix, renamed, renames);
    renames.commit();
    current = findSecrets(copy, JSON.stringify(copy), ctx);
  }
  if (kind === 'environment' || kind === 'globals') copy = normalizeEnvironment(copy as Record<string, unknown>);
  return { findings, text: renderPostmanJson(copy), left: current.length };
}

const PLACES_SHOWN = 5;

/**
 * The refusal of a file sanitize cannot clean (SanitizeResult.left): the promise is that nothing
 * check-secrets would find is ever written. It names the places in the file as it is (the copy
 * sanitize worked on has renamed keys), a few of them.
 */
export function sanitizeIncompleteError(shown: string, findings: Finding[], left: number): UsageError {
  const places = [...new Set(findings.map((f) => showUntrusted(f.where)))];
  const named = places.slice(0, PLACES_SHOWN).join(', ') + (places.length > PLACES_SHOWN ? ` and ${places.length - PLACES_SHOWN} more` : '');
  return new UsageError(
    'sanitize_incomplete',
    `${shown} still held ${left} secret${left > 1 ? 's' : ''} after ${MAX_PASSES} passes of sanitize: removing one re-forms another (from ${named}). Nothing was written. Remove them by hand, then run sanitize again.`,
  );
}
