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

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(maskSecret(secret));
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(maskSecret(secret));
  }
  return out;
}
