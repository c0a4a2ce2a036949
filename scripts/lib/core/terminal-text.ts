// Text from a server, a callback or a paste must not drive the terminal or hide from the reader:
// no escape sequences, no carriage return that overwrites a line, no newline that forges a line of
// ours, no bidi override that reorders what is shown, no invisible character (U+200B, U+FEFF, ...)
// that makes two different values look the same.

// By Unicode category, so that no case is left out: Cc (C0, DEL, C1), Cf (format characters:
// zero-width, bidi embeddings/overrides/isolates/marks, BOM, soft hyphen, tags...), Zl/Zp
// (U+2028/9) and Cs (a lone surrogate, which a terminal would show as "?").
// The price: an emoji joined with U+200D shows as its parts, with \u200d between them.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// The same without the newline: our own multi-line messages keep their line breaks.
const UNSAFE_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// Inside JSON text: what JSON.stringify leaves raw (it escapes C0 and lone surrogates itself).
const UNSAFE_IN_JSON = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** \uXXXX for each UTF-16 unit: valid in JSON, and what a JavaScript reader recognises. */
function unitEscapes(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function visible(c: string): string {
  return NAMED[c] ?? unitEscapes(c);
}

/** Outside text, on one line, with every control or invisible character shown as an escape. */
export function showUntrusted(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Last line of defence before a terminal: our newlines stay, every other such character is shown. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** JSON.stringify leaves C1 controls, format characters and U+2028/9 raw; escaping them keeps the same JSON value. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, unitEscapes);
}
