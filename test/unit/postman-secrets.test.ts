// The one detector for Postman and Newman files, and sanitize built on its fixes: each planted
// location is found, sanitize removes it, check-secrets then finds nothing, a second sanitize
// changes no byte; any JSON value gives findings or a problem naming why, never a throw.
import { fc, test as propTest } from '../support/property.js';
import { describe, expect, test } from 'vitest';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { buildCollection } from '../../scripts/lib/postman/collection-definition.js';
import { COLLECTION_PATH, DRIBBBLE_ENVIRONMENT_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { collection, committed, EXCHANGE, GET_USER, item, PLANTS, postmanV11Export, SECRET, TOKEN, type Json } from '../fixtures/postman-exports.js';
import { findSecrets, type DetectContext, type Finding } from '../../scripts/lib/secrets/postman-secrets.js';
import { decodeText, parsePostmanBytes, readForSanitize, readPostmanFile, sanitizeParsed } from '../../scripts/lib/secrets/postman-sanitize.js';
import { scanFile } from '../../scripts/lib/secrets/repository-scan.js';
import type { UsageError } from '../../scripts/lib/core/errors.js';

const CODE = 'Zq3_x9LmN0pQrStUvWxYz012345678-abcdefGHIJKL';
const CLIENT_ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const SECRETS = [SECRET, TOKEN, CODE];

const noOwn = (file = 'shared.postman_collection.json'): DetectContext => ({ file, own: new Map(), clientIds: new Set() });

/** check-secrets' findings and sanitize's output for the bytes of a file, as the commands get them. */
function run(bytes: Buffer | string, ctx: DetectContext = noOwn()): { findings: Finding[]; text: string } {
  const read = parsePostmanBytes(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  if ('problem' in read) throw new Error(read.problem);
  return sanitizeParsed(read.parsed, read.text, read.kind, ctx);
}

/** The property that matters: after sanitize nothing is found, no secret is left, a second sanitize changes no byte. */
function expectSanitized(bytes: Buffer | string, ctx: DetectContext = noOwn(), secrets = SECRETS): string {
  const { text } = run(bytes, ctx);
  const again = run(text, ctx);
  expect(again.findings.map((f) => `${f.where}: ${f.why}`)).toEqual([]);
  expect(again.text).toBe(text);
  for (const s of secrets) expect(text).not.toContain(s);
  return text;
}

describe('each planted location of a Postman v11 export', () => {
  test.each(PLANTS)('%s: found, masked; sanitized, nothing found, idempotent', (_name, plant) => {
    const c = collection();
    plant(c);
    const exported = postmanV11Export(c);
    const { findings } = run(exported);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) for (const s of SECRETS) expect(`${f.where} ${f.value} ${f.why}`).not.toContain(s);
    expectSanitized(exported);
  });

  test('all twelve at once: all found, then none', () => {
    const c = collection();
    for (const [, plant] of PLANTS) plant(c);
    expect(run(postmanV11Export(c)).findings.length).toBeGreaterThanOrEqual(12);
    expectSanitized(postmanV11Export(c));
  });

  test('a literal in the auth goes back to its {{variable}}; a filled variable is emptied', () => {
    const c = collection();
    PLANTS[0]![1](c);
    PLANTS[5]![1](c);
    const clean = JSON.parse(expectSanitized(postmanV11Export(c)));
    expect(clean.auth.oauth2.find((e: Json) => e.key === 'accessToken').value).toBe('{{access_token}}');
    expect(clean.variable.find((v: Json) => v.key === 'client_secret').value).toBe('');
  });
});

describe('rules that do not lean on token shapes', () => {
  // Not 64 hex nor 43 base64url: only the rule for the place can find it.
  const LITERAL = 'ya29.not-token-shaped-literal';

  test('request-level auth blocks are walked: a literal token in a request\'s bearer auth is found and goes back to {{access_token}} (N07)', () => {
    const c = collection();
    item(c, GET_USER).request.auth = { type: 'bearer', bearer: [{ key: 'token', value: LITERAL, type: 'string' }] };
    const wheres = run(JSON.stringify(c)).findings.map((f) => f.where);
    expect(wheres).toHaveLength(1);
    expect(wheres[0]).toMatch(new RegExp(`item\\["${GET_USER}"\\]\\.request\\.auth\\.bearer\\["token"\\]$`));
    const clean = JSON.parse(expectSanitized(JSON.stringify(c), noOwn(), [LITERAL]));
    expect(item(clean, GET_USER).request.auth.bearer[0].value).toBe('{{access_token}}');
  });

  test('a filled client_secret collection variable is reported and emptied by sanitize (N10)', () => {
    const c = collection();
    c.variable.push({ key: 'client_secret', value: LITERAL });
    expect(run(JSON.stringify(c)).findings.map((f) => f.why)).toEqual(['a filled value for the secret "client_secret"']);
    const clean = JSON.parse(expectSanitized(JSON.stringify(c), noOwn(), [LITERAL]));
    expect(clean.variable.at(-1)).toEqual({ key: 'client_secret', value: '' });
  });
});

describe('the round trip: our collection as Postman v11 exports it sanitizes to the committed file', () => {
  test('byte for byte', () => {
    expect(run(postmanV11Export(collection())).text).toBe(committed(COLLECTION_PATH));
  });

  test('with a token from "Use Token" too', () => {
    const c = collection();
    PLANTS[0]![1](c);
    expect(run(postmanV11Export(c)).text).toBe(committed(COLLECTION_PATH));
  });

  test('a teammate\'s own additions (a new request, a new variable) are kept', () => {
    const c = collection();
    c.item.push({ name: 'My request', request: { method: 'GET', header: [], url: { raw: '{{api_base_url}}/user/shots', host: ['{{api_base_url}}'], path: ['user', 'shots'] } }, response: [] });
    c.variable.push({ key: 'my_team', value: 'design' });
    const clean = JSON.parse(run(postmanV11Export(c)).text);
    expect(clean.item.at(-1).name).toBe('My request');
    expect(clean.variable.at(-1)).toEqual({ key: 'my_team', value: 'design' });
  });

  test('generate renders through the same canonical form: the committed environments are canonical', () => {
    for (const path of [DRIBBBLE_ENVIRONMENT_PATH, MOCK_ENVIRONMENT_PATH]) {
      expect(run(committed(path), noOwn(path)).text).toBe(committed(path));
    }
  });
});

describe('no {{secret}} in what Newman fills into reports', () => {
  test('no description or name of the generated collection interpolates a secret variable', () => {
    const offending: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'description' || k === 'name') && typeof x === 'string' && /\{\{\s*(client_secret|access_token|code|code_verifier|refresh_token)\s*\}\}/.test(x)) offending.push(`${path}.${k}`);
          walk(x, `${path}.${k}`);
        }
      }
    };
    walk(buildCollection(), '');
    expect(offending).toEqual([]);
  });
});

