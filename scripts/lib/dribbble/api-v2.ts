// Dribbble's API v2 as documented (../shared/reference/dribbble-oauth.md, "The API v2 surface"):
// every endpoint, its scope and conditions, its parameters, its answers, and the rules an upload
// must meet. The one typed source that the collection, the OpenAPI document, the mock server and
// the `api` command are all derived from.

export type Scope = 'public' | 'upload';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Resource = 'User' | 'Shots' | 'Attachments' | 'Projects' | 'Approved apps only';
/** The documented object an answer carries (`list` of it when paginated). */
export type Shape = 'user' | 'shot' | 'attachment' | 'project';

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'body';
  type: 'string' | 'integer' | 'boolean' | 'file' | 'string[]';
  required: boolean;
  description: string;
  /** For a path parameter: the collection variable that fills it. */
  variable?: string;
}

export interface ApiEndpoint {
  /** The collection item's name, and what `api "NAME"` selects. */
  name: string;
  resource: Resource;
  method: HttpMethod;
  /** Below API_PATH_PREFIX, with `:name` path parameters, as Dribbble's docs write them. */
  path: string;
  /** The scope the token needs beyond any token (undefined: any token will do). */
  scope?: Scope;
  /** Who may call it, in Dribbble's words. */
  condition?: string;
  /** Reserved for apps Dribbble has approved: any other app gets 403. */
  approvedAppsOnly?: boolean;
  body?: 'multipart' | 'json';
  params: ApiParameter[];
  /** Answers a page of a list: `page`, `per_page` and a `Link` header. */
  paginated?: boolean;
  success: { status: 200 | 201 | 202 | 204; shape?: Shape; list?: boolean };
  /** The error statuses it can answer besides 401 and 429, which every endpoint can. */
  errors: Array<400 | 403 | 404 | 422>;
  description: string;
}

export const OAUTH_PATH_PREFIX = '/oauth';
export const API_PATH_PREFIX = '/v2';
export const DRIBBBLE_OAUTH_ORIGIN = 'https://dribbble.com';
export const DRIBBBLE_API_ORIGIN = 'https://api.dribbble.com';

export const RATE_LIMITS = { perMinute: 60, perDay: 1440 } as const;
/**
 * `per_page` past the maximum (or a `page` or `per_page` that is not a whole number from 1) is
 * refused as a validation failure: 422 with `errors` naming the parameter. The reference gives no
 * exact answer for it; 422 is how Dribbble refuses any other invalid input.
 */
export const PAGINATION = { defaultPerPage: 30, maxPerPage: 100, invalidStatus: 422 } as const;

/** "Must be exactly 400x300 or 800x600, no larger than eight megabytes, and be a GIF, JPG, or PNG." */
export const SHOT_IMAGE_RULES = {
  sizes: [
    { width: 400, height: 300 },
    { width: 800, height: 600 },
  ],
  maxBytes: 8 * 1024 * 1024,
  types: ['gif', 'jpg', 'png'],
  maxTags: 12,
} as const;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const PAGE_PARAMS: ApiParameter[] = [
  { name: 'page', in: 'query', type: 'integer', required: false, description: 'Page number, from 1.' },
  { name: 'per_page', in: 'query', type: 'integer', required: false, description: `Items per page: ${PAGINATION.defaultPerPage} by default, at most ${PAGINATION.maxPerPage} (more is refused with ${PAGINATION.invalidStatus}).` },
];
const SHOT_ID: ApiParameter = { name: 'id', in: 'path', type: 'integer', required: true, description: 'The shot\'s id.', variable: 'shot_id' };
const PROJECT_ID: ApiParameter = { name: 'id', in: 'path', type: 'integer', required: true, description: 'The project\'s id.', variable: 'project_id' };
const body = (name: string, type: ApiParameter['type'], required: boolean, description: string): ApiParameter => ({ name, in: 'body', type, required, description });

