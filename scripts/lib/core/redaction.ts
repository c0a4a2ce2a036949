// Every secret the process learns is registered here; everything it prints passes through redact().

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