describe('environments, globals, dumps, Newman reports, encodings', () => {
  const env = (values: Json[]) => JSON.stringify({ id: 'e', name: 'Dribbble (Ana)', values, _postman_variable_scope: 'environment', _postman_exported_at: '2026-11-28T09:14:03.512Z', _postman_exported_using: 'Postman/11.20.0' }, null, '\t');

  test('a filled secret-typed row under a custom key is reported and emptied (N06, N09)', () => {
    const text = env([{ key: 'my_api_key', value: 'hunter2-is-not-a-password', type: 'secret', enabled: true }]);
    expect(run(text).findings.map((f) => f.why)).toEqual(['a filled secret-typed value "my_api_key"']);
    const clean = JSON.parse(expectSanitized(text, noOwn(), ['hunter2-is-not-a-password']));
    expect(clean.values[0]).toEqual({ key: 'my_api_key', value: '', type: 'secret', enabled: true });
  });

  test('a filled client_secret typed default is found, emptied and typed secret', () => {
    const clean = JSON.parse(expectSanitized(env([{ key: 'client_secret', value: SECRET, type: 'default', enabled: true }])));
    expect(clean.values[0]).toEqual({ key: 'client_secret', value: '', type: 'secret', enabled: true });
  });

  test('a 64-hex client ID is no finding, wherever it sits', () => {
    const c = collection();
    c.variable.push({ key: 'client_id', value: CLIENT_ID });
    item(c, 'Authorize').request.url.raw += `&client_id=${CLIENT_ID}`;
    item(c, 'Authorize').description = `Our app is ${CLIENT_ID}.`;
    expect(run(JSON.stringify(c)).findings).toEqual([]);
    expect(run(env([{ key: 'client_id', value: CLIENT_ID, type: 'default', enabled: true }])).findings).toEqual([]);
    // Found as a client ID in one place (whatever the key order of its row), it is no token shape in another.
    expect(run(JSON.stringify({ name: 'x', values: [{ key: 'note', value: `id ${CLIENT_ID}` }, { key: 'client_id', type: 'default', enabled: true, value: CLIENT_ID }] })).findings).toEqual([]);
    // Known from the user's env file, it is no token shape in any other place either.
    expect(run(env([{ key: 'note', value: `app ${CLIENT_ID}`, type: 'default', enabled: true }]), { ...noOwn(), clientIds: new Set([CLIENT_ID]) }).findings).toEqual([]);
  });

  test('the mock\'s demo secret is allowed in the mock environment only, by key and value', () => {
    const mock = committed(MOCK_ENVIRONMENT_PATH);
    expect(run(mock, noOwn(MOCK_ENVIRONMENT_PATH)).findings).toEqual([]);
    expect(run(mock, noOwn('environments/team.postman_environment.json')).findings.map((f) => f.where)).toEqual(['values["client_secret"]']);
    const underAnotherKey = env([{ key: 'access_token', value: MOCK_DEMO_CLIENT.clientSecret, type: 'secret', enabled: true }]);
    expect(run(underAnotherKey, noOwn(MOCK_ENVIRONMENT_PATH)).findings).toHaveLength(1);
  });

  test('the user\'s own secrets (env files, process environment) are found in any string and removed', () => {
    const own = 'my-own-staging-secret-0123';
    const text = env([{ key: 'notes', value: `pasted ${own} here`, type: 'default', enabled: true }]);
    expect(run(text).findings).toEqual([]);
    const ctx = { ...noOwn(), own: new Map([[own, 'DRIBBBLE_CLIENT_SECRET']]) };
    expect(run(text, ctx).findings.map((f) => f.why)).toEqual(['the value of your own DRIBBBLE_CLIENT_SECRET']);
    expectSanitized(text, ctx, [own]);
  });

  test('a Newman json report: environment, request header and body, the recorded answer (a Buffer)', () => {
    const bytes = (s: string) => [...Buffer.from(s)];
    const report = {
      collection: { info: { name: 'Dribbble OAuth' }, item: [], auth: { type: 'oauth2', oauth2: [{ key: 'accessToken', value: TOKEN, type: 'string' }] } },
      environment: { id: 'e', name: 'Dribbble', values: [{ key: 'client_secret', value: SECRET, type: 'secret', enabled: true }] },
      globals: { id: 'g', values: [] },
      run: {
        stats: { requests: { total: 1 } },
        executions: [
          {
            item: { name: EXCHANGE },
            request: { url: { protocol: 'https', host: ['dribbble', 'com'], path: ['oauth', 'token'], query: [] }, method: 'POST', header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }], body: { mode: 'urlencoded', urlencoded: [{ key: 'client_secret', value: SECRET }, { key: 'code', value: CODE }] } },
            response: { code: 200, status: 'OK', header: [], stream: { type: 'Buffer', data: bytes(`{"access_token":"${TOKEN}","token_type":"bearer"}`) } },
          },
          { item: { name: GET_USER }, request: { url: { path: ['v2', 'user'], query: [] }, method: 'GET', header: [{ key: 'Authorization', value: `Bearer ${TOKEN}` }] }, response: { code: 200, stream: { type: 'Buffer', data: bytes('{"id":1}') } } },
        ],
      },
    };
    expect(run(JSON.stringify(report)).findings.length).toBeGreaterThanOrEqual(6);
    const clean = JSON.parse(expectSanitized(JSON.stringify(report)));
    expect(Buffer.from(clean.run.executions[0].response.stream.data).toString()).toBe('{"access_token":"<redacted>","token_type":"bearer"}');
  });

  test('a Postman data dump (Backup.postman_dump.json): v1 requests, environments, globals', () => {
    const dump = {
      version: 1,
      collections: [{ id: 'c', name: 'Dribbble', order: ['r'], folders: [], requests: [{ id: 'r', name: GET_USER, url: `https://api.dribbble.com/v2/user?access_token=${TOKEN}`, method: 'GET', headers: `Authorization: Bearer ${TOKEN}\n`, headerData: [{ key: 'Authorization', value: `Bearer ${TOKEN}` }], dataMode: 'urlencoded', data: [{ key: 'client_secret', value: SECRET, type: 'text' }, { key: 'code', value: CODE, type: 'text' }], preRequestScript: `pm.environment.set('client_secret', '${SECRET}');` }] }],
      environments: [{ id: 'e', name: 'Dribbble', values: [{ key: 'client_secret', value: SECRET, type: 'secret', enabled: true }] }],
      headerPresets: [],
      globals: [{ key: 'access_token', value: TOKEN, enabled: true }],
    };
    expect(run(JSON.stringify(dump)).findings.length).toBeGreaterThanOrEqual(4);
    expectSanitized(JSON.stringify(dump));
  });

  test.each([
    ['UTF-8 with a BOM', (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)])],
    ['UTF-16 LE with a BOM (PowerShell\'s >)', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16 BE with a BOM', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])],
    ['UTF-16 LE without a BOM', (s: string) => Buffer.from(s, 'utf16le')],
  ])('%s is decoded and scanned', (_name, encode) => {
    const text = env([{ key: 'client_secret', value: SECRET, type: 'default', enabled: true }]);
    expect(decodeText(encode(text))).toEqual({ text });
    expect(run(encode(text)).findings).toHaveLength(1);
    expectSanitized(encode(text));
  });
});

