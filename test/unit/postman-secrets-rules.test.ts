// Each rule of the Postman secret detector, finding by finding: where it is shown, why, the rule
// (the allow-list fingerprint's first half) and the fix sanitize applies. Exact expectations: a
// changed word in a message or a placeholder is a changed promise.
import { describe, expect, test } from 'vitest';
import { MAX_DEPTH, depthOf, findOwnSecretsInBytes, findSecrets, fingerprintOf, looksLikePostmanFile, postmanKind, type DetectContext } from '../../scripts/lib/secrets/postman-secrets.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';

const HEX = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const B64 = 'Zq3_x9LmN0pQrStUvWxYz012345678-abcdefGHIJKL';
const ctx = (file = 'x.postman_collection.json', own: Array<[string, string]> = [], clientIds: string[] = []): DetectContext => ({ file, own: new Map(own), clientIds: new Set(clientIds) });
const found = (value: unknown, c = ctx()) => findSecrets(value, JSON.stringify(value), c).map(({ where, why, rule, fix }) => ({ where, why, rule, fix }));

describe('postmanKind and looksLikePostmanFile', () => {
  test.each([
    [{ collection: {}, run: {} }, 'newman-report'],
    [{ info: {}, item: [] }, 'collection'],
    [{ collections: [] }, 'dump'],
    [{ environments: [], version: 1 }, 'dump'],
    [{ values: [], _postman_variable_scope: 'globals' }, 'globals'],
    [{ values: [], _postman_variable_scope: 'environment' }, 'environment'],
    [{ values: [], name: 'mine' }, 'environment'],
  ])('%j is a %s', (value, kind) => expect(postmanKind(value)).toBe(kind));

  test.each([[null], [[]], ['x'], [{ collection: {}, run: [] }], [{ collection: [], run: {} }], [{ info: [], item: [] }], [{ info: {}, item: {} }], [{ environments: [] }], [{ environments: {}, version: 1 }], [{ values: {}, name: 'x' }], [{ values: [], _postman_variable_scope: 'other' }], [{ values: [], name: 7 }]])(
    '%j is none of them',
    (value) => expect(postmanKind(value)).toBeUndefined(),
  );

  test.each(['a.postman_collection.json', 'b/c.postman_environment.json', 'X.POSTMAN_GLOBALS.JSON', 'Backup.postman_dump.json', 'newman/run.json', 'reports/newman/r.JSON'])('%s is named as Postman or Newman names its files', (path) => {
    expect(looksLikePostmanFile(path)).toBe(true);
  });

  test.each(['a.postman_collection.json.bak', 'a.postman_other.json', 'postman_collection.json', 'mynewman/run.json', 'newman/sub/run.json', 'newman/run.txt', 'newman.json', 'newman/run.json.bak'])('%s is not', (path) => {
    expect(looksLikePostmanFile(path)).toBe(false);
  });
});

describe('depthOf and fingerprintOf', () => {
  test('depth counts objects and arrays, not scalars; it stops early past the limit', () => {
    expect([depthOf(1), depthOf(null), depthOf([]), depthOf({ a: [1, { b: 'x' }] }), depthOf([[], [[[]]]])]).toEqual([0, 0, 1, 3, 4]);
    const deep = JSON.parse(`${'['.repeat(MAX_DEPTH + 5)}${']'.repeat(MAX_DEPTH + 5)}`);
    expect(depthOf(deep)).toBe(MAX_DEPTH + 1);
  });

  test('a fingerprint is the rule and 16 hex of the secret\'s SHA-256', () => {
    expect(fingerprintOf('own-secret', 'abc')).toBe('own-secret:ba7816bf8f01cfea');
  });
});

