// The API v2 requests, one per endpoint of the catalogue, in folders by resource. Each is signed
// with an explicit bearer `{{access_token}}` (Insomnia's importer drops the collection's inherited
// OAuth 2.0; Postman, Newman and Bruno sign them the same way), describes its scope and
// conditions, carries its optional parameters disabled, checks its answer, and has examples.
import { API_ENDPOINTS, API_PATH_PREFIX, SHOT_IMAGE_RULES, ATTACHMENT_MAX_BYTES, SHOT_STATUS_ITEM, type ApiEndpoint, type ApiParameter, type Resource, DOCUMENTED_EXAMPLES, RATE_LIMITS, PAGINATION } from '../dribbble/api-v2.js';
import { ACCEPT_JSON, originUrl, script, type FormField, type KeyValue, type PostmanAuth, type PostmanBody, type PostmanFolder, type PostmanItem, type PostmanRequest } from './collection-types.js';
import { apiExamples, shotStatusExamples } from './examples.js';
import { KEEP_ATTACHMENT_ID, KEEP_ATTACHMENT_LOCATION, KEEP_SHOT_LOCATION, POLL_SHOT_LOCATION, SHOT_POLL, apiPreRequest, apiTest, keepId } from './item-scripts.js';
import { answerSchema } from './schemas.js';

export const API_ORIGIN_VARIABLE = 'api_origin';

/** Every API request carries this, so any client that drops inherited auth still signs it. */
export const BEARER_AUTH: PostmanAuth = { type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] };

/** Where each path variable's value comes from, for the message when it is empty. */
const ID_SOURCES: Record<string, string> = {
  shot_id: `run "Create a shot" and "${SHOT_STATUS_ITEM}", or set it to the id of one of your shots`,
  project_id: 'run "Create a project", or set it to the id of one of your projects',
  attachment_id: 'kept from the Location of "Create an attachment" when the server sends one (Dribbble\'s docs do not promise it), or by "Get a shot" once the attachment is processed; or set it by hand',
};

/** Collection variables the API requests use beyond the variable table (ids, the upload, the poll). */
export const API_COLLECTION_VARIABLES = [
  { key: 'shot_id', description: `Id of the shot the shot requests act on; kept by "${SHOT_STATUS_ITEM}" once an upload is processed.` },
  { key: 'project_id', description: 'Id of the project the project requests act on; kept by "Create a project".' },
  { key: 'attachment_id', description: 'Id of the attachment "Delete an attachment" removes; kept from the Location of "Create an attachment" when one is sent, or by "Get a shot" from the shot\'s processed attachments.' },
  { key: 'shot_location', description: `The Location of the last upload's 202 answer, which "${SHOT_STATUS_ITEM}" polls.` },
  { key: 'shot_image', description: 'Path of the image "Create a shot" uploads (Newman: --env-var shot_image=shot.png); exactly 400x300 or 800x600, at most 8 MB, GIF, JPG or PNG.' },
  { key: 'attachment_file', description: 'Path of the file "Create an attachment" uploads (Newman: --env-var attachment_file=file.pdf); at most 10 MB.' },
] as const;

const FILE_VARIABLE: Record<string, string> = { image: 'shot_image', file: 'attachment_file' };

/** Dribbble's own example values, so an enabled row sends something sensible. */
const SAMPLE_VALUES: Record<string, string> = {
  title: DOCUMENTED_EXAMPLES.shot.title,
  description: DOCUMENTED_EXAMPLES.shot.description,
  'tags[]': 'sketch',
  team_id: String(DOCUMENTED_EXAMPLES.user.teams[0].id),
  rebound_source_id: String(DOCUMENTED_EXAMPLES.shot.id),
  low_profile: 'false',
  scheduled_for: '2026-12-01T09:00:00Z',
  name: DOCUMENTED_EXAMPLES.project.name,
  page: '1',
  per_page: String(PAGINATION.defaultPerPage),
};

function pathOf(endpoint: ApiEndpoint): string {
  return API_PATH_PREFIX + endpoint.path.replace(/:([a-z_]+)/g, (_m, name: string) => `{{${endpoint.params.find((p) => p.in === 'path' && p.name === name)!.variable}}}`);
}

function formField(param: ApiParameter): FormField {
  // Rails reads a repeated key ending in [] as a list.
  const key = param.type === 'string[]' ? `${param.name}[]` : param.name;
  const base = { key, description: `${param.required ? 'Required' : 'Optional'}: ${param.description}` };
  if (param.type === 'file') return { ...base, type: 'file', src: `{{${FILE_VARIABLE[param.name]}}}` };
  return { ...base, type: 'text', value: SAMPLE_VALUES[key] ?? '', ...(param.required ? {} : { disabled: true }) };
}

