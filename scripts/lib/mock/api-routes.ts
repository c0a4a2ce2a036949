// API v2, served from the catalogue (API_ENDPOINTS): each request is matched to its endpoint, then
// checked in Dribbble's order: a bearer token (401), the user's rate budget (429), the approved-
// apps gate and the scope the endpoint needs (403), the page parameters (422); then the endpoint's
// own rules: ownership, the upload rules, asynchronous processing.
//
// Ownership, as the catalogue's conditions say: GET /shots/:id answers only the user's own shots
// (another user's is 404, as an absent one); a write to another user's shot or project is 403
// (an absent one is 404). A shot or attachment still processing is 404 everywhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PATH_PREFIX, ATTACHMENT_MAX_BYTES, DOCUMENTED_ERRORS, PAGINATION, SHOT_IMAGE_RULES, matchEndpoint, type ApiEndpoint } from '../dribbble/api-v2.js';
import { readPage, paginate, type PageRequest } from './pagination.js';
import { fileField, parseFields, readBody, sendEmpty, sendJson, textField, type Fields, type Headers } from './mock-http.js';
import type { MockStore, StoredShot, UserProfile } from './mock-store.js';
import type { RateLimiter } from './rate-limit.js';
import { BLANK, checkAttachment, checkShotImage, checkTags, readTags, validationFailed, type ValidationError } from './shot-rules.js';
import type { TokenRecord, TokenStore } from './mock-tokens.js';

/** The mock's wording where Dribbble's exact text is not documented. */
export const MOCK_API_MESSAGES = {
  approvedAppsOnly: 'This endpoint is only available to apps approved by Dribbble. Ask Dribbble to approve your app.',
  deprecated: 'This version of the API is deprecated. Please use v2: https://developer.dribbble.com/v2/',
} as const;

export interface ApiOptions {
  store: MockStore;
  tokens: TokenStore;
  limiter: RateLimiter;
  now: () => number;
  /** Client ids Dribbble has approved for the approved-apps-only endpoints. */
  approvedClients: ReadonlySet<string>;
  processingDelayMs: number;
  /** The API's origin, for absolute Location and Link URLs (known once the server listens). */
  origin: () => string;
}

interface Call {
  endpoint: ApiEndpoint;
  params: Record<string, string>;
  url: URL;
  token: TokenRecord;
  user: UserProfile;
  fields: Fields;
  page: PageRequest;
  send(status: number, body?: unknown, headers?: Headers): void;
}

type Handler = (call: Call, o: ApiOptions) => void;

// Bodies: an image may be up to 8 MB (a larger one gets a 422, not a cut connection, up to twice
// that); an attachment up to 10 MB; anything else is a small form or JSON object.
const BODY_LIMITS = { shot: 2 * SHOT_IMAGE_RULES.maxBytes, attachment: 2 * ATTACHMENT_MAX_BYTES, other: 1024 * 1024 } as const;

const forbidden = (call: Call, headers: Headers = {}) => call.send(403, DOCUMENTED_ERRORS[403], headers);
const notFound = (call: Call) => call.send(404, DOCUMENTED_ERRORS[404]);
const invalid = (call: Call, errors: ValidationError[]) => call.send(422, validationFailed(errors));
const id = (raw: string | undefined) => (raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : -1);
const tagValues = (fields: Fields) => [...(fields.get('tags[]') ?? []), ...(fields.get('tags') ?? [])].filter((v): v is string => typeof v === 'string');

/** The optional shot fields of a create or update, checked; `into` gets the valid ones. */
function shotOptions(call: Call, o: ApiOptions, into: Partial<StoredShot>, errors: ValidationError[]): void {
  const { fields, user } = call;
  const description = textField(fields, 'description');
  if (description !== undefined) into.description = description;
  const teamId = textField(fields, 'team_id');
  if (teamId !== undefined) {
    if (teamId === '') into.teamId = null;
    else if (user.teams.some((t) => String(t.id) === teamId)) into.teamId = Number(teamId);
    else errors.push({ attribute: 'team_id', message: 'is not a team you belong to' });
  }
  const lowProfile = textField(fields, 'low_profile');
  if (lowProfile !== undefined) {
    if (/^(true|1)$/i.test(lowProfile)) into.lowProfile = true;
    else if (/^(false|0|)$/i.test(lowProfile)) into.lowProfile = false;
    else errors.push({ attribute: 'low_profile', message: 'must be true or false' });
  }
  const scheduledFor = textField(fields, 'scheduled_for');
  if (scheduledFor !== undefined && scheduledFor !== '') {
    const t = Date.parse(scheduledFor);
    if (Number.isNaN(t)) errors.push({ attribute: 'scheduled_for', message: 'is not a valid date and time (ISO 8601)' });
    else into.scheduledFor = t;
  }
  const rebound = textField(fields, 'rebound_source_id');
  if (rebound !== undefined && rebound !== '') {
    if (o.store.readyShot(id(rebound))) into.reboundSourceId = Number(rebound);
    else errors.push({ attribute: 'rebound_source_id', message: 'is not a shot that can be rebounded' });
  }
}

