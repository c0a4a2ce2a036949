// RFC 8288 Link headers, as far as pagination reads them: the target of a given rel.

/** Splits on commas outside <...> and quotes: a URL may itself hold commas. */
function splitLinks(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inUrl = false;
  let inQuote = false;
  for (const c of header) {
    if (c === '<' && !inQuote) inUrl = true;
    else if (c === '>' && !inQuote) inUrl = false;
    else if (c === '"' && !inUrl) inQuote = !inQuote;
    if (c === ',' && !inUrl && !inQuote) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** The target of the link whose rel (a space-separated list, any case) holds `rel`, as the server wrote it. */
export function rawLinkTarget(header: string | undefined, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of splitLinks(header)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(part);
    if (!match) continue;
    const rels = [...match[2]!.matchAll(/;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/gi)].flatMap((m) => (m[1] ?? m[2]!).toLowerCase().split(/\s+/));
    if (rels.includes(rel.toLowerCase())) return match[1]!.trim();
  }
  return undefined;
}

/** The URL of the link whose rel holds `rel`, resolved against `base`. */
export function linkTarget(header: string | undefined, rel: string, base?: string): string | undefined {
  const raw = rawLinkTarget(header, rel);
  if (raw === undefined) return undefined;
  try {
    return new URL(raw, base).toString();
  } catch {
    return undefined;
  }
}
