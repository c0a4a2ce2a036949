// Where a finding is: the path shown to the reader never carries a secret itself, even when the
// secret sits in a row's key or a label on the way to it (check-secrets prints this text).
import { describe, expect } from 'vitest';
import { fc, test } from '../support/property.js';
import { findSecrets, type DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';
import { scanFile } from '../../scripts/lib/secrets/repository-scan.js';
import { showFinding, warningText } from '../../scripts/lib/secrets/scan-report.js';

const OWN = 'own-Secret-"quoted"\\value-123';
const ctx: DetectContext = { file: 'team.postman_environment.json', own: new Map([[OWN, 'DRIBBBLE_CLIENT_SECRET']]), clientIds: new Set() };
const environment = (values: unknown[]) => ({ id: 'e', name: 'team', values });
const places = (parsed: unknown) => findSecrets(parsed, JSON.stringify(parsed), ctx).map((f) => f.where);

describe('the place of a finding', () => {
  const TOKEN = 'a'.repeat(20) + '0123456789abcdef'.repeat(2) + 'b'.repeat(12);

  test('a token used as a row key is found, and its place shows the key masked', () => {
    const where = places(environment([{ key: TOKEN, value: 'x', enabled: true }]));
    expect(where.length).toBeGreaterThan(0);
    for (const w of where) expect(w).not.toContain(TOKEN);
  });

  test('a secret in a row key does not show through the place of another finding under that row', () => {
    const where = places(environment([{ key: TOKEN, value: OWN, type: 'secret', enabled: true }]));
    expect(where.length).toBeGreaterThanOrEqual(2);
    for (const w of where) {
      expect(w).not.toContain(TOKEN);
      expect(w).not.toContain(OWN);
      expect(w).not.toContain(JSON.stringify(OWN).slice(1, -1));
    }
  });

  test('a secret inside a longer one: the longer is masked whole, leaving no tail of it', () => {
    const inner = TOKEN.slice(10, 30);
    const context: DetectContext = { ...ctx, own: new Map([[inner, 'DRIBBBLE_CLIENT_SECRET']]) };
    const parsed = environment([{ key: TOKEN, value: 'x', enabled: true }]);
    const where = findSecrets(parsed, JSON.stringify(parsed), context).map((f) => f.where);
    expect(where.length).toBeGreaterThan(0);
    for (const w of where) {
      expect(w).not.toContain(inner);
      expect(w).not.toContain(TOKEN.slice(30));
    }
  });

  test.prop([fc.constantFrom(TOKEN, OWN, 'f'.repeat(64)), fc.constantFrom('value', 'description', 'name')])(
    'any found secret in any label never appears in any place, in its JSON spelling either',
    (secret, field) => {
      const where = places({ info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [{ name: secret, request: { url: 'https://x', header: [{ key: secret, [field]: OWN }] } }] });
      for (const w of where) {
        expect(w).not.toContain(secret);
        expect(w).not.toContain(JSON.stringify(secret).slice(1, -1));
      }
    },
  );

  // An object's key is a place of its own (a Newman report's map keyed by a token, a header map):
  // found, and masked in its own place and in the place of every finding under it.
  const KEYED = [TOKEN, OWN, 'f'.repeat(64), `Bearer ${'k'.repeat(16)}`];
  test('a secret used as an object\'s key is found, and masked in its place and the places under it', () => {
    const parsed = { info: { name: 'c' }, item: [], variable: [], maps: { [TOKEN]: { note: `Bearer ${'n'.repeat(16)}` }, nested: [{ [OWN]: 1 }] } };
    const found = findSecrets(parsed, JSON.stringify(parsed), ctx);
    expect(found.map((f) => f.why).sort()).toEqual(['a literal Bearer token', 'a token-shaped string (64 hex characters), used as a key', 'the value of your own DRIBBBLE_CLIENT_SECRET, used as a key']);
    for (const { where } of found) for (const s of [TOKEN, OWN, JSON.stringify(OWN).slice(1, -1)]) expect(where).not.toContain(s);
  });

  test.prop([fc.constantFrom(...KEYED), fc.array(fc.constantFrom('a', 'url', 'header', 'response', 0), { maxLength: 3 }), fc.constantFrom('Bearer ' + 'v'.repeat(16), 'plain', 7)])(
    'a secret key at any depth never shows in a line check-secrets prints, with or without a finding under it',
    (secret, above, below) => {
      let tree: unknown = { [secret]: { note: below } };
      for (const step of above) tree = typeof step === 'number' ? [tree] : { [step]: tree };
      const file = { collection: { info: { name: 'c' }, item: [] }, run: { executions: [tree] } };
      const findings = scanFile({ path: 'newman/run.json', content: Buffer.from(JSON.stringify(file)), size: 0 }, { own: ctx.own, clientIds: new Set() });
      expect(findings.length).toBeGreaterThan(0);
      const printed = [warningText(findings.map((f) => ({ file: 'newman/run.json', ...f })))!, ...findings.map((f) => showFinding({ file: 'newman/run.json', ...f }))].join('\n');
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), secret.slice(7)]) expect(printed).not.toContain(form);
    },
  );
});
