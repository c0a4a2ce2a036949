// The OpenAPI 3.1 document of Dribbble's OAuth endpoints and API v2, from the same catalogue as
// the collection: each path on its own server (https://dribbble.com for /oauth/..., 
// https://api.dribbble.com for /v2/...), the OAuth 2.0 authorization-code scheme with its scopes,
// every parameter, request body, answer schema and example.
import {
  API_ENDPOINTS,
  API_PATH_PREFIX,
  DOCUMENTED_ERRORS,
  DRIBBBLE_API_ORIGIN,
  DRIBBBLE_OAUTH_ORIGIN,
  RATE_LIMITS,
  SHOT_IMAGE_RULES,
  type ApiEndpoint,
  type ApiParameter,
  type Shape,
} from '../dribbble/api-v2.js';
import { acceptedLocation, successBody } from './examples.js';
import { AUTHORIZE_PATH, TOKEN_PATH } from './oauth-items.js';
import { ERROR_SCHEMA, SHAPE_SCHEMAS, type JsonSchema } from './schemas.js';

export const OPENAPI_PATH = 'openapi/dribbble-v2.openapi.json';
const SCHEME = 'dribbbleOAuth';
const SHAPE_NAMES: Record<Shape, string> = { user: 'User', shot: 'Shot', attachment: 'Attachment', project: 'Project' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const oauthServers = [{ url: DRIBBBLE_OAUTH_ORIGIN, description: 'Dribbble\'s authorization server' }];
const apiServers = [{ url: DRIBBBLE_API_ORIGIN, description: 'Dribbble API' }];

const STATUS_WORDS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: processed asynchronously; the Location answers 404 until it is ready',
  204: 'No content',
  400: 'Bad request',
  401: 'Missing, invalid or revoked token',
  403: 'Forbidden: scope, ownership or approval missing',
  404: 'Not found, or not the user\'s own',
  422: 'Validation failed',
  429: `Rate limit exceeded (${RATE_LIMITS.perMinute} a minute, ${RATE_LIMITS.perDay} a day)`,
};

const RATE_HEADERS = {
  'X-RateLimit-Limit': { description: 'Requests allowed this minute.', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left this minute.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'When the minute resets (epoch seconds).', schema: { type: 'integer' } },
};

function paramSchema(param: ApiParameter): Record<string, unknown> {
  switch (param.type) {
    case 'file':
      return { type: 'string', contentMediaType: 'application/octet-stream' };
    case 'string[]':
      return { type: 'array', items: { type: 'string' }, ...(param.name === 'tags' ? { maxItems: SHOT_IMAGE_RULES.maxTags } : {}) };
    default:
      return { type: param.type };
  }
}

function operationId(name: string): string {
  return name.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toLowerCase());
}

function requestBody(endpoint: ApiEndpoint): Record<string, unknown> | undefined {
  const fields = endpoint.params.filter((p) => p.in === 'body');
  if (!endpoint.body) return undefined;
  const schema = {
    type: 'object',
    properties: Object.fromEntries(fields.map((p) => [p.name, { ...paramSchema(p), description: p.description }])),
    required: fields.filter((p) => p.required).map((p) => p.name),
  };
  const media = endpoint.body === 'multipart' ? 'multipart/form-data' : 'application/json';
  return { required: true, content: { [media]: { schema } } };
}

function responses(endpoint: ApiEndpoint): Record<string, unknown> {
  const { status, shape, list } = endpoint.success;
  const headers: Record<string, unknown> = { ...RATE_HEADERS };
  const location = acceptedLocation(endpoint);
  if (location) headers.Location = { description: 'Where the upload will be once processed (404 until then).', schema: { type: 'string', format: 'uri' }, example: location };
  if (endpoint.paginated) headers.Link = { description: 'RFC 8288 links to the next, previous, first and last pages.', schema: { type: 'string' } };
  const success: Record<string, unknown> = { description: STATUS_WORDS[status], headers };
  if (shape) success.content = { 'application/json': { schema: list ? { type: 'array', items: ref(SHAPE_NAMES[shape]) } : ref(SHAPE_NAMES[shape]), example: successBody(endpoint) } };
  const out: Record<string, unknown> = { [String(status)]: success };
  for (const code of [401, ...endpoint.errors, 429] as const) {
    out[String(code)] = { description: STATUS_WORDS[code], ...(code === 429 ? { headers: RATE_HEADERS } : {}), content: { 'application/json': { schema: ref('Error'), example: DOCUMENTED_ERRORS[code] } } };
  }
  return out;
}