const SHOT_FIELDS = {
  description: body('description', 'string', false, 'Description of the shot (HTML allowed).'),
  tags: body('tags', 'string[]', false, `Tags, at most ${SHOT_IMAGE_RULES.maxTags}; on update, tags left out are removed.`),
  teamId: body('team_id', 'integer', false, 'The team to post the shot for; on update, empty removes it.'),
  lowProfile: body('low_profile', 'boolean', false, 'Post it quietly, without notifying followers.'),
  scheduledFor: body('scheduled_for', 'string', false, 'When to publish it (ISO 8601), if not at once.'),
};

export const API_ENDPOINTS: readonly ApiEndpoint[] = [
  {
    name: 'Get authenticated user',
    resource: 'User',
    method: 'GET',
    path: '/user',
    params: [],
    success: { status: 200, shape: 'user' },
    errors: [],
    description: 'The user the token belongs to.',
  },
  {
    name: 'List my shots',
    resource: 'Shots',
    method: 'GET',
    path: '/user/shots',
    params: PAGE_PARAMS,
    paginated: true,
    success: { status: 200, shape: 'shot', list: true },
    errors: [422],
    description: 'The authenticated user\'s shots, newest first, a page at a time.',
  },
  {
    name: 'Get a shot',
    resource: 'Shots',
    method: 'GET',
    path: '/shots/:id',
    condition: 'only shots the user owns',
    params: [SHOT_ID],
    success: { status: 200, shape: 'shot' },
    errors: [404],
    description: 'One of the user\'s own shots.',
  },
  {
    name: 'Create a shot',
    resource: 'Shots',
    method: 'POST',
    path: '/shots',
    scope: 'upload',
    condition: 'the user must be a player or a team',
    body: 'multipart',
    params: [
      body('title', 'string', true, 'The shot\'s title.'),
      body('image', 'file', true, 'Exactly 400x300 or 800x600 pixels, at most 8 MB, a GIF, JPG or PNG.'),
      SHOT_FIELDS.description,
      SHOT_FIELDS.tags,
      SHOT_FIELDS.teamId,
      body('rebound_source_id', 'integer', false, 'The shot this one rebounds (it must be reboundable).'),
      SHOT_FIELDS.lowProfile,
      SHOT_FIELDS.scheduledFor,
    ],
    success: { status: 202 },
    errors: [403, 422],
    description: 'Uploads a shot. The answer is 202 Accepted with a Location header: the shot is processed asynchronously, and that location answers 404 until it is ready.',
  },
  {
    name: 'Update a shot',
    resource: 'Shots',
    method: 'PUT',
    path: '/shots/:id',
    scope: 'upload',
    condition: 'the user must own the shot',
    body: 'json',
    params: [SHOT_ID, body('title', 'string', false, 'The shot\'s title.'), SHOT_FIELDS.description, SHOT_FIELDS.tags, SHOT_FIELDS.teamId, SHOT_FIELDS.lowProfile, SHOT_FIELDS.scheduledFor],
    success: { status: 200, shape: 'shot' },
    errors: [403, 404, 422],
    description: 'Changes a shot\'s details (not its image).',
  },
  {
    name: 'Delete a shot',
    resource: 'Shots',
    method: 'DELETE',
    path: '/shots/:id',
    scope: 'upload',
    condition: 'the user must own the shot',
    params: [SHOT_ID],
    success: { status: 204 },
    errors: [403, 404],
    description: 'Deletes a shot.',
  },
  {
    name: 'Create an attachment',
    resource: 'Attachments',
    method: 'POST',
    path: '/shots/:shot/attachments',
    scope: 'upload',
    condition: 'the user must own the shot and be a pro, a team or a team member',
    body: 'multipart',
    params: [
      { name: 'shot', in: 'path', type: 'integer', required: true, description: 'The shot\'s id.', variable: 'shot_id' },
      body('file', 'file', true, 'The attachment, at most 10 MB.'),
    ],
    success: { status: 202 },
    errors: [403, 404, 422],
    description: 'Attaches a file to a shot. The answer is 202 Accepted: the attachment is processed later.',
  },
  {
    name: 'Delete an attachment',
    resource: 'Attachments',
    method: 'DELETE',
    path: '/shots/:shot/attachments/:id',
    scope: 'upload',
    condition: 'the user must own the shot',
    params: [
      { name: 'shot', in: 'path', type: 'integer', required: true, description: 'The shot\'s id.', variable: 'shot_id' },
      { name: 'id', in: 'path', type: 'integer', required: true, description: 'The attachment\'s id.', variable: 'attachment_id' },
    ],
    success: { status: 204 },
    errors: [403, 404],
    description: 'Removes an attachment from a shot.',
  },
  {
    name: 'List my projects',
    resource: 'Projects',
    method: 'GET',
    path: '/user/projects',
    scope: 'public',
    params: PAGE_PARAMS,
    paginated: true,
    success: { status: 200, shape: 'project', list: true },
    errors: [403, 422],
    description: 'The authenticated user\'s projects, a page at a time.',
  },
  {
    name: 'Create a project',
    resource: 'Projects',
    method: 'POST',
    path: '/projects',
    scope: 'public',
    body: 'json',
    params: [body('name', 'string', true, 'The project\'s name.'), body('description', 'string', false, 'What the project is.')],
    success: { status: 201, shape: 'project' },
    errors: [403, 422],
    description: 'Creates a project.',
  },
  {
    name: 'Update a project',
    resource: 'Projects',
    method: 'PUT',
    path: '/projects/:id',
    scope: 'public',
    condition: 'the user must own the project',
    body: 'json',
    params: [PROJECT_ID, body('name', 'string', false, 'The project\'s name.'), body('description', 'string', false, 'What the project is.')],
    success: { status: 200, shape: 'project' },
    errors: [403, 404, 422],
    description: 'Changes a project\'s name or description.',
  },
  {
    name: 'Delete a project',
    resource: 'Projects',
    method: 'DELETE',
    path: '/projects/:id',
    scope: 'public',
    condition: 'the user must own the project',
    params: [PROJECT_ID],
    success: { status: 204 },
    errors: [403, 404],
    description: 'Deletes a project (its shots stay).',
  },
  {
    name: 'List popular shots',
    resource: 'Approved apps only',
    method: 'GET',
    path: '/popular_shots',
    approvedAppsOnly: true,
    params: PAGE_PARAMS,
    paginated: true,
    success: { status: 200, shape: 'shot', list: true },
    errors: [403, 422],
    description: 'Popular shots across Dribbble. Only for apps Dribbble has approved; any other app gets 403.',
  },
  {
    name: 'List shots I like',
    resource: 'Approved apps only',
    method: 'GET',
    path: '/user/likes',
    approvedAppsOnly: true,
    params: PAGE_PARAMS,
    paginated: true,
    success: { status: 200, shape: 'shot', list: true },
    errors: [403, 422],
    description: 'The shots the user liked. Only for apps Dribbble has approved; any other app gets 403.',
  },
];