describe('hostile JSON: findings or a problem naming why, never a throw (F8)', () => {
  test.each([
    ['{"name":"t","values":[null]}'],
    ['{"info":{},"item":[null]}'],
    ['{"info":{},"item":[{"request":null,"auth":7,"item":"x"}],"auth":{"type":"oauth2","oauth2":null}}'],
    ['{"name":"t","values":[{"key":7,"value":{"key":"client_secret","value":[1]}}]}'],
  ])('%s', (text) => {
    expect(() => run(text)).not.toThrow();
    expectSanitized(text);
  });

  test('20,000 nested folders is a problem, not a crash', () => {
    const text = `{"info":{},"item":${'[{"item":'.repeat(20_000)}[]${'}]'.repeat(20_000)}}`;
    const read = parsePostmanBytes(Buffer.from(text));
    expect(read).toEqual({ problem: expect.stringContaining('nests deeper than') });
  });

  test('bytes that are not text, and text that is not JSON, are problems', () => {
    expect(parsePostmanBytes(Buffer.from([0xc3, 0x28, 0x7b]))).toEqual({ problem: expect.stringContaining('not UTF-8') });
    expect(parsePostmanBytes(Buffer.from('{"values": ['))).toEqual({ problem: expect.stringContaining('not valid JSON') });
  });

  propTest.prop([fc.jsonValue({ maxDepth: 8 })])('any JSON value: findings or a problem, and sanitize then finds nothing', (value) => {
    const read = parsePostmanBytes(Buffer.from(JSON.stringify(value)));
    if ('problem' in read) return;
    expect(Array.isArray(findSecrets(read.parsed, read.text, noOwn()))).toBe(true);
    const { text } = sanitizeParsed(read.parsed, read.text, read.kind, noOwn());
    const again = parsePostmanBytes(Buffer.from(text));
    if ('problem' in again) throw new Error(again.problem);
    expect(findSecrets(again.parsed, again.text, noOwn())).toEqual([]);
  });
});

