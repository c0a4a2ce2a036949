// Every secret the process learns is registered here; everything it prints passes through redact().
import { showUntrusted } from './terminal-text.js';

const secrets = new Set<string>();

/** Shows enough to recognise a value, never enough to use it. */
export function maskSecret(value: string): string {
  if (value.length >= 24) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 12) return `${value.slice(0, 2)}…`;
  return '…';
}

export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; they are not credentials anyway.
  if (value && value.length >= 4) secrets.add(value);
}

/**
 * The spellings a secret takes on its way through a request and back in a server's echo:
 * percent-encoded (upper- and lower-case hex), form-encoded (space as "+"), JSON-escaped.
 */
export function encodedForms(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [secret, percent, percent.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), form, json, json.replace(/\//g, '\\/')];
  return [...new Set(forms)];
}

export function redact(text: string): string {
  let out = text;
  const all = [...secrets].flatMap((secret) => encodedForms(secret).map((form) => [form, maskSecret(secret)] as const));
  // Longest first, so a secret that contains another is masked whole.
  for (const [form, mask] of all.sort((a, b) => b[0].length - a[0].length)) out = out.split(form).join(mask);
  return out;
}

// A user-given URL may carry credentials (https://user:password@host, user:token@host,
// http:\\u:p@host), whether or not it parses: in each run of text free of "/" and whitespace,
// everything before the run's last "@" is (or may be) userinfo, and is masked. An "@" that is not
// userinfo's (a path's shot@2x.png, an e-mail address in a query) costs the message a few
// characters, never a credential.
const USERINFO = /(^|[/\s])[^/\s]+@/gu;

/**
 * The one way a message quotes text the user gave (a URL flag or variable, a redirect URI, an
 * env-file or Postman environment value, another flag's value): its userinfo masked as "***",
 * whether or not the text parses as a URL, then shown as showUntrusted shows outside text.
 */
export function showGivenUrl(text: string): string {
  return showUntrusted(text.replace(USERINFO, '$1***@'));
}

// V8's JSON.parse errors quote up to 10 characters around the fault (`Unexpected token 'S',
// "S3cr3tS3cr"... is not valid JSON`): from an env file or a Postman export, part of a secret.
const JSON_EXCERPT = /(\.\.\.)?"(?:[^"\\]|\\.)*"(\.\.\.)?/g;

// Every complaint of V8's that quotes the text ends so; the excerpt may itself hold quotes.
const QUOTING = /^(Unexpected token '.{1,2}', )?.*( is not valid JSON)$/su;

/** A JSON parser's complaint about a file, fit for a message: what and where, never an excerpt of the file. */
export function describeJsonError(error: unknown): string {
  // The whole message first: V8's excerpt may hold a line break, and the text after it is the file's.
  const message = String((error as Error)?.message ?? error);
  const quoting = QUOTING.exec(message);
  return showUntrusted(quoting ? `${quoting[1] ?? ''}(text not shown)${quoting[2]}` : message.replace(JSON_EXCERPT, '(text not shown)').split('\n')[0]!);
}