describe('auth blocks and secret fields', () => {
  test('a literal token in a bearer auth row goes back to {{access_token}}', () => {
    expect(found({ auth: { type: 'bearer', bearer: [{ key: 'token', value: 'ya29.literal-token-x' }] } })).toEqual([
      { where: 'auth.bearer["token"]', why: 'a literal token in the bearer auth', rule: 'auth-field', fix: { kind: 'set', path: ['auth', 'bearer', 0, 'value'], value: '{{access_token}}' } },
    ]);
  });

  test('Postman\'s "Use Token" access token in an oauth2 auth is named as such', () => {
    expect(found({ auth: { type: 'oauth2', oauth2: [{ key: 'accessToken', value: 'literal-oauth-token' }, { key: 'tokenType', value: 'Bearer' }] } })).toEqual([
      { where: 'auth.oauth2["accessToken"]', why: 'a literal accessToken in the oauth2 auth (Postman\'s "Use Token" puts it there)', rule: 'auth-field', fix: { kind: 'set', path: ['auth', 'oauth2', 0, 'value'], value: '{{access_token}}' } },
    ]);
  });

  test('an auth block written as an object (v2.0): its secret field is emptied when no variable of ours stands for it', () => {
    expect(found({ request: { auth: { type: 'apikey', apikey: { value: 'literal-api-key-1', key: 'X-Key' } } } })).toEqual([
      { where: 'request.auth.apikey.value', why: 'a literal value in the apikey auth', rule: 'secret-field', fix: { kind: 'set', path: ['request', 'auth', 'apikey', 'value'], value: '' } },
    ]);
  });

  test('the auth type only applies inside its own block: a "value" elsewhere in the auth is no secret field', () => {
    expect(found({ auth: { type: 'apikey', other: { value: 'not-a-secret-value' }, apikey: [{ key: 'in', value: 'header' }] } })).toEqual([]);
  });

  test('a field named for one of our secrets, anywhere: its {{variable}}; a field named code outside an auth is not one', () => {
    expect(found({ client_secret: 'some-literal-secret', code: 'some-literal-code', accessToken: '{{access_token}}', refresh_token: 'rt-literal-12345' })).toEqual([
      { where: 'client_secret', why: 'a literal client_secret', rule: 'secret-field', fix: { kind: 'set', path: ['client_secret'], value: '{{client_secret}}' } },
      { where: 'refresh_token', why: 'a literal refresh_token', rule: 'secret-field', fix: { kind: 'set', path: ['refresh_token'], value: '{{refresh_token}}' } },
    ]);
  });

  test('only a whole {{variable}} (spaces around allowed) is a placeholder; text around one, or spaces alone, are not a secret', () => {
    expect(found({ client_secret: ' {{client_secret}} ', access_token: '   ' })).toEqual([]);
    expect(found({ client_secret: 'x{{client_secret}}', access_token: '{{access_token}}x' }).map((f) => f.where)).toEqual(['client_secret', 'access_token']);
  });

  test('a secret field holding a known client ID, or the demo secret in its own file, is no finding', () => {
    expect(found({ client_secret: 'known-client-id-1' }, ctx('a.json', [], ['known-client-id-1']))).toEqual([]);
    expect(found({ client_secret: MOCK_DEMO_CLIENT.clientSecret }, ctx('scripts/lib/mock/mock-server.ts'))).toEqual([]);
    expect(found({ client_secret: MOCK_DEMO_CLIENT.clientSecret }, ctx('elsewhere.json'))).toHaveLength(1);
  });
});