/** The collection item that polls a 202's Location until the shot exists. */
export const SHOT_STATUS_ITEM = 'Shot processing status';

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The endpoint whose method and path (with or without /v2, ids filled in) match, with its path parameters. */
export function matchEndpoint(method: string, path: string): { endpoint: ApiEndpoint; params: Record<string, string> } | undefined {
  const bare = path.split('?')[0]!.replace(/\/+$/, '').replace(new RegExp(`^${API_PATH_PREFIX}(?=/)`), '') || '/';
  for (const endpoint of API_ENDPOINTS) {
    if (endpoint.method !== method.toUpperCase()) continue;
    const names = [...endpoint.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]!);
    const found = new RegExp(`^${endpoint.path.replace(/:[a-z_]+/g, '([^/]+)')}$`).exec(bare);
    if (found) return { endpoint, params: Object.fromEntries(names.map((name, i) => [name, safeDecode(found[i + 1]!)])) };
  }
  return undefined;
}

/** The endpoint whose method and path (with or without /v2, ids filled in) match, if any. */
export function findEndpoint(method: string, path: string): ApiEndpoint | undefined {
  return matchEndpoint(method, path)?.endpoint;
}

/** Dribbble's documented objects, as its docs show them: the saved examples and the mock use these. */
export const DOCUMENTED_EXAMPLES = {
  user: {
    id: 1,
    name: 'Dan Cederholm',
    login: 'simplebits',
    html_url: 'https://dribbble.com/simplebits',
    avatar_url: 'https://cdn.dribbble.com/users/1/avatars/normal/dc.jpg?1371679243',
    bio: 'Co-founder &amp; designer of <a href="https://dribbble.com/dribbble">@Dribbble</a>. Principal of SimpleBits. Aspiring clawhammer banjoist.',
    location: 'Salem, MA',
    links: { web: 'http://simplebits.com', twitter: 'https://twitter.com/simplebits' },
    can_upload_shot: true,
    pro: true,
    followers_count: 29262,
    created_at: '2009-07-08T02:51:22Z',
    type: 'Player',
    teams: [
      {
        id: 39,
        name: 'Dribbble',
        login: 'dribbble',
        html_url: 'https://dribbble.com/dribbble',
        avatar_url: 'https://cdn.dribbble.com/users/39/avatars/normal/apple-flat-precomposed.png?1388527574',
        bio: 'Show and tell for designers. This is Dribbble on Dribbble.',
        location: 'Salem, MA',
        links: { web: 'http://dribbble.com', twitter: 'https://twitter.com/dribbble' },
        type: 'Team',
        created_at: '2009-08-18T18:35:36Z',
        updated_at: '2014-02-14T15:07:31Z',
      },
    ],
  },
  shot: {
    id: 471756,
    title: 'Sasquatch',
    description: '<p>Quick, messy, five minute sketch of something that might become a fictional something.</p>',
    width: 400,
    height: 300,
    images: {
      hidpi: null,
      normal: 'https://cdn.dribbble.com/users/1/screenshots/471756/sasquatch.png',
      teaser: 'https://cdn.dribbble.com/users/1/screenshots/471756/sasquatch_teaser.png',
    },
    published_at: '2012-03-15T01:52:33Z',
    updated_at: '2012-03-15T02:12:57Z',
    html_url: 'https://dribbble.com/shots/471756-Sasquatch',
    animated: false,
    tags: ['fiction', 'sasquatch', 'sketch', 'wip'],
    attachments: [
      {
        id: 206165,
        url: 'https://cdn.dribbble.com/users/1/screenshots/471756/attachments/206165/fake.png',
        thumbnail_url: 'https://cdn.dribbble.com/users/1/screenshots/471756/attachments/206165/thumbnail/fake.png',
        size: 116375,
        content_type: 'image/png',
        created_at: '2014-02-07T16:35:09Z',
      },
    ],
    projects: [
      {
        id: 3,
        name: 'Web Standards Awards',
        description: 'Icons and badges for the Web Standards Awards',
        shots_count: 4,
        created_at: '2011-04-14T03:43:35Z',
        updated_at: '2012-04-04T22:38:19Z',
      },
    ],
    team: null,
    video: null,
    low_profile: false,
  },
  attachment: {
    id: 206165,
    url: 'https://cdn.dribbble.com/users/1/screenshots/471756/attachments/206165/fake.png',
    thumbnail_url: 'https://cdn.dribbble.com/users/1/screenshots/471756/attachments/206165/thumbnail/fake.png',
    size: 116375,
    content_type: 'image/png',
    created_at: '2014-02-07T16:35:09Z',
  },
  project: {
    id: 3,
    name: 'Web Standards Awards',
    description: 'Icons and badges for the Web Standards Awards',
    shots_count: 4,
    created_at: '2011-04-14T03:43:35Z',
    updated_at: '2012-04-04T22:38:19Z',
  },
} as const;

/** Dribbble's error bodies, as its docs and Doorkeeper send them. */
export const DOCUMENTED_ERRORS = {
  400: { message: 'Problem parsing JSON.' },
  401: { message: 'Bad credentials.' },
  403: { message: 'You do not have access to this resource.' },
  404: { message: 'Not found.' },
  422: { message: 'Validation failed.', errors: [{ attribute: 'image', message: 'must be exactly 400x300 or 800x600' }] },
  429: { message: 'API rate limit exceeded.' },
} as const;
