// Edits a dotenv file as dotenv itself reads it: the one assignment dotenv would use is changed,
// every other byte (line endings per line, comments, other encodings, multi-line values) stays.
import { parse as parseDotenv } from 'dotenv';
import { UsageError } from '../core/errors.js';

// dotenv 18's line grammar (its non-"fast" parser), with the separator and value captured and
// match indices on. The result is checked against dotenv.parse itself, so a drift is caught.
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** The value as dotenv will read it back, or undefined when no quoting can carry it. */
export function formatEnvValue(value: string): string | undefined {
  if (/^[A-Za-z0-9_\-.:/@+~=%,]*$/.test(value)) return value;
  if (!/[\r\n']/.test(value)) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  if (!/[\r\n`]/.test(value)) return `\`${value}\``;
  return undefined;
}

interface Span {
  start: number;
  end: number;
}

/** Where the value of the assignment dotenv uses for `key` stands (the last one), or undefined. */
function findValueSpan(scan: string, key: string): Span | undefined {
  let found: Span | undefined;
  for (const match of scan.matchAll(LINE)) {
    if (match[1] !== key) continue;
    const indices = match.indices!;
    if (match[3] === undefined) {
      found = { start: indices[2]![1], end: indices[2]![1] };
      continue;
    }
    const [start, end] = indices[3]!;
    const raw = match[3];
    const lead = raw.length - raw.trimStart().length;
    const trail = raw.trimStart().length - raw.trim().length;
    found = { start: start + lead, end: Math.max(start + lead, end - trail) };
  }
  return found;
}

function lineEndingOf(text: string): string {
  const last = text.lastIndexOf('\n');
  if (last > 0 && text[last - 1] === '\r') return '\r\n';
  if (last === -1 && text.includes('\r')) return '\r';
  return '\n';
}

/**
 * Sets keys in a dotenv file's bytes. Bytes are handled as Latin-1 (one char per byte) so that
 * any encoding survives; new values go in as UTF-8. Throws exit 2 when the result would not read
 * back through dotenv as exactly the intended values with every other key unchanged.
 */
export function setEnvValues(bytes: Buffer, updates: Record<string, string>, fileName: string): Buffer {
  let text = bytes.toString('latin1');
  const edits: Array<Span & { text: string }> = [];
  const appended: string[] = [];
  // \r -> \n keeps every index and gives dotenv's view of line breaks.
  const scan = text.replace(/\r/g, '\n');
  for (const [key, value] of Object.entries(updates)) {
    const formatted = formatEnvValue(value);
    if (formatted === undefined) {
      throw new UsageError('unwritable_env_value', `The value for ${key} cannot be written to ${fileName} so that dotenv reads it back exactly (it mixes quotes, backticks and line breaks). Nothing was changed.`);
    }
    const latin1 = Buffer.from(formatted, 'utf8').toString('latin1');
    const span = findValueSpan(scan, key);
    if (span) edits.push({ ...span, text: latin1 });
    else appended.push(`${key}=${latin1}`);
  }
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  if (appended.length) {
    const eol = lineEndingOf(text);
    if (text.length && !/[\r\n]$/.test(text)) text += eol;
    text += appended.map((line) => line + eol).join('');
  }
  const result = Buffer.from(text, 'latin1');
  const before = parseDotenv(bytes);
  const after = parseDotenv(result);
  const wrong = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => (key in updates ? after[key] !== updates[key] : after[key] !== before[key]));
  if (wrong.length) {
    throw new UsageError('unwritable_env_value', `Updating ${Object.keys(updates).join(', ')} in ${fileName} would change how dotenv reads ${wrong.join(', ')}, so nothing was written. Edit that file by hand, or save elsewhere with --env-file PATH.`);
  }
  return result;
}
