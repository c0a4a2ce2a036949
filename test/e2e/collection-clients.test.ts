// The collection in other clients: Bruno (converted with @usebruno/converters, run by the bru CLI
// against the mock), Insomnia (insomnia-importers), and the OpenAPI document (swagger-parser,
// openapi-to-postmanv2 back to a collection hitting the same URLs).
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Url } from 'postman-collection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { OPENAPI_PATH } from '../../scripts/lib/postman/openapi-definition.js';
import { API_ENDPOINTS, API_PATH_PREFIX } from '../../scripts/lib/dribbble/api-v2.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT, authorizeAtMock, makeTempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8'));
const BRU = join(ROOT, 'node_modules', '.bin', 'bru');

describe('Bruno', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
  });
  afterAll(() => mock.close());

  it('imported with @usebruno/converters and run by bru against the mock with a code: token request and Get user pass, nothing throws', async () => {
    const { postmanToBruno, postmanToBrunoEnvironment } = require('@usebruno/converters');
    const { createCollectionFromBrunoObject } = require('@usebruno/cli/src/utils/collection');
    const { collection, issues } = await postmanToBruno(await readJson(COLLECTION_PATH));
    expect(issues).toEqual([]);
    const environment = postmanToBrunoEnvironment(await readJson(MOCK_ENVIRONMENT_PATH));
    collection.environments = [environment];
    const dir = await makeTempDir();
    await createCollectionFromBrunoObject(collection, dir, { format: 'bru' });
    // bru parses every .bru file it finds before it runs (about 0.2 CPU-s a request here): the run
    // needs the two folders it names; the conversion above covered every request.
    const run = ['OAuth', 'User'];
    for (const item of collection.items as Array<{ name: string; type: string }>) if (item.type === 'folder' && !run.includes(item.name)) await rm(join(dir, item.name), { recursive: true });

    const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: MOCK_DEMO_CLIENT.clientId, redirectUri: MOCK_DEMO_CLIENT.redirectUri });
    mock.requests.length = 0;
    // Bruno does not import a secret row's value: the demo secret is given like the code.
    const vars = { oauth_origin: mock.origin, api_origin: mock.origin, code, client_secret: MOCK_DEMO_CLIENT.clientSecret };
    const args = ['run', ...run, '--env', environment.name, ...Object.entries(vars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`])];
    const result = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(BRU, args, { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr })),
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('✓ Exchange: access token received');
    expect(result.output).toContain('✓ Get authenticated user: 200 with the documented shape');
    expect(result.output).not.toMatch(/TypeError|ReferenceError|✕/);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/token', 'GET /v2/user']);
  }, 60_000);
});

describe('Insomnia', () => {
  it('the imported Get user carries the bearer auth with the access_token variable; code_verifier is not sent unless enabled', async () => {
    const { convert } = require('insomnia-importers');
    const converted = await convert(await readFile(join(ROOT, COLLECTION_PATH), 'utf8'));
    const resources = converted.data.resources as Array<{ _type: string; name: string; url?: string; authentication?: Record<string, unknown>; body?: { params?: Array<{ name: string; disabled?: boolean }> } }>;
    const requests = resources.filter((r) => r._type === 'request');
    const getUser = requests.find((r) => r.name === 'Get authenticated user')!;
    expect(getUser.authentication).toMatchObject({ type: 'bearer', token: '{{access_token}}' });
    expect(getUser.url).toBe('{{api_origin}}/v2/user');
    for (const endpoint of API_ENDPOINTS) expect(requests.find((r) => r.name === endpoint.name)?.authentication, endpoint.name).toMatchObject({ type: 'bearer' });
    const exchange = requests.find((r) => r.name === 'Exchange code for token')!;
    expect(exchange.body!.params!.find((p) => p.name === 'code_verifier')).toMatchObject({ disabled: true });
  });
});

describe('OpenAPI', () => {
  it('validates, with servers https://dribbble.com (/oauth/...) and https://api.dribbble.com (/v2/...)', async () => {
    const document = await readJson(OPENAPI_PATH);
    const api = (await SwaggerParser.validate(structuredClone(document))) as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, { servers?: Array<{ url: string }> }> };
    expect(api.openapi).toBe('3.1.0');
    expect(api.servers.map((s) => s.url)).toEqual(['https://dribbble.com', 'https://api.dribbble.com']);
    for (const [path, item] of Object.entries(api.paths)) {
      expect(item.servers?.map((s) => s.url), path).toEqual([path.startsWith('/oauth/') ? 'https://dribbble.com' : 'https://api.dribbble.com']);
    }
    expect(Object.keys(api.paths)).toContain(`${API_PATH_PREFIX}/shots/{id}`);
    const upload = (document.paths[`${API_PATH_PREFIX}/shots`] as Record<string, { requestBody: { content: Record<string, unknown> } }>).post!;
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(document.components.securitySchemes.dribbbleOAuth.flows.authorizationCode.scopes).toHaveProperty('upload');
    // It must be able to say no.
    const broken = structuredClone(document);
    broken.paths['/v2/user'].get.responses = 'none';
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('openapi-to-postmanv2 turns it into a collection whose requests hit the same URLs as ours', async () => {
    const Converter = require('openapi-to-postmanv2');
    const document = await readJson(OPENAPI_PATH);
    const output = await new Promise<{ result: boolean; output: Array<{ data: { item: unknown[]; variable: Array<{ key: string; value: string }> } }> }>((resolve, reject) =>
      Converter.convert({ type: 'json', data: document }, { folderStrategy: 'Tags' }, (error: Error | null, result: never) => (error ? reject(error) : resolve(result))),
    );
    expect(output.result).toBe(true);
    const { item, variable } = output.output[0]!.data;
    const values = Object.fromEntries(variable.map((v) => [v.key, v.value]));
    type Node = { item?: Node[]; request?: { method: string; url: unknown } };
    const leaves = (nodes: Node[]): Node[] => nodes.flatMap((n) => (n.item ? leaves(n.item) : [n]));
    const urls = leaves(item as Node[]).map((n) => `${n.request!.method} ${new Url(n.request!.url as string).toString().replace(/\{\{([^}]+)\}\}/g, (_m, k: string) => values[k] ?? `{{${k}}}`).split('?')[0]}`);
    const expected = [
      'GET https://dribbble.com/oauth/authorize',
      'POST https://dribbble.com/oauth/token',
      ...API_ENDPOINTS.map((e) => `${e.method} https://api.dribbble.com${API_PATH_PREFIX}${e.path}`),
    ];
    // Path parameters: the converter fills in a placeholder of the type, the catalogue names them.
    const samePath = (u: string) => u.replace(/\/(:[a-z_]+|<[a-z]+>)/g, '/{param}');
    expect(urls.map(samePath).sort()).toEqual(expected.map(samePath).sort());
  });
});