describe('rows: headers, parameters, variables', () => {
  test('Authorization and Proxy-Authorization: the credential after the scheme, the scheme kept; a placeholder is fine', () => {
    expect(found({ request: { header: [{ key: 'Authorization', value: 'Bearer literal-cred-123' }, { key: 'Proxy-Authorization', value: 'opaque-cred-1234' }, { key: 'authorization', value: 'Bearer {{access_token}}' }] } })).toEqual([
      { where: 'request.header["Authorization"]', why: 'a literal credential in the Authorization header', rule: 'authorization-header', fix: { kind: 'set', path: ['request', 'header', 0, 'value'], value: 'Bearer {{access_token}}' } },
      { where: 'request.header["Proxy-Authorization"]', why: 'a literal credential in the Proxy-Authorization header', rule: 'authorization-header', fix: { kind: 'set', path: ['request', 'header', 1, 'value'], value: '{{access_token}}' } },
    ]);
  });

  test('the scheme is kept however many spaces follow it', () => {
    expect(found({ header: [{ key: 'Authorization', value: 'Bearer   literal-cred-123' }] }).map((f) => f.fix)).toEqual([{ kind: 'set', path: ['header', 0, 'value'], value: 'Bearer {{access_token}}' }]);
  });

  test('a header carrying a known client ID (Basic-less schemes) is no finding', () => {
    expect(found({ header: [{ key: 'Authorization', value: 'Client known-client-id-1' }] }, ctx('a.json', [], ['known-client-id-1']))).toEqual([]);
  });

  test('a parameter named for one of our secrets, or typed secret: its {{variable}}, by name', () => {
    expect(found({ request: { url: { query: [{ key: 'code', value: 'code-literal-1' }, { key: 'custom', value: 'v', type: 'secret' }, { key: 'plain', value: 'x' }] } } })).toEqual([
      { where: 'request.url.query["code"]', why: 'a literal code', rule: 'secret-parameter', fix: { kind: 'set', path: ['request', 'url', 'query', 0, 'value'], value: '{{code}}' } },
      { where: 'request.url.query["custom"]', why: 'a literal custom', rule: 'secret-parameter', fix: { kind: 'set', path: ['request', 'url', 'query', 1, 'value'], value: '{{custom}}' } },
    ]);
  });

  test('a filled secret variable is emptied; only an environment\'s values row is also typed secret', () => {
    expect(found({ variable: [{ key: 'access_token', value: 'tok-literal-1', type: 'default' }, { key: 'pw', value: 'pw-1', type: 'secret' }, { key: 'note', value: 'hello' }], values: [{ key: 'refresh_token', value: 'rt-1' }] })).toEqual([
      { where: 'variable["access_token"]', why: 'a filled value for the secret "access_token"', rule: 'secret-variable', fix: { kind: 'set', path: ['variable', 0, 'value'], value: '', secretType: false } },
      { where: 'variable["pw"]', why: 'a filled secret-typed value "pw"', rule: 'secret-variable', fix: { kind: 'set', path: ['variable', 1, 'value'], value: '', secretType: false } },
      { where: 'values["refresh_token"]', why: 'a filled value for the secret "refresh_token"', rule: 'secret-variable', fix: { kind: 'set', path: ['values', 0, 'value'], value: '', secretType: true } },
    ]);
  });

  test('the demo secret is allowed in the mock environment and under scripts/lib/mock/, nowhere else', () => {
    const env = { values: [{ key: 'client_secret', value: MOCK_DEMO_CLIENT.clientSecret }] };
    expect(found(env, ctx('environments/mock.postman_environment.json'))).toEqual([]);
    expect(found(env, ctx('scripts/lib/mock/anything.json'))).toEqual([]);
    expect(found(env, ctx('test/e2e/mock-server.test.ts.bak')).map((f) => f.rule)).toEqual(['secret-variable']);
  });
});

