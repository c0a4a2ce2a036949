// The generated collection's structure: folders, auth, variables, parameters, examples, secrets.
import { describe, expect, test } from 'vitest';
import { buildCollection } from '../../scripts/lib/postman/collection-definition.js';
import { allItems, isFolder, type PostmanFolder, type PostmanItem } from '../../scripts/lib/postman/collection-types.js';
import { buildDribbbleEnvironment, buildMockEnvironment } from '../../scripts/lib/postman/environment-definition.js';
import { renderGeneratedFiles } from '../../scripts/lib/postman/generated-files.js';
import { COLLECTION_PATH, ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER } from '../../scripts/lib/postman/collection-files.js';
import { findCollectionSecrets, findTokenShapes } from '../../scripts/lib/secrets/postman-secrets.js';
import { API_ENDPOINTS, SHOT_STATUS_ITEM } from '../../scripts/lib/dribbble/api-v2.js';
import { VARIABLES } from '../../scripts/lib/config/variables.js';

const collection = buildCollection();
const items = allItems(collection.item);
const item = (name: string): PostmanItem => items.find((i) => i.name === name)!;
const rawUrl = (i: PostmanItem) => (typeof i.request.url === 'string' ? i.request.url : i.request.url.raw);
const SECRETS = VARIABLES.filter((v) => v.secret).map((v) => v.key);

describe('folders', () => {
  test('an OAuth folder without auth, then one folder per resource, attachments inside Shots before the shot is deleted', () => {
    const top = collection.item.filter(isFolder).map((f) => f.name);
    expect(top).toEqual(['OAuth', 'User', 'Shots', 'Projects', 'Approved apps only']);
    const oauth = collection.item[0] as PostmanFolder;
    expect(oauth.item.map((i) => i.name)).toEqual([ITEM_AUTHORIZE, ITEM_EXCHANGE]);
    for (const i of allItems(oauth.item)) expect(i.request.auth).toEqual({ type: 'noauth' });
    const shots = (collection.item.find((f) => f.name === 'Shots') as PostmanFolder).item.map((i) => i.name);
    expect(shots).toEqual(['List my shots', 'Create a shot', SHOT_STATUS_ITEM, 'Get a shot', 'Update a shot', 'Attachments', 'Delete a shot']);
  });

  test('the CLI finds its items by the names it uses', () => {
    for (const name of [ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER]) expect(item(name), name).toBeDefined();
  });
});

describe('the API requests', () => {
  const api = items.filter((i) => !['OAuth'].includes(i.name) && i.request.auth?.type !== 'noauth');

  test('each is signed with an explicit bearer {{access_token}} (what an Insomnia import keeps)', () => {
    expect(api).toHaveLength(API_ENDPOINTS.length + 1);
    for (const i of api) expect(i.request.auth, i.name).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] });
  });

  test('each says its scope and conditions, with {{api_origin}}/v2 and the path written out', () => {
    for (const endpoint of API_ENDPOINTS) {
      const i = item(endpoint.name);
      expect(i.request.method).toBe(endpoint.method);
      expect(rawUrl(i)).toMatch(new RegExp(`^\\{\\{api_origin\\}\\}/v2${endpoint.path.replace(/:[a-z_]+/g, '\\{\\{[a-z_]+\\}\\}')}(\\?|$)`));
      expect(i.request.description).toContain(endpoint.scope ? `\`${endpoint.scope}\`` : 'any token');
      if (endpoint.condition) expect(i.request.description).toContain(endpoint.condition);
    }
  });

  test('optional parameters are present but disabled, required ones enabled', () => {
    for (const endpoint of API_ENDPOINTS) {
      const i = item(endpoint.name);
      const url = i.request.url as { query?: Array<{ key: string; disabled?: boolean }> };
      for (const p of endpoint.params.filter((x) => x.in === 'query')) expect(url.query!.find((q) => q.key === p.name)?.disabled ?? false, `${endpoint.name} ${p.name}`).toBe(!p.required);
      if (i.request.body?.mode === 'formdata') {
        for (const p of endpoint.params.filter((x) => x.in === 'body')) {
          const row = i.request.body.formdata.find((f) => f.key === p.name || f.key === `${p.name}[]`);
          expect(row, `${endpoint.name} ${p.name}`).toBeDefined();
          expect(row!.disabled ?? false).toBe(!p.required);
        }
      }
    }
  });

  test('the upload is multipart with the image rule in its description and the image from shot_image', () => {
    const upload = item('Create a shot');
    expect(upload.request.body?.mode).toBe('formdata');
    expect(upload.request.description).toMatch(/exactly 400x300 or 800x600 pixels, at most 8 MB/);
    const image = upload.request.body?.mode === 'formdata' ? upload.request.body.formdata.find((f) => f.key === 'image') : undefined;
    expect(image).toMatchObject({ type: 'file', src: '{{shot_image}}' });
    expect(rawUrl(item(SHOT_STATUS_ITEM))).toBe('{{shot_location}}');
  });

  test('saved examples for every status each can answer: its success, 401, its errors, 429', () => {
    for (const endpoint of API_ENDPOINTS) {
      expect(item(endpoint.name).response.map((r) => r.code), endpoint.name).toEqual([endpoint.success.status, 401, ...endpoint.errors, 429]);
    }
  });
});