function operation(endpoint: ApiEndpoint): Record<string, unknown> {
  const parameters = endpoint.params
    .filter((p) => p.in === 'path' || p.in === 'query')
    .map((p) => ({ name: p.name, in: p.in, required: p.in === 'path' || p.required, description: p.description, schema: paramSchema(p) }));
  const notes = [endpoint.description, endpoint.scope ? `Scope: ${endpoint.scope}.` : 'Any token.', endpoint.condition ? `Condition: ${endpoint.condition}.` : '', endpoint.approvedAppsOnly ? 'Only apps Dribbble has approved; any other app gets 403.' : ''];
  const body = requestBody(endpoint);
  return {
    operationId: operationId(endpoint.name),
    summary: endpoint.name,
    description: notes.filter(Boolean).join(' '),
    tags: [endpoint.resource],
    security: [{ [SCHEME]: endpoint.scope ? [endpoint.scope] : [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(endpoint),
  };
}

function oauthPaths(): Record<string, unknown> {
  const query = (name: string, description: string, required = true) => ({ name, in: 'query', required, description, schema: { type: 'string' } });
  const oauthError = { type: 'object', properties: { error: { type: 'string' }, error_description: { type: 'string' } }, required: ['error'] };
  return {
    [AUTHORIZE_PATH]: {
      servers: oauthServers,
      get: {
        operationId: 'authorize',
        summary: 'Authorize',
        description: 'The consent page, for a browser: after approval Dribbble redirects to redirect_uri with code and state (or error).',
        tags: ['OAuth'],
        security: [],
        parameters: [
          query('client_id', 'The application\'s Client ID.'),
          query('redirect_uri', 'Exactly the Callback URL registered for the application.'),
          { name: 'response_type', in: 'query', required: true, schema: { type: 'string', enum: ['code'] } },
          query('scope', 'Space-separated scopes: public, upload.', false),
          query('state', 'An unguessable value, returned unchanged on the redirect.', false),
          query('code_challenge', 'PKCE: BASE64URL(SHA-256(code_verifier)).', false),
          { name: 'code_challenge_method', in: 'query', required: false, schema: { type: 'string', enum: ['S256'] } },
        ],
        responses: {
          '302': { description: 'To redirect_uri with code and state (or error), or to the sign-in page.', headers: { Location: { schema: { type: 'string', format: 'uri' } } } },
          '400': { description: 'The redirect_uri does not match the registered Callback URL.', content: { 'text/html': { schema: { type: 'string' } } } },
          '401': { description: 'Unknown client_id.', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
    [TOKEN_PATH]: {
      servers: oauthServers,
      post: {
        operationId: 'exchangeCodeForToken',
        summary: 'Exchange code for token',
        description: 'Trades a one-time code (valid about 10 minutes) for an access token; client credentials in the body.',
        tags: ['OAuth'],
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                properties: {
                  grant_type: { type: 'string', enum: ['authorization_code'] },
                  client_id: { type: 'string' },
                  client_secret: { type: 'string' },
                  code: { type: 'string' },
                  redirect_uri: { type: 'string' },
                  code_verifier: { type: 'string', description: 'PKCE: sent only when the authorization carried a code_challenge.' },
                },
                required: ['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri'],
              },
            },
          },
        },
        responses: {
          '200': { description: 'The token.', content: { 'application/json': { schema: ref('Token'), example: { access_token: 'example-access-token', token_type: 'Bearer', scope: 'public upload', created_at: 1795917456 } } } },
          '400': { description: 'invalid_grant or invalid_request.', content: { 'application/json': { schema: oauthError, example: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' } } } },
          '401': { description: 'invalid_client.', content: { 'application/json': { schema: oauthError, example: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' } } } },
        },
      },
    },
  };
}

function apiPaths(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of API_ENDPOINTS) {
    const path = API_PATH_PREFIX + endpoint.path.replace(/:([a-z_]+)/g, '{$1}');
    paths[path] ??= { servers: apiServers };
    paths[path]![endpoint.method.toLowerCase()] = operation(endpoint);
  }
  return paths;
}

export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dribbble API v2',
      version: '2',
      description: `Dribbble's OAuth 2.0 authorization-code flow (https://dribbble.com/oauth/...) and API v2 (https://api.dribbble.com/v2/...), as documented. ${RATE_LIMITS.perMinute} requests a minute and ${RATE_LIMITS.perDay} a day per token.`,
    },
    servers: [...oauthServers, ...apiServers],
    security: [{ [SCHEME]: ['public'] }],
    tags: ['OAuth', 'User', 'Shots', 'Attachments', 'Projects', 'Approved apps only'].map((name) => ({ name })),
    paths: { ...oauthPaths(), ...apiPaths() },
    components: {
      securitySchemes: {
        [SCHEME]: {
          type: 'oauth2',
          description: 'Authorization code; PKCE (S256) accepted.',
          flows: {
            authorizationCode: {
              authorizationUrl: `${DRIBBBLE_OAUTH_ORIGIN}${AUTHORIZE_PATH}`,
              tokenUrl: `${DRIBBBLE_OAUTH_ORIGIN}${TOKEN_PATH}`,
              scopes: { public: 'Read the user\'s public data.', upload: 'Create, update and delete shots, attachments and projects.' },
            },
          },
        },
      },
      schemas: {
        ...Object.fromEntries(Object.entries(SHAPE_NAMES).map(([shape, name]) => [name, SHAPE_SCHEMAS[shape as Shape] as JsonSchema])),
        Error: ERROR_SCHEMA,
        Token: { type: 'object', properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, scope: { type: 'string' }, created_at: { type: 'integer' } }, required: ['access_token', 'token_type'] },
      },
    },
  };
}