/** A shot the user may write: 404 when absent or processing, 403 when another user's. */
function ownShot(call: Call, o: ApiOptions, raw: string | undefined): StoredShot | undefined {
  const shot = o.store.readyShot(id(raw));
  if (!shot) return void notFound(call);
  if (shot.userId !== call.user.id) return void forbidden(call);
  return shot;
}

function ownProject(call: Call, o: ApiOptions) {
  const project = o.store.projects.get(id(call.params.id));
  if (!project) return void notFound(call);
  if (project.userId !== call.user.id) return void forbidden(call);
  return project;
}

function list<T>(call: Call, items: readonly T[], render: (item: T) => unknown): void {
  const page = paginate(items, call.page, call.url);
  call.send(200, page.items.map(render), page.link ? { Link: page.link } : {});
}

/** One handler per catalogue endpoint, by name (a unit test checks none is missing). */
export const API_HANDLERS: Record<string, Handler> = {
  'Get authenticated user': (call) => call.send(200, call.user),

  'List my shots': (call, o) => list(call, o.store.listShots((s) => s.userId === call.user.id), (s) => o.store.shotJson(s)),

  'Get a shot': (call, o) => {
    const shot = o.store.readyShot(id(call.params.id));
    if (!shot || shot.userId !== call.user.id) return notFound(call);
    call.send(200, o.store.shotJson(shot));
  },

  'Create a shot': (call, o) => {
    // "The user must be a player or a team": what can_upload_shot says.
    if (!call.user.can_upload_shot) return forbidden(call);
    const { fields } = call;
    const errors: ValidationError[] = [];
    const title = textField(fields, 'title')?.trim();
    if (!title) errors.push({ attribute: 'title', message: BLANK });
    const file = fileField(fields, 'image');
    const checked = checkShotImage(file?.bytes);
    errors.push(...checked.errors);
    const tags = readTags(tagValues(fields));
    errors.push(...checkTags(tags));
    const extra: Partial<StoredShot> = {};
    shotOptions(call, o, extra, errors);
    if (errors.length || !checked.image || !title) return invalid(call, errors);
    const now = o.now();
    const shot = o.store.addShot(call.user.id, {
      ...extra,
      title,
      description: extra.description ?? null,
      tags,
      width: checked.image.width,
      height: checked.image.height,
      imageType: checked.image.type,
      createdAt: now,
      readyAt: now + o.processingDelayMs,
    });
    call.send(202, undefined, { Location: `${o.origin()}${API_PATH_PREFIX}/shots/${shot.id}` });
  },

  'Update a shot': (call, o) => {
    const shot = ownShot(call, o, call.params.id);
    if (!shot) return;
    const errors: ValidationError[] = [];
    const changes: Partial<StoredShot> = {};
    const title = textField(call.fields, 'title');
    if (title !== undefined) {
      if (title.trim()) changes.title = title.trim();
      else errors.push({ attribute: 'title', message: BLANK });
    }
    // "Tags left out are removed."
    const tags = readTags(tagValues(call.fields));
    errors.push(...checkTags(tags));
    shotOptions(call, o, changes, errors);
    if (errors.length) return invalid(call, errors);
    Object.assign(shot, changes, { tags });
    o.store.touch(shot);
    call.send(200, o.store.shotJson(shot));
  },

  'Delete a shot': (call, o) => {
    const shot = ownShot(call, o, call.params.id);
    if (!shot) return;
    o.store.shots.delete(shot.id);
    call.send(204);
  },

  'Create an attachment': (call, o) => {
    const shot = ownShot(call, o, call.params.shot);
    if (!shot) return;
    // "Pro, a team or a team member."
    if (!(call.user.pro || call.user.type === 'Team' || call.user.teams.length > 0)) return forbidden(call);
    const file = fileField(call.fields, 'file');
    const errors = checkAttachment(file?.bytes);
    if (errors.length || !file) return invalid(call, errors);
    const attachment = o.store.addAttachment(shot, { size: file.bytes.length, contentType: file.type || 'application/octet-stream', fileName: file.name.replace(/[^\w.-]+/g, '_') || 'attachment' }, o.now() + o.processingDelayMs);
    // As for a shot, the 202 names where the attachment will be (v1's documented answer): its id.
    call.send(202, undefined, { Location: `${o.origin()}${API_PATH_PREFIX}/shots/${shot.id}/attachments/${attachment.id}` });
  },

  'Delete an attachment': (call, o) => {
    const shot = ownShot(call, o, call.params.shot);
    if (!shot) return;
    // One still processing can be deleted too: it exists, it is only not listed yet.
    const attachment = shot.attachments.find((a) => a.id === id(call.params.id));
    if (!attachment) return notFound(call);
    shot.attachments = shot.attachments.filter((a) => a !== attachment);
    call.send(204);
  },

  'List my projects': (call, o) => list(call, o.store.listProjects(call.user.id), (p) => o.store.projectJson(p)),

  'Create a project': (call, o) => {
    const name = textField(call.fields, 'name')?.trim();
    if (!name) return invalid(call, [{ attribute: 'name', message: BLANK }]);
    const project = o.store.addProject(call.user.id, name, textField(call.fields, 'description') ?? null);
    call.send(201, o.store.projectJson(project));
  },

  'Update a project': (call, o) => {
    const project = ownProject(call, o);
    if (!project) return;
    const name = textField(call.fields, 'name');
    if (name !== undefined && !name.trim()) return invalid(call, [{ attribute: 'name', message: BLANK }]);
    if (name !== undefined) project.name = name.trim();
    const description = textField(call.fields, 'description');
    if (description !== undefined) project.description = description;
    o.store.touch(project);
    call.send(200, o.store.projectJson(project));
  },

  'Delete a project': (call, o) => {
    const project = ownProject(call, o);
    if (!project) return;
    o.store.deleteProject(project.id);
    call.send(204);
  },

  'List popular shots': (call, o) => list(call, o.store.listShots((s) => !s.lowProfile), (s) => o.store.shotJson(s)),

  'List shots I like': (call, o) => {
    const liked = new Set(o.store.likes.get(call.user.id) ?? []);
    list(call, o.store.listShots((s) => liked.has(s.id)), (s) => o.store.shotJson(s));
  },
};