function bodyOf(endpoint: ApiEndpoint): PostmanBody | undefined {
  const params = endpoint.params.filter((p) => p.in === 'body');
  if (endpoint.body === 'multipart') return { mode: 'formdata', formdata: params.map(formField) };
  if (endpoint.body === 'json') {
    // JSON has no disabled rows: the body holds the required fields (or, for an update, the
    // first field); the others are listed in the description to add by hand.
    const sent = params.filter((p) => p.required);
    const fields = sent.length ? sent : params.slice(0, 1);
    return { mode: 'raw', raw: JSON.stringify(Object.fromEntries(fields.map((p) => [p.name, SAMPLE_VALUES[p.name] ?? ''])), null, 2), options: { raw: { language: 'json' } } };
  }
  return undefined;
}

function describe(endpoint: ApiEndpoint): string {
  const lines = [endpoint.description, ''];
  lines.push(`**Scope:** ${endpoint.scope ? `\`${endpoint.scope}\`` : 'any token'}.${endpoint.condition ? ` **Condition:** ${endpoint.condition}.` : ''}${endpoint.approvedAppsOnly ? ' **Approved apps only:** any other app gets 403 (the test accepts that answer as documented).' : ''}`);
  if (endpoint.method === 'POST' && endpoint.path === '/shots') {
    lines.push('', `**The image rule:** exactly ${SHOT_IMAGE_RULES.sizes.map((s) => `${s.width}x${s.height}`).join(' or ')} pixels, at most ${SHOT_IMAGE_RULES.maxBytes / 1024 / 1024} MB, a ${SHOT_IMAGE_RULES.types.map((t) => t.toUpperCase()).join(', ')}; at most ${SHOT_IMAGE_RULES.maxTags} tags. Anything else is 422 with \`errors\`. The file is the \`shot_image\` variable (a path; Newman reads it, in Postman pick the file in the Body tab). The answer is 202 with a \`Location\`, kept in \`shot_location\` for "${SHOT_STATUS_ITEM}".`);
  }
  if (endpoint.path.endsWith('/attachments')) lines.push('', `The file is the \`attachment_file\` variable (a path), at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`);
  const { params } = endpoint;
  if (params.length) {
    lines.push('', '**Parameters** (optional ones are present but disabled; enable what you need):');
    for (const p of params) lines.push(`- \`${p.name}\` (${p.in === 'path' ? `path, from \`${p.variable}\`` : p.in === 'query' ? 'query' : endpoint.body === 'json' ? 'JSON body' : 'form'}, ${p.type}, ${p.required ? 'required' : 'optional'}): ${p.description}`);
  }
  lines.push('', `**Answers:** ${endpoint.success.status}${endpoint.success.shape ? ` with ${endpoint.success.list ? 'a list of ' : 'a '}${endpoint.success.shape}${endpoint.success.list ? 's' : ''}` : ''}; ${[401, ...endpoint.errors, 429].join(', ')} otherwise (see the saved examples).${endpoint.paginated ? ' A page at a time: follow the `Link` header.' : ''} The API allows ${RATE_LIMITS.perMinute} requests a minute and ${RATE_LIMITS.perDay} a day (\`X-RateLimit-*\` headers). Redirects are not followed, so the token goes to the API only.`);
  return lines.join('\n');
}

function requestOf(endpoint: ApiEndpoint): PostmanItem['request'] {
  const query: KeyValue[] = endpoint.params.filter((p) => p.in === 'query').map((p) => ({ key: p.name, value: SAMPLE_VALUES[p.name] ?? '', description: p.description, ...(p.required ? {} : { disabled: true }) }));
  const body = bodyOf(endpoint);
  const header = [ACCEPT_JSON, ...(endpoint.body === 'json' ? [{ key: 'Content-Type', value: 'application/json' }] : [])];
  return {
    auth: BEARER_AUTH,
    method: endpoint.method,
    header,
    ...(body ? { body } : {}),
    url: originUrl(API_ORIGIN_VARIABLE, pathOf(endpoint), query),
    description: describe(endpoint),
  };
}

function afterSuccess(endpoint: ApiEndpoint): string | undefined {
  if (endpoint.method === 'POST' && endpoint.path === '/shots') return KEEP_SHOT_LOCATION;
  if (endpoint.method === 'POST' && endpoint.path === '/projects') return keepId('project_id');
  if (endpoint.method === 'GET' && endpoint.path === '/shots/:id') return KEEP_ATTACHMENT_ID;
  if (endpoint.method === 'POST' && endpoint.path.endsWith('/attachments')) return KEEP_ATTACHMENT_LOCATION;
  return undefined;
}