describe('variables', () => {
  test('every {{variable}} the collection uses is defined by an environment row or a collection variable', () => {
    const text = JSON.stringify(collection);
    const used = new Set([...text.matchAll(/\{\{([^{}$]+)\}\}/g)].map((m) => m[1]!));
    const defined = new Set([...buildDribbbleEnvironment().values.map((v) => v.key), ...collection.variable.map((v) => v.key)]);
    expect([...used].filter((key) => !defined.has(key))).toEqual([]);
    expect(used).toContain('code_challenge');
    expect(buildMockEnvironment().values.map((v) => v.key)).toEqual(buildDribbbleEnvironment().values.map((v) => v.key));
  });

  test('origins only: oauth_origin and api_origin hold no path, each request writes its own', () => {
    const values = Object.fromEntries(collection.variable.map((v) => [v.key, v.value]));
    expect(values.oauth_origin).toBe('https://dribbble.com');
    expect(values.api_origin).toBe('https://api.dribbble.com');
    expect(rawUrl(item(ITEM_AUTHORIZE))).toMatch(/^\{\{oauth_origin\}\}\/oauth\/authorize\?/);
    expect(rawUrl(item(ITEM_EXCHANGE))).toBe('{{oauth_origin}}/oauth/token');
    expect(rawUrl(item(ITEM_GET_USER))).toBe('{{api_origin}}/v2/user');
  });
});

describe('secrets', () => {
  test('no secret is interpolated in a description, a name or a URL (Newman writes those into reports)', () => {
    const places: Array<[string, string]> = [['collection description', collection.info.description]];
    const walk = (entries: Array<PostmanItem | PostmanFolder>) => {
      for (const e of entries) {
        places.push([`${e.name} name`, e.name]);
        if (isFolder(e)) {
          places.push([`${e.name} description`, e.description]);
          walk(e.item);
        } else {
          places.push([`${e.name} description`, e.request.description], [`${e.name} url`, JSON.stringify(e.request.url)]);
          for (const r of e.response) places.push([`${e.name} example ${r.name}`, r.name + JSON.stringify(r.originalRequest.url)]);
        }
      }
    };
    walk(collection.item);
    for (const [where, text] of places) for (const key of SECRETS) expect(text, where).not.toContain(`{{${key}}}`);
  });

  test('the committed collection holds no literal secret and no token-shaped string, examples included', () => {
    const text = renderGeneratedFiles().find((f) => f.path === COLLECTION_PATH)!.content;
    expect(findCollectionSecrets(JSON.parse(text))).toEqual([]);
    expect(findTokenShapes(text, [])).toEqual([]);
  });

  test('Postman\'s helper: authorization code with PKCE S256 and the code_verifier variable', () => {
    const auth = Object.fromEntries(collection.auth.oauth2.map((e) => [e.key, e.value]));
    expect(auth).toMatchObject({ grant_type: 'authorization_code_with_pkce', challengeAlgorithm: 'S256', code_verifier: '{{code_verifier}}', authUrl: '{{oauth_origin}}/oauth/authorize', accessTokenUrl: '{{oauth_origin}}/oauth/token' });
    expect(collection.info.description).toContain('https://oauth.pstmn.io/v1/callback');
  });

  test('saved examples read as Dribbble\'s documented answers, not the mock\'s', () => {
    const user = JSON.parse(item(ITEM_GET_USER).response[0]!.body);
    expect(user.login).toBe('simplebits');
    expect(user.links.twitter).toBeDefined();
    expect(user.teams.length).toBeGreaterThan(0);
    expect(JSON.stringify(collection)).not.toMatch(/Loopback|demo-designer/);
  });
});
