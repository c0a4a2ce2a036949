// The Postman secret detector at the edges of its rules: which auth type names a field, text that
// is never sent, a secret in a row's key or in a recorded body's other fields, Authorization values
// over several lines, and the places shown, masked to the end.
import { describe, expect, test } from 'vitest';
import { fc, test as propTest } from '../support/property.js';
import { findSecrets, fingerprintOf, matchesOf, type DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';

const HEX = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
// Not token-shaped: only the rule for its place can find it.
const LITERAL = 'ya29.not-token-shaped-literal';
const ctx = (own: Array<[string, string]> = [], clientIds: string[] = []): DetectContext => ({ file: 'x.postman_collection.json', own: new Map(own), clientIds: new Set(clientIds) });
const found = (value: unknown, c = ctx()) => findSecrets(value, JSON.stringify(value), c).map(({ where, why, rule, fix }) => ({ where, why, rule, fix }));

describe('which auth type names a field', () => {
  test.each([
    ['basic', 'password', ''],
    ['bearer', 'token', '{{access_token}}'],
    ['oauth2', 'clientSecret', '{{client_secret}}'],
    ['apikey', 'value', ''],
  ])('a literal in the %s auth\'s %s is named with its auth type and goes back to %j', (type, key, placeholder) => {
    expect(found({ auth: { type, [type]: [{ key, value: LITERAL }] } })).toEqual([
      { where: `auth.${type}[${JSON.stringify(key)}]`, why: `a literal ${key} in the ${type} auth`, rule: 'auth-field', fix: { kind: 'set', path: ['auth', type, 0, 'value'], value: placeholder } },
    ]);
  });

  test('a field nested deeper in the params of the type in use is still that auth\'s field', () => {
    expect(found({ auth: { type: 'basic', basic: { options: { password: LITERAL } } } })).toEqual([
      { where: 'auth.basic.options.password', why: 'a literal password in the basic auth', rule: 'secret-field', fix: { kind: 'set', path: ['auth', 'basic', 'options', 'password'], value: '' } },
    ]);
  });

  test.each([
    // Postman drops a type's params when the type changes: a second type's params are not sent.
    ['another type\'s params in the same auth block', { auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}' }], oauth2: [{ key: 'accessToken', value: LITERAL }] } }],
    ['an object shaped like an auth block that is not under an auth key', { example: { type: 'oauth2', oauth2: [{ key: 'accessToken', value: LITERAL }] } }],
    ['an auth block nested in another auth\'s params (the outer type does not reach into it)', { auth: { type: 'oauth2', oauth2: { auth: { extra: [{ key: 'accessToken', value: LITERAL }] } } } }],
  ])('%s: the literal is still found, by its name, and not said to be in an oauth2 auth', (_name, value) => {
    expect(found(value).map(({ rule, why }) => ({ rule, why }))).toEqual([{ rule: 'secret-parameter', why: 'a literal accessToken' }]);
  });
});

describe('text that is never sent', () => {
  test.each([[['info', 'url']], [['info', 'body', 'raw']]])('in the collection\'s info (%j) a literal becomes <redacted>, even under a request part\'s name', (path) => {
    const value: Record<string, unknown> = {};
    let node: Record<string, unknown> = value;
    for (const [i, p] of path.entries()) node = (node[p] ??= i === path.length - 1 ? `code=${'c'.repeat(13)}` : {}) as Record<string, unknown>;
    expect(found(value).map((f) => f.fix)).toEqual([{ kind: 'replace', path, literal: 'c'.repeat(13), with: '<redacted>' }]);
  });
});

describe('secrets in odd places', () => {
  test('a secret in a row\'s key is shown at that key and replaced there', () => {
    expect(found({ x: [{ key: `Bearer ${'b'.repeat(14)}`, value: '' }] })).toEqual([
      { where: 'x["Bearer bb…"].key', why: 'a literal Bearer token', rule: 'bearer-literal', fix: { kind: 'replace', path: ['x', 0, 'key'], literal: 'b'.repeat(14), with: '<redacted>' } },
    ]);
  });

  test('every other field of a recorded body\'s object is searched, whatever its name, even an empty one', () => {
    const data = [...Buffer.from('hello')];
    expect(found({ stream: { type: 'Buffer', data, '': HEX } })).toEqual([
      { where: 'stream[""]', why: 'a token-shaped string (64 hex characters)', rule: 'token-shape', fix: { kind: 'replace', path: ['stream', ''], literal: HEX, with: '<redacted>' } },
    ]);
  });
});

describe('an Authorization value over several lines', () => {
  // A known client ID on one line must not pass the whole value off as a client ID's header.
  test.each([['Bearer secret-cred-123\nknown-client-id-1'], ['Client known-client-id-1\nsecret-cred-123']])('%j is one credential, replaced whole', (value) => {
    const findings = findSecrets({ header: [{ key: 'Authorization', value }] }, '', ctx([], ['known-client-id-1']));
    expect(findings.map(({ where, rule, fingerprint, fix }) => ({ where, rule, fingerprint, fix }))).toEqual([
      { where: 'header["Authorization"]', rule: 'authorization-header', fingerprint: fingerprintOf('authorization-header', value), fix: { kind: 'set', path: ['header', 0, 'value'], value: '{{access_token}}' } },
    ]);
  });
});

describe('where a finding is shown', () => {
  test('a secret holding a quote is masked in the place shown, where it is JSON-escaped', () => {
    const secret = 'pa"ss-word-12';
    const c = ctx([[secret, 'DRIBBBLE_CLIENT_SECRET']]);
    expect(found({ item: [{ name: `login as ${secret}` }] }, c).map((f) => f.where)).toEqual(['item["login as pa…"].name']);
  });

  // Each masking step is taken once: a step taken again would loop forever on a mask that holds its own secret.
  test('masking the places ends even when a secret is the ellipsis masks are made of (a masked value pasted back)', () => {
    expect(found({ header: [{ key: 'Authorization', value: 'Bearer …' }], [HEX]: 1 }).map((f) => f.where)).toEqual(['header["Authorization"]', 'f3e2…f3e2']);
  });
});

describe('matchesOf, the detector\'s matchAll on a shared pattern', () => {
  const asFound = (ms: RegExpMatchArray[]) => ms.map((m) => ({ index: m.index, groups: [...m] }));
  // Patterns that match empty strings too, by code unit and by code point: each place is found
  // once and the walk goes on (audit: past an empty match inside a surrogate pair, V8 steps back).
  const PATTERNS = [/x*/g, /(a|b)(c?)/g, /(?<![a-z])[a-z]{2}/gi, /$/g, /\b/g, /(?:)/gu, new RegExp("(?:)", "gv"), /.?/gu, /\p{L}*/gu, /x*/gy];
  propTest.prop([fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', 'X', ' ', '-', '😀', 'é', '\ud800') }), fc.constantFrom(...PATTERNS)])('finds what String.prototype.matchAll finds, in order, whatever the pattern was left at', (text, pattern) => {
    const expected = asFound([...text.matchAll(new RegExp(pattern))]);
    pattern.lastIndex = 3;
    expect(asFound(matchesOf(text, pattern))).toEqual(expected);
  });

  test('a pattern without the g flag is refused, as matchAll refuses it (it would match the same place for ever)', () => {
    expect(() => matchesOf('abc', /b/)).toThrow(new TypeError('matchesOf needs a global pattern, not /b/'));
    expect(() => matchesOf('abc', /b/y)).toThrow(TypeError);
  });

  test.each([
    ['an emoji, by code unit without u', '😀', /x*/g],
    ['an emoji, by code point with u', 'a😀', /(?:)/gu],
    ['U+FFFF, one code unit even with u', '\uffffa', /(?:)/gu],
  ])('empty matches around %s: the places matchAll finds', (_, text, pattern) => {
    expect(matchesOf(text, pattern).map((m) => m.index)).toEqual([...text.matchAll(new RegExp(pattern))].map((m) => m.index));
  });
});