function bodyLimit(endpoint: ApiEndpoint | undefined): number {
  if (endpoint?.name === 'Create a shot') return BODY_LIMITS.shot;
  if (endpoint?.name === 'Create an attachment') return BODY_LIMITS.attachment;
  return BODY_LIMITS.other;
}

/** Answers one request below /v2 (or /v1, retired: 401 as Dribbble answers it). BodyTooLargeError propagates to the server. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, o: ApiOptions): Promise<void> {
  const match = matchEndpoint(req.method ?? '', url.pathname);
  const body = await readBody(req, bodyLimit(match?.endpoint));
  if (!new RegExp(`^${API_PATH_PREFIX}(/|$)`).test(url.pathname)) return sendJson(res, 401, { message: MOCK_API_MESSAGES.deprecated });
  const token = o.tokens.fromHeader(req.headers.authorization);
  const user = token && o.store.user(token.userId);
  if (!token || !user) return sendJson(res, 401, DOCUMENTED_ERRORS[401]);
  const budget = o.limiter.take(user.id);
  const send = (status: number, payload?: unknown, headers: Headers = {}) =>
    payload === undefined ? sendEmpty(res, status, { ...budget.headers, ...headers }) : sendJson(res, status, payload, { ...budget.headers, ...headers });
  if (!budget.allowed) return send(429, DOCUMENTED_ERRORS[429]);
  if (!match) return send(404, DOCUMENTED_ERRORS[404]);
  const { endpoint, params } = match;
  if (endpoint.approvedAppsOnly && !o.approvedClients.has(token.clientId)) return send(403, { message: MOCK_API_MESSAGES.approvedAppsOnly });
  if (endpoint.scope && !token.scopes.includes(endpoint.scope)) {
    // Doorkeeper's insufficient-scope challenge (RFC 6750), with Dribbble's {message} body.
    return send(403, DOCUMENTED_ERRORS[403], {
      'WWW-Authenticate': `Bearer realm="Doorkeeper", error="insufficient_scope", error_description="Access to this resource requires scope \\"${endpoint.scope}\\"."`,
    });
  }
  let page: PageRequest = { page: 1, perPage: PAGINATION.defaultPerPage };
  if (endpoint.paginated) {
    const asked = readPage(url.searchParams);
    if ('errors' in asked) return send(PAGINATION.invalidStatus, validationFailed(asked.errors));
    page = asked;
  }
  const fields = endpoint.body ? await parseFields(body, req.headers['content-type']) : new Map();
  if ('unreadable' in fields) return send(400, { message: fields.unreadable });
  const handler = API_HANDLERS[endpoint.name];
  if (!handler) return send(404, DOCUMENTED_ERRORS[404]);
  handler({ endpoint, params, url: new URL(`${url.pathname}${url.search}`, o.origin()), token, user, fields, page, send }, o);
}
