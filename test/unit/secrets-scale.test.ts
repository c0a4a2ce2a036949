// The detector's cost follows the file's size, whatever the file: many secret-bearing keys in one
// object, many token-shaped values, a recorded body of hundreds of KB. These run in vitest's time limit,
// which the detector once spent many times over (each finding masked against every secret, each
// key renamed by rewriting its whole object, each token replaced by a walk of the whole string).
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { findSecrets, type DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';
import { parsePostmanBytes, sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';

// Large enough for a recorded body whose byte array once overflowed the stack (8,000 tokens are
// 656,000 bytes, each an argument when spread; a vitest worker's 4 MB stack gives out near 500,000,
// Node's main thread near 120,000: seen failing at 8,000 with the spread put back); the time a quadratic
// step would take is `npm run bench`'s to watch (4,000 and 16,000 tokens), not a timed test's.
const N = 2_000;
const BODY = 8_000;
// Fake, made here at run time: 64 hex, as Dribbble's tokens.
const token = (i: number) => createHash('sha256').update(`fake-${i}`).digest('hex');
const ctx: DetectContext = { file: 'shared.postman_collection.json', own: new Map(), clientIds: new Set() };
const HEX64 = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/;

function sanitizedOnce(file: unknown): { found: number; text: string } {
  const read = parsePostmanBytes(Buffer.from(JSON.stringify(file)));
  if ('problem' in read) throw new Error(read.problem);
  const { findings, text } = sanitizeParsed(read.parsed, read.text, read.kind, ctx);
  return { found: findings.length, text };
}

describe('large files are scanned and sanitized whole (their cost against their size: npm run bench)', () => {
  test(`${N} keys and ${N} values, each a token: every one found, none left after sanitize`, () => {
    const m: Record<string, unknown> = {};
    for (let i = 0; i < N; i++) m[token(i)] = i;
    for (let i = 0; i < N; i++) m[`k${i}`] = token(N + i);
    const { found, text } = sanitizedOnce({ info: { name: 'big' }, item: [], m });
    expect(found).toBe(2 * N);
    expect(text).not.toMatch(HEX64);
    // Keys renamed in place, numbered apart, in their order.
    const keys = Object.keys(JSON.parse(text).m);
    expect(keys.slice(0, 3)).toEqual(['<redacted>', '<redacted> (2)', '<redacted> (3)']);
    expect(new Set(keys).size).toBe(2 * N);
  }, 20_000);

  test(`one text holding ${N} tokens, and a Newman report whose recorded body holds ${BODY} (656 KB, a byte array too long to spread as arguments): found, sanitized`, () => {
    const text = Array.from({ length: N }, (_, i) => `Bearer ${token(i)}`).join('\n');
    const body = [...Buffer.from(Array.from({ length: BODY }, (_, i) => `"access_token":"${token(N + i)}"`).join(','))];
    const inText = sanitizedOnce({ info: { name: 'big' }, item: [{ name: 'r', request: { url: 'x', description: text } }] });
    expect(inText.found).toBe(N);
    expect(inText.text).not.toMatch(HEX64);
    const report = { collection: { info: { name: 'x' }, item: [] }, run: { executions: [{ response: { stream: { type: 'Buffer', data: body } } }] } };
    const read = parsePostmanBytes(Buffer.from(JSON.stringify(report)));
    if ('problem' in read) throw new Error(read.problem);
    expect(findSecrets(read.parsed, read.text, ctx)).toHaveLength(BODY);
    const clean = sanitizeParsed(read.parsed, read.text, read.kind, ctx).text;
    expect(Buffer.from(JSON.parse(clean).run.executions[0].response.stream.data).toString('utf8')).not.toMatch(HEX64);
  }, 20_000);
});