describe('generated trees with secrets at random places', () => {
  const OWN = 'own-secret-from-dotenv-42';
  const ctx: DetectContext = { file: 'x.postman_collection.json', own: new Map([[OWN, 'DRIBBBLE_CLIENT_SECRET']]), clientIds: new Set() };
  const secretValue = fc.constantFrom(SECRET, TOKEN, CODE, OWN, `Bearer ${TOKEN}`, `https://api.dribbble.com/v2/user?access_token=${TOKEN}`, `{"client_secret": "${SECRET}"}`, `pm.environment.set('access_token', '${TOKEN}')`, `client_secret=${SECRET}&code=${CODE}`);
  const plain = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('{{access_token}}', '', 'public'), fc.integer(), fc.boolean(), fc.constant(null));
  const key = fc.constantFrom('key', 'value', 'type', 'auth', 'oauth2', 'bearer', 'header', 'url', 'raw', 'query', 'body', 'urlencoded', 'description', 'name', 'values', 'variable', 'item', 'request', 'response', 'exec', 'token', 'accessToken', 'client_secret', 'tokenRequestParams', 'stream');
  const rowKey = fc.constantFrom('client_secret', 'access_token', 'code', 'Authorization', 'accessToken', 'token', 'tokenRequestParams', 'my_key', 'note');
  // A secret can be an object's key too (a Newman report's map keyed by a token, a header map), as
  // often as a name of ours, and two keys of one object can hold secrets that sanitize alike.
  const objectKey = fc.oneof(key, secretValue, fc.constantFrom(`x:${TOKEN}`, `${TOKEN}.x`, `${SECRET} ${CODE}`, '<redacted>'));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plain, secretValue, tie('array'), tie('object'), tie('row'), tie('auth'), tie('buffer')),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc.dictionary(objectKey, tie('tree'), { maxKeys: 4 }),
    // Rows and auth blocks carry more than their own fields: any key, a secret too.
    row: fc.tuple(fc.record({ key: rowKey, value: fc.oneof(secretValue, plain, tie('array')), type: fc.constantFrom('default', 'secret', 'text', 'string') }, { requiredKeys: ['key', 'value'] }), tie('object')).map(([row, extra]) => ({ ...(extra as object), ...row })),
    auth: fc.tuple(fc.record({ type: fc.constantFrom('oauth2', 'bearer', 'apikey'), oauth2: tie('array'), bearer: tie('array') }, { requiredKeys: ['type'] }), tie('object')).map(([auth, extra]) => ({ ...(extra as object), ...auth })),
    // A recorded body (a Newman Buffer) with whatever else its object holds.
    buffer: fc.tuple(fc.oneof(secretValue, plain.map(String)), tie('object')).map(([body, extra]) => ({ ...(extra as object), type: 'Buffer', data: [...Buffer.from(body)] })),
  }));
  const postmanFile = fc.oneof(
    fc.record({ info: fc.record({ name: fc.string() }), item: fc.array(tree, { maxLength: 4 }), variable: fc.array(tree, { maxLength: 3 }), auth: tree }),
    fc.record({ name: fc.string(), values: fc.array(tree, { maxLength: 5 }), _postman_variable_scope: fc.constant('environment') }),
  );

  propTest.prop([postmanFile], { numRuns: 100 })('after sanitize: nothing found, no secret left, a second sanitize changes no byte', (file) => {
    const text = JSON.stringify(file);
    const { text: clean } = run(text, ctx);
    const again = run(clean, ctx);
    expect(again.findings.map((f) => `${f.where}: ${f.why}`)).toEqual([]);
    expect(again.text).toBe(clean);
    for (const s of [SECRET, TOKEN, CODE, OWN]) expect(clean).not.toContain(s);
  });

  // Files of any shape under any name, Postman's names among them: check-secrets (scanFile) and
  // sanitize (readForSanitize) take one decision, so a file one walks the other rewrites, and
  // sanitize --check fails exactly when check-secrets finds something.
  const unknownShape = fc.oneof(
    fc.record({ values: fc.array(tree, { maxLength: 4 }) }),
    fc.record({ collection: tree }, { requiredKeys: [] }),
    fc.record({ run: tree, info: tree, item: tree }, { requiredKeys: [] }),
    fc.dictionary(objectKey, tree, { maxKeys: 4 }),
    tree,
  );
  const fileName = fc.constantFrom('x.postman_environment.json', 'team/a.postman_collection.json', 'g.postman_globals.json', 'd.postman_dump.json', 'newman/run.json', 'reports/newman/x.json', 'data.json', 'notes.txt', 'f');
  propTest.prop([fileName, fc.oneof(postmanFile, unknownShape)], { numRuns: 100 })('check-secrets and sanitize agree on which files are Postman files, and on what they hold, before and after', (name, file) => {
    const bytes = Buffer.from(JSON.stringify(file) ?? 'null');
    const scanned = scanFile({ path: name, content: bytes, size: bytes.length }, ctx);
    let read: ReturnType<typeof readForSanitize> | undefined;
    try {
      read = readForSanitize(bytes, name, name);
    } catch (error) {
      expect((error as UsageError).code).toBe('not_postman');
    }
    const decision = readPostmanFile(name, bytes);
    expect(read !== undefined).toBe(decision.postman && !('problem' in decision));
    if (!read) {
      // Refused by sanitize: check-secrets did not walk it either (the user's own secrets in its bytes at most).
      expect(scanned.filter((f) => f.rule !== 'own-secret')).toEqual([]);
      return;
    }
    const { findings, text } = sanitizeParsed(read.parsed, read.text, read.kind, { ...ctx, file: name });
    expect(findings.map((f) => f.fingerprint)).toEqual(scanned.map((f) => f.fingerprint));
    const after = Buffer.from(text);
    expect(scanFile({ path: name, content: after, size: after.length }, ctx)).toEqual([]);
    const again = readForSanitize(after, name, name);
    expect(sanitizeParsed(again.parsed, again.text, again.kind, { ...ctx, file: name })).toEqual({ findings: [], text, left: 0 });
  });

  propTest.prop([postmanFile], { numRuns: 100 })('a file holding a secret anywhere is a finding', (file) => {
    const text = JSON.stringify(file);
    if ([SECRET, TOKEN, CODE, OWN].some((s) => text.includes(s))) expect(run(text, ctx).findings.length).toBeGreaterThan(0);
  });
});

