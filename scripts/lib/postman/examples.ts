// Saved examples of the API requests: one per status an endpoint can answer, each as Dribbble
// documents it (its own example objects and error bodies), with the rate-limit headers it sends.
import { DOCUMENTED_ERRORS, DOCUMENTED_EXAMPLES, DRIBBBLE_API_ORIGIN, API_PATH_PREFIX, RATE_LIMITS, type ApiEndpoint } from '../dribbble/api-v2.js';
import { example, type PostmanExample, type PostmanRequest } from './collection-types.js';

// A fixed moment (2026-11-29T12:00:00Z and a minute later) so the files are byte-stable.
const RESET = '1795953660';
const rateHeaders = (remaining: number): Record<string, string> => ({
  'X-RateLimit-Limit': String(RATE_LIMITS.perMinute),
  'X-RateLimit-Remaining': String(remaining),
  'X-RateLimit-Reset': RESET,
});

/** The example body of an endpoint's success (undefined when it has none). */
export function successBody(endpoint: Pick<ApiEndpoint, 'success'>): unknown {
  const { shape, list } = endpoint.success;
  if (!shape) return undefined;
  return list ? [DOCUMENTED_EXAMPLES[shape]] : DOCUMENTED_EXAMPLES[shape];
}

const PAGE_LINK = `<${DRIBBBLE_API_ORIGIN}${API_PATH_PREFIX}/user/shots?page=2&per_page=30>; rel="next"`;

/** The Location of a shot upload's 202: where the shot will be once processed (an attachment's 202 has none). */
export function acceptedLocation(endpoint: Pick<ApiEndpoint, 'path'>): string | undefined {
  return endpoint.path === '/shots' ? `${DRIBBBLE_API_ORIGIN}${API_PATH_PREFIX}/shots/${DOCUMENTED_EXAMPLES.shot.id}` : undefined;
}

const ERROR_NAMES: Record<number, (endpoint: ApiEndpoint) => string> = {
  400: () => 'Body is not valid JSON',
  401: () => 'Missing, invalid or revoked token',
  403: (e) => (e.approvedAppsOnly ? 'The app is not one Dribbble has approved' : e.scope === 'upload' ? `Token lacks the upload scope${e.condition ? `, or ${e.condition}` : ''}` : `Not allowed${e.condition ? `: ${e.condition}` : ''}`),
  404: () => 'Not found, or not the user\'s own',
  422: () => 'Validation failed',
  429: () => `Rate limit exceeded (${RATE_LIMITS.perMinute} a minute)`,
};

export function apiExamples(endpoint: ApiEndpoint, request: PostmanRequest): PostmanExample[] {
  const { status } = endpoint.success;
  const successHeaders: Record<string, string> = { ...rateHeaders(RATE_LIMITS.perMinute - 1) };
  if (endpoint.paginated) successHeaders.Link = PAGE_LINK.replace('/user/shots', endpoint.path);
  const location = acceptedLocation(endpoint);
  if (location) successHeaders.Location = location;
  const body = successBody(endpoint);
  const successName = status === 202 ? 'Accepted: processing, poll the Location' : status === 204 ? 'Done, no content' : endpoint.success.list ? 'A page of results' : 'Success';
  const examples = [example(successName, request, status, successHeaders, body ?? '')];
  for (const code of [401, ...endpoint.errors, 429] as const) {
    const headers = code === 429 ? rateHeaders(0) : code === 401 ? { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_token"' } : rateHeaders(RATE_LIMITS.perMinute - 1);
    examples.push(example(ERROR_NAMES[code]!(endpoint), request, code, headers, DOCUMENTED_ERRORS[code]));
  }
  return examples;
}

/** The processing poll: 404 while the upload is processed, then the shot. */
export function shotStatusExamples(request: PostmanRequest): PostmanExample[] {
  return [
    example('Processed: the shot', request, 200, rateHeaders(RATE_LIMITS.perMinute - 1), DOCUMENTED_EXAMPLES.shot),
    example('Still processing', request, 404, rateHeaders(RATE_LIMITS.perMinute - 1), DOCUMENTED_ERRORS[404]),
    example('Missing, invalid or revoked token', request, 401, { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_token"' }, DOCUMENTED_ERRORS[401]),
    example(`Rate limit exceeded (${RATE_LIMITS.perMinute} a minute)`, request, 429, rateHeaders(0), DOCUMENTED_ERRORS[429]),
  ];
}
