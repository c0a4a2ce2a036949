// sanitize as the unit tests call it: a value written as JSON, read as a Postman file, sanitized.
import type { DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';
import { parsePostmanBytes, sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';

/** A detection context for team.postman_environment.json with these own values (value, variable). */
export const detectContext = (own: Array<[string, string]> = []): DetectContext => ({ file: 'team.postman_environment.json', own: new Map(own), clientIds: new Set() });

export function sanitizeValue(value: unknown, ctx = detectContext()): { findings: number; out: unknown; left: number } {
  const read = parsePostmanBytes(Buffer.from(JSON.stringify(value)));
  if ('problem' in read) throw new Error(read.problem);
  const { findings, text, left } = sanitizeParsed(read.parsed, read.text, read.kind, ctx);
  return { findings: findings.length, out: JSON.parse(text), left };
}