describe('a secret replaced inside text goes back to the variable of its kind, wherever it sits in a request', () => {
  // Token-shaped (64 hex, 43 base64url) like Dribbble's, so the token-shape rule sees every one of them.
  const VERIFIER = 'Vr-7_kJ2mN4pQ6sT8uW0yA1cE3gI5kM7oQ9sU1wY3aC';
  const REFRESH = '7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
  const KINDS: Array<[string, string]> = [
    ['code', CODE],
    ['client_secret', SECRET],
    ['access_token', TOKEN],
    ['code_verifier', VERIFIER],
    ['refresh_token', REFRESH],
  ];
  /** The collection with the Exchange request alone: the place is what varies, and a whole API's sanitize per case costs a second. */
  const exchangeOnly = (): Json => Object.assign(collection(), { item: [item(collection(), EXCHANGE)] });
  /** Each place: how it is planted in the Exchange request, and how to read it back. */
  const PLACES: Array<[string, (r: Json, text: string) => void, (r: Json) => string, (name: string, literal: string) => string]> = [
    ['a raw JSON body', (r, t) => (r.body = { mode: 'raw', raw: t, options: { raw: { language: 'json' } } }), (r) => r.body.raw, (n, l) => `{"grant_type":"authorization_code","${n}":"${l}"}`],
    ['a pretty-printed raw JSON body', (r, t) => (r.body = { mode: 'raw', raw: t }), (r) => r.body.raw, (n, l) => `{\n  "${n}" : "${l}",\n  "grant_type": "authorization_code"\n}`],
    ['a raw body in JavaScript-like text', (r, t) => (r.body = { mode: 'raw', raw: t }), (r) => r.body.raw, (n, l) => `{ ${n}: '${l}' }`],
    ['a raw form body', (r, t) => (r.body = { mode: 'raw', raw: t }), (r) => r.body.raw, (n, l) => `grant_type=authorization_code&${n}=${l}`],
    ['a GraphQL body\'s variables', (r, t) => (r.body = { mode: 'graphql', graphql: { query: 'query { me }', variables: t } }), (r) => r.body.graphql.variables, (n, l) => `{"${n}": "${l}"}`],
    ['the URL', (r, t) => (r.url = { raw: t }), (r) => r.url.raw, (n, l) => `{{oauth_origin}}/oauth/token?grant_type=authorization_code&${n}=${l}`],
    ['a header value', (r, t) => r.header.push({ key: 'X-Debug', value: t }), (r) => r.header.at(-1).value, (n, l) => `${n}=${l}`],
    ['a field of that name in a request part', (r, t) => (r.body = { mode: 'raw', raw: '', options: { raw: JSON.parse(t) } }), (r) => JSON.stringify(r.body.options.raw), (n, l) => JSON.stringify({ [n]: l })],
  ];

  describe.each(PLACES)('in %s', (_place, plant, read, make) => {
    test.each(KINDS)('a literal %s goes back to its own {{variable}}', (name, literal) => {
      const c = exchangeOnly();
      plant(item(c, EXCHANGE).request, make(name, literal));
      const clean = JSON.parse(expectSanitized(JSON.stringify(c), noOwn(), [literal]));
      expect(read(item(clean, EXCHANGE).request)).toBe(make(name, `{{${name}}}`));
    });
  });

  // The user's own secrets (from .env or the environment) are known by kind, whatever their shape or place.
  test.each([
    ['DRIBBBLE_CODE', 'code'],
    ['DRIBBBLE_CLIENT_SECRET', 'client_secret'],
    ['DRIBBBLE_ACCESS_TOKEN', 'access_token'],
  ])('the user\'s own %s goes back to {{%s}} in every place', (envName, variable) => {
    const own = 'own-value-of-some-kind-1234';
    const ctx: DetectContext = { ...noOwn(), own: new Map([[own, envName]]) };
    for (const [, plant, read, make] of PLACES) {
      const c = exchangeOnly();
      plant(item(c, EXCHANGE).request, make('value', own));
      const clean = JSON.parse(expectSanitized(JSON.stringify(c), ctx, [own]));
      expect(read(item(clean, EXCHANGE).request)).toBe(make('value', `{{${variable}}}`));
    }
  });
});