describe('secrets inside text', () => {
  test('named literals and Bearer tokens: {{variable}} in a request part Postman fills in, <redacted> in a description or a response', () => {
    const value = { item: [{ name: 'n', description: `access_token=${'a'.repeat(20)} Bearer ${'b'.repeat(14)}`, request: { url: { raw: `https://x/?code=${'c'.repeat(13)}` }, body: { raw: `{"client_secret": "${'d'.repeat(15)}"}` } }, response: [{ body: `x ${HEX} ${B64}` }] }] };
    expect(found(value)).toEqual([
      { where: 'item["n"].description', why: 'a literal access_token', rule: 'named-literal', fix: { kind: 'replace', path: ['item', 0, 'description'], literal: 'a'.repeat(20), with: '<redacted>' } },
      { where: 'item["n"].description', why: 'a literal Bearer token', rule: 'bearer-literal', fix: { kind: 'replace', path: ['item', 0, 'description'], literal: 'b'.repeat(14), with: '<redacted>' } },
      { where: 'item["n"].request.url.raw', why: 'a literal code', rule: 'named-literal', fix: { kind: 'replace', path: ['item', 0, 'request', 'url', 'raw'], literal: 'c'.repeat(13), with: '{{code}}' } },
      { where: 'item["n"].request.body.raw', why: 'a literal client_secret', rule: 'named-literal', fix: { kind: 'replace', path: ['item', 0, 'request', 'body', 'raw'], literal: 'd'.repeat(15), with: '{{client_secret}}' } },
      { where: 'item["n"].response[0].body', why: 'a token-shaped string (64 hex characters)', rule: 'token-shape', fix: { kind: 'replace', path: ['item', 0, 'response', 0, 'body'], literal: HEX, with: '<redacted>' } },
      { where: 'item["n"].response[0].body', why: 'a token-shaped string (43 base64url characters)', rule: 'token-shape', fix: { kind: 'replace', path: ['item', 0, 'response', 0, 'body'], literal: B64, with: '<redacted>' } },
    ]);
  });

  test.each([
    ['name', ['item', 0, 'name']],
    ['exec', ['event', 0, 'script', 'exec', 0]],
    ['info', ['info', 'description']],
    ['a response after the request', ['request', 'response', 0, 'body']],
    ['a stream', ['stream', 'url']],
    ['a description inside a request', ['request', 'url', 'description']],
    ['a name inside a request', ['request', 'body', 'name']],
    ['a script inside a request', ['request', 'body', 'exec', 0]],
    ['info inside a request', ['request', 'info']],
    ['responses after the request', ['request', 'responses', 0, 'body']],
  ])('in %s the literal becomes <redacted>, never a {{variable}} Newman would fill in', (_name, path) => {
    const value: Record<string, unknown> = {};
    let node: Record<string | number, unknown> = value;
    for (const [i, p] of path.entries()) node = (node[p] ??= i === path.length - 1 ? `code=${'c'.repeat(13)}` : typeof path[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    expect(found(value).map((f) => f.fix)).toEqual([{ kind: 'replace', path, literal: 'c'.repeat(13), with: '<redacted>' }]);
  });

  test.each([
    ['a request inside a response', ['responses', 0, 'request', 'url']],
    ['an auth inside a response', ['responses', 0, 'auth', 'header']],
    ['a raw body', ['raw']],
    ['a body', ['body']],
    ['an auth', ['auth']],
  ])('in %s the literal goes back to its {{variable}}', (_name, path) => {
    const value: Record<string, unknown> = {};
    let node: Record<string | number, unknown> = value;
    for (const [i, p] of path.entries()) node = (node[p] ??= i === path.length - 1 ? `code=${'c'.repeat(13)}` : typeof path[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    expect(found(value).map((f) => f.fix)).toEqual([{ kind: 'replace', path, literal: 'c'.repeat(13), with: '{{code}}' }]);
  });

  test.each([['header'], ['query'], ['urlencoded'], ['formdata'], ['headers'], ['headerData'], ['data'], ['rawModeData'], ['originalRequest']])('in a request\'s %s the literal goes back to its {{variable}}', (part) => {
    const value = part === 'originalRequest' ? { response: [{ originalRequest: { url: `code=${'c'.repeat(13)}` } }] } : { [part]: `code=${'c'.repeat(13)}` };
    expect(found(value).map((f) => f.fix && 'with' in f.fix && f.fix.with)).toEqual(['{{code}}']);
  });

  test('a recorded body (a Newman Buffer) is read as text and named so; an array that is not bytes is walked as JSON', () => {
    const bytes = [...Buffer.from(`access_token=${'e'.repeat(20)}`)];
    expect(found({ response: { stream: { type: 'Buffer', data: bytes } } })).toEqual([
      { where: 'response.stream.data', why: 'a literal access_token in a recorded body', rule: 'named-literal', fix: { kind: 'replace', path: ['response', 'stream', 'data'], literal: 'e'.repeat(20), with: '<redacted>' } },
    ]);
    for (const odd of [256, -1, 1.5]) expect(found({ response: { stream: { type: 'Buffer', data: [...bytes, odd] } } })).toEqual([]);
  });

  test('the user\'s own secret, and a placeholder that would hold the secret itself becomes empty', () => {
    const c = ctx('x.json', [['12345678', 'DRIBBBLE_CLIENT_SECRET'], ['<redacted>', 'DRIBBBLE_CODE']]);
    expect(found({ values: [{ key: 'n', value: 'my 12345678 and <redacted>' }] }, c)).toEqual([
      { where: 'values["n"]', why: 'the value of your own DRIBBBLE_CLIENT_SECRET', rule: 'own-secret', fix: { kind: 'replace', path: ['values', 0, 'value'], literal: '12345678', with: '<redacted>' } },
      { where: 'values["n"]', why: 'the value of your own DRIBBBLE_CODE', rule: 'own-secret', fix: { kind: 'replace', path: ['values', 0, 'value'], literal: '<redacted>', with: '' } },
    ]);
  });

  test('an own secret found in a request URL goes back to its variable', () => {
    expect(found({ url: 'https://x/?p=own-access-token-1' }, ctx('a.json', [['own-access-token-1', 'DRIBBBLE_ACCESS_TOKEN']]))[0]!.fix).toEqual({ kind: 'replace', path: ['url'], literal: 'own-access-token-1', with: '{{access_token}}' });
  });

  test('an own secret of a variable that is not ours becomes <redacted>, even where Postman interpolates', () => {
    expect(found({ url: 'https://x/?p=tool-token-0123' }, ctx('a.json', [['tool-token-0123', 'SOME_TOOL_TOKEN']]))[0]!.fix).toEqual({ kind: 'replace', path: ['url'], literal: 'tool-token-0123', with: '<redacted>' });
  });

  test('a literal found twice in one string is one finding', () => {
    expect(found({ description: `${HEX} and ${HEX}` })).toHaveLength(1);
  });

  test('documentation\'s stand-ins are not secrets: example, placeholder, your-, changeme, redacted', () => {
    for (const word of ['example-access-token', 'my-placeholder-x', 'your_access_token', 'CHANGEME-please-1', 'redacted-value-xx']) {
      expect(found({ description: `access_token=${word} Bearer ${word}` })).toEqual([]);
    }
  });

  test('client IDs are found wherever they sit (near "client_id" in text, a clientId key, a client_id row) and are then no finding anywhere', () => {
    expect(found({ info: {}, item: [], text: `client_id: ${HEX}`, x: { clientId: B64 }, other: [HEX, B64] })).toEqual([]);
    expect(found({ a: [{ key: 'Client-ID', value: ` ${HEX} ` }], b: HEX })).toEqual([]);
    expect(found({ a: [{ key: 'client_id', value: '  ' }], b: HEX })).toHaveLength(1);
  });
});

describe('odd shapes and the edges of each rule', () => {
  test('nulls, numbers and unknown auth types are walked without a throw and hold nothing', () => {
    expect(found({ a: null, b: 5, c: [null, 1], auth: { type: 'custom', custom: { value: 'x-literal-12345' } } })).toEqual([]);
  });

  test('client IDs under any spelling of the key, trimmed; a non-string under such a key is no client ID and no crash', () => {
    expect(found({ 'Client-ID': ` ${B64} `, b: B64 })).toEqual([]);
    expect(found({ a: [{ key: 'client_id', value: 5 }], clientId: 7, b: HEX }).map((f) => f.rule)).toEqual(['token-shape']);
  });

  test('a secret field holding a known client ID with spaces around it is no finding', () => {
    expect(found({ client_secret: ' known-client-id-1 ' }, ctx('a.json', [], ['known-client-id-1']))).toEqual([]);
  });

  test('only an object typed Buffer is a recorded body, and a zero byte is a byte', () => {
    const bytes = [...Buffer.from(`access_token=${'e'.repeat(20)}`), 0];
    expect(found({ stream: { data: bytes } })).toEqual([]);
    expect(found({ stream: { type: 'Buffer', data: bytes } }).map((f) => f.rule)).toEqual(['named-literal']);
  });

  test('the rest of a row (its description) is searched like any text; a row\'s value that is not text is walked', () => {
    expect(found({ x: [{ key: 'k', value: '', description: `Bearer ${'b'.repeat(14)}` }] }).map((f) => f.where)).toEqual(['x["k"].description']);
    expect(found({ x: [{ key: 'k', value: [HEX] }] }).map((f) => f.where)).toEqual(['x["k"][0]']);
    expect(found({ x: [{ key: 'k', value: '', note: HEX }] }).map((f) => f.where)).toEqual(['x["k"].note']);
    // A secret in a row's key is found once.
    expect(found({ x: [{ key: `Bearer ${'b'.repeat(14)}`, value: '' }] })).toHaveLength(1);
  });

  test('a variable holding a {{placeholder}} is not filled', () => {
    expect(found({ values: [{ key: 'client_secret', value: '{{client_secret}}' }] })).toEqual([]);
  });

  test('a variable named for one of ours in another spelling (clientSecret) is a filled secret, not a secret-typed one', () => {
    expect(found({ variable: [{ key: 'clientSecret', value: 'literal-secret-1' }] }).map((f) => f.why)).toEqual(['a filled value for the secret "clientSecret"']);
  });

  test('the credential of an Authorization header is fingerprinted without the spaces after it', () => {
    const [f] = findSecrets({ header: [{ key: 'Authorization', value: 'Bearer literal-cred-123  ' }] }, '', ctx());
    expect(f!.fingerprint).toBe(fingerprintOf('authorization-header', 'literal-cred-123'));
  });

  test('a Bearer token or a token shape inside a request part goes back to {{access_token}}', () => {
    expect(found({ headers: `Authorization: Bearer ${'b'.repeat(14)}`, url: `x ${HEX}` }).map((f) => f.fix && 'with' in f.fix && f.fix.with)).toEqual(['{{access_token}}', '{{access_token}}']);
  });

  test('a token shape is of the kind its name says, in text or as the field it sits in; an access token when nothing names it', () => {
    const withs = (value: unknown) => found(value).map((f) => f.fix && 'with' in f.fix && f.fix.with);
    expect(withs({ body: { raw: `{"code": "${B64}"}` } })).toEqual(['{{code}}']);
    expect(withs({ body: { raw: `{\\"client_secret\\":\\"${HEX}\\"}` } })).toEqual(['{{client_secret}}']);
    expect(withs({ body: { raw: `refreshToken: '${HEX}'` } })).toEqual(['{{refresh_token}}']);
    expect(withs({ body: { code: B64 } })).toEqual(['{{code}}']);
    expect(withs({ body: { raw: `{"my_code": "${B64}", "state": "${HEX}"}` } })).toEqual(['{{access_token}}', '{{access_token}}']);
  });

  test('an object\'s key is searched like any text, shown masked, and renamed to <redacted>, even in a part Postman fills in', () => {
    expect(found({ request: { url: { [HEX]: 1 } }, info: { [`Bearer ${'b'.repeat(14)}`]: { [B64]: 2 } } })).toEqual([
      { where: 'request.url.f3e2…f3e2', why: 'a token-shaped string (64 hex characters), used as a key', rule: 'token-shape', fix: { kind: 'rename', path: ['request', 'url', HEX], literal: HEX, with: '<redacted>' } },
      { where: 'info["Bearer bb…"]', why: 'a literal Bearer token, used as a key', rule: 'bearer-literal', fix: { kind: 'rename', path: ['info', `Bearer ${'b'.repeat(14)}`], literal: 'b'.repeat(14), with: '<redacted>' } },
      { where: 'info["Bearer bb…"]["Zq3_…IJKL"]', why: 'a token-shaped string (43 base64url characters), used as a key', rule: 'token-shape', fix: { kind: 'rename', path: ['info', `Bearer ${'b'.repeat(14)}`, B64], literal: B64, with: '<redacted>' } },
    ]);
  });

  test('the demo secret is public only as itself: another client_secret in the mock environment, or the demo value under another key, is found', () => {
    const mock = ctx('environments/mock.postman_environment.json');
    expect(found({ values: [{ key: 'client_secret', value: 'another-secret-12345' }] }, mock)).toHaveLength(1);
    expect(found({ values: [{ key: 'access_token', value: MOCK_DEMO_CLIENT.clientSecret }] }, mock)).toHaveLength(1);
  });
});

describe('where a finding is shown', () => {
  test('an array member is labelled by a string name only', () => {
    expect(found({ x: [{ name: 7, y: HEX }] }).map((f) => f.where)).toEqual(['x[0].y']);
  });

  test('items and rows by their name or key, other array members by index, odd keys quoted, a row\'s value by its row', () => {
    expect(found({ 'we-ird': [{ name: 'Item A', x: [{ key: 'k', value: HEX }, { noKey: 1, value: HEX }, [HEX]] }] }).map((f) => f.where)).toEqual([
      '["we-ird"]["Item A"].x["k"]',
      '["we-ird"]["Item A"].x[1].value',
      '["we-ird"]["Item A"].x[2][0]',
    ]);
  });

  test('a secret that is the whole file is at (root); a first key is shown without a dot', () => {
    expect(found(HEX).map((f) => f.where)).toEqual(['(root)']);
    expect(found({ $a_1: HEX }).map((f) => f.where)).toEqual(['$a_1']);
  });
});

describe('findOwnSecretsInBytes', () => {
  test('the user\'s own secrets in UTF-8 or UTF-16 bytes, by variable, with no fix; the demo secret in its own place is not', () => {
    const c = ctx('a.txt', [['my-secret-12345', 'DRIBBBLE_CODE'], ['other-secret-1', 'DRIBBBLE_ACCESS_TOKEN']]);
    const expected = [{ where: 'DRIBBBLE_CODE', value: 'my…', why: 'the value of your own DRIBBBLE_CODE', rule: 'own-secret', fingerprint: fingerprintOf('own-secret', 'my-secret-12345') }];
    expect(findOwnSecretsInBytes(Buffer.from('x my-secret-12345 y', 'utf16le'), c)).toEqual(expected);
    expect(findOwnSecretsInBytes(Buffer.from('x my-secret-12345 y'), c)).toEqual(expected);
    const demo = ctx('scripts/lib/mock/x.ts', [[MOCK_DEMO_CLIENT.clientSecret, 'DRIBBBLE_CLIENT_SECRET']]);
    expect(findOwnSecretsInBytes(Buffer.from(MOCK_DEMO_CLIENT.clientSecret), demo)).toEqual([]);
  });
});