function itemOf(endpoint: ApiEndpoint): PostmanItem {
  const request = requestOf(endpoint);
  const ids = endpoint.params.filter((p) => p.in === 'path').map((p) => ({ variable: p.variable!, from: ID_SOURCES[p.variable!]! }));
  // No answer gives an attachment's id at once: a run without one stands aside rather than fail.
  const needs = ids.filter((n) => n.variable !== 'attachment_id');
  const waitFor = ids.find((n) => n.variable === 'attachment_id');
  return {
    name: endpoint.name,
    event: [
      script('prerequest', apiPreRequest(endpoint.name, needs, waitFor)),
      script('test', apiTest({ name: endpoint.name, status: endpoint.success.status, schema: endpoint.success.shape ? answerSchema(endpoint.success.shape, endpoint.success.list) : undefined, scope: endpoint.scope, condition: endpoint.condition, approvedAppsOnly: endpoint.approvedAppsOnly, afterSuccess: afterSuccess(endpoint) })),
    ],
    // The bearer token goes to the API's origin only.
    protocolProfileBehavior: { followRedirects: false },
    request,
    response: apiExamples(endpoint, request),
  };
}

function shotStatusItem(): PostmanItem {
  const request: PostmanItem['request'] = {
    auth: BEARER_AUTH,
    method: 'GET',
    header: [ACCEPT_JSON],
    url: { raw: '{{shot_location}}', host: ['{{shot_location}}'], path: [] },
    description: `Polls the \`Location\` that "Create a shot" answered with (kept in \`shot_location\`): 404 while Dribbble processes the upload, then 200 with the shot, whose id is kept in \`shot_id\`.

**Scope:** any token. In a collection run (Newman, Postman's runner) a 404 passes as "still processing" and the request is sent again after ${SHOT_POLL.delayMs / 1000} s, at most ${SHOT_POLL.maxTries} times; sent by hand, send it again a few seconds later.`,
  };
  return {
    name: SHOT_STATUS_ITEM,
    event: [
      script('prerequest', apiPreRequest(SHOT_STATUS_ITEM, [{ variable: 'shot_location', from: 'run "Create a shot" first' }])),
      script('test', apiTest({ name: SHOT_STATUS_ITEM, status: 200, schema: answerSchema('shot'), afterSuccess: keepId('shot_id'), onNotFound: POLL_SHOT_LOCATION })),
    ],
    protocolProfileBehavior: { followRedirects: false },
    request,
    response: shotStatusExamples(request),
  };
}

const FOLDER_DESCRIPTIONS: Record<Resource, string> = {
  User: 'The authenticated user. Every request here is signed with `Authorization: Bearer` and the access_token variable.',
  Shots: `The user's shots: list, upload (202, then poll "${SHOT_STATUS_ITEM}"), read, update, delete. Writing needs the \`upload\` scope. In a run, the shot uploaded here is the one the later requests (and its attachments) act on, and it is deleted last.`,
  Attachments: 'Files attached to a shot (pro, team or team member accounts). Writing needs the `upload` scope. Dribbble documents a 202 for an upload, processed later: its id is kept from the answer\'s Location when one is sent, or picked up by "Get a shot" from the shot\'s `attachments` once processed; "Delete an attachment" stands aside until there is one.',
  Projects: 'The user\'s projects: list, create, update, delete.',
  'Approved apps only': 'Endpoints Dribbble reserves for apps it has approved: any other app gets 403, which the tests accept as the documented answer.',
};

const byName = (name: string): ApiEndpoint => {
  const found = API_ENDPOINTS.find((e) => e.name === name);
  if (!found) throw new Error(`no endpoint ${name}`);
  return found;
};
const folder = (resource: Resource, item: PostmanFolder['item']): PostmanFolder => ({ name: resource, description: FOLDER_DESCRIPTIONS[resource], item });
const ofResource = (resource: Resource) => API_ENDPOINTS.filter((e) => e.resource === resource).map(itemOf);

/**
 * One folder per resource, in an order a whole run can follow: the shot is uploaded, polled, read
 * and updated, its attachments (a folder inside Shots, as their paths are) come and go, and only
 * then is it deleted.
 */
export function apiFolders(): PostmanFolder[] {
  const shotsFirst = ['List my shots', 'Create a shot'].map((n) => itemOf(byName(n)));
  const shotsThen = ['Get a shot', 'Update a shot'].map((n) => itemOf(byName(n)));
  const placed = new Set(['List my shots', 'Create a shot', 'Get a shot', 'Update a shot', 'Delete a shot']);
  const otherShots = API_ENDPOINTS.filter((e) => e.resource === 'Shots' && !placed.has(e.name)).map(itemOf);
  return [
    folder('User', ofResource('User')),
    folder('Shots', [...shotsFirst, shotStatusItem(), ...shotsThen, ...otherShots, folder('Attachments', ofResource('Attachments')), itemOf(byName('Delete a shot'))]),
    folder('Projects', ofResource('Projects')),
    folder('Approved apps only', ofResource('Approved apps only')),
  ];
}
