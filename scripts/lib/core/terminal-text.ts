// Text from a server, a callback or a paste must not drive the terminal: no escape sequences, no
// carriage returns that overwrite a line, no newline that forges a line of ours.

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same without the newline: our own multi-line messages keep their line breaks.
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };
  return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Outside text, on one line, with every control character shown as an escape. */
export function showUntrusted(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Last line of defence before a terminal: our newlines stay, every other control is shown. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** JSON.stringify leaves C1 controls and U+2028/9 raw; escaping them keeps the same JSON value. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
