// The OpenAPI document from the catalogue: every endpoint an operation with its scope, parameters,
// body, answers and examples, each path on its own server.
import { describe, expect, test } from 'vitest';
import { API_ENDPOINTS, API_PATH_PREFIX, DOCUMENTED_ERRORS } from '../../scripts/lib/dribbble/api-v2.js';
import { buildOpenApi } from '../../scripts/lib/postman/openapi-definition.js';

type Operation = {
  operationId: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: { properties: Record<string, { type: string; contentMediaType?: string }>; required: string[] } }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; schema: unknown }>; headers?: Record<string, unknown> }>;
};
const doc = buildOpenApi() as { servers: Array<{ url: string }>; paths: Record<string, Record<string, Operation> & { servers?: Array<{ url: string }> }> };
const operationOf = (method: string, path: string) => doc.paths[API_PATH_PREFIX + path.replace(/:([a-z_]+)/g, '{$1}')]![method.toLowerCase()] as Operation;

describe('the OpenAPI document', () => {
  test('every endpoint of the catalogue is an operation with its scope, on https://api.dribbble.com', () => {
    for (const endpoint of API_ENDPOINTS) {
      const path = API_PATH_PREFIX + endpoint.path.replace(/:([a-z_]+)/g, '{$1}');
      expect(doc.paths[path]!.servers, path).toEqual([{ url: 'https://api.dribbble.com', description: 'Dribbble API' }]);
      const op = operationOf(endpoint.method, endpoint.path);
      expect(op.security, endpoint.name).toEqual([{ dribbbleOAuth: endpoint.scope ? [endpoint.scope] : [] }]);
      for (const p of endpoint.params.filter((x) => x.in !== 'body')) expect(op.parameters!.find((x) => x.name === p.name), `${endpoint.name} ${p.name}`).toMatchObject({ in: p.in, required: p.in === 'path' || p.required });
    }
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/oauth/'))).toEqual(['/oauth/authorize', '/oauth/token']);
  });

  test('answers: the success with its schema and documented example, 401, the errors and 429 with Dribbble\'s bodies', () => {
    for (const endpoint of API_ENDPOINTS) {
      const op = operationOf(endpoint.method, endpoint.path);
      expect(Object.keys(op.responses), endpoint.name).toEqual([String(endpoint.success.status), '401', ...endpoint.errors.map(String), '429']);
      const success = op.responses[String(endpoint.success.status)]!;
      if (endpoint.success.shape) expect(success.content!['application/json']!.example, endpoint.name).toBeDefined();
      for (const code of [401, ...endpoint.errors, 429] as const) expect(op.responses[String(code)]!.content!['application/json']!.example).toEqual(DOCUMENTED_ERRORS[code]);
    }
    expect(operationOf('POST', '/shots').responses['202']!.headers).toHaveProperty('Location');
  });

  test('the upload is multipart with the image a binary and required', () => {
    const body = operationOf('POST', '/shots').requestBody!.content['multipart/form-data']!.schema;
    expect(body.required).toEqual(['title', 'image']);
    expect(body.properties.image).toMatchObject({ type: 'string', contentMediaType: 'application/octet-stream' });
    expect(Object.keys(operationOf('PUT', '/shots/:id').requestBody!.content)).toEqual(['application/json']);
  });
});
