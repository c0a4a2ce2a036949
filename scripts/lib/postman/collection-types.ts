// The shapes of a Postman v2.1 collection this project writes, and the small builders every
// item module shares (scripts, URLs on an origin variable, saved examples).

export const POSTMAN_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface KeyValue {
  key: string;
  value: string;
  description?: string;
  type?: string;
  disabled?: boolean;
}
export interface FormField {
  key: string;
  type: 'text' | 'file';
  value?: string;
  src?: string;
  description?: string;
  disabled?: boolean;
}
export interface PostmanScript {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}
export interface PostmanUrl {
  raw: string;
  host: string[];
  path: string[];
  query?: KeyValue[];
}
export type PostmanAuth = { type: 'noauth' } | { type: 'bearer'; bearer: Array<{ key: 'token'; value: string; type: 'string' }> };
export type PostmanBody =
  | { mode: 'urlencoded'; urlencoded: KeyValue[] }
  | { mode: 'formdata'; formdata: FormField[] }
  | { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };
export interface PostmanRequest {
  auth?: PostmanAuth;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  header: KeyValue[];
  body?: PostmanBody;
  url: PostmanUrl | string;
  description?: string;
}
/** A saved example response: what Postman's documentation view and mock servers show. */
export interface PostmanExample {
  name: string;
  originalRequest: PostmanRequest;
  status: string;
  code: number;
  _postman_previewlanguage: 'json' | 'html' | 'text';
  header: KeyValue[];
  cookie: [];
  body: string;
}
export interface PostmanItem {
  name: string;
  event: PostmanScript[];
  protocolProfileBehavior?: Record<string, boolean>;
  request: PostmanRequest & { description: string };
  response: PostmanExample[];
}
export interface PostmanFolder {
  name: string;
  description: string;
  item: Array<PostmanItem | PostmanFolder>;
}
export interface AuthEntry {
  key: string;
  value: string | boolean;
  type: 'string' | 'boolean';
}
export interface CollectionVariable {
  key: string;
  value: string;
  type: 'string';
  description: string;
}
export interface PostmanCollection {
  info: { _postman_id: string; name: string; description: string; schema: string };
  item: Array<PostmanItem | PostmanFolder>;
  auth: { type: 'oauth2'; oauth2: AuthEntry[] };
  variable: CollectionVariable[];
}

export const isFolder = (entry: PostmanItem | PostmanFolder): entry is PostmanFolder => 'item' in entry;

/** Every request of a collection or folder, at any depth, in run order. */
export function allItems(entries: ReadonlyArray<PostmanItem | PostmanFolder>): PostmanItem[] {
  return entries.flatMap((entry) => (isFolder(entry) ? allItems(entry.item) : [entry]));
}

export function script(listen: PostmanScript['listen'], source: string): PostmanScript {
  return { listen, script: { type: 'text/javascript', exec: source.trim().split('\n') } };
}

/**
 * A URL on an origin variable with the path written out (`{{api_origin}}/v2/user`): every
 * converter reads the variable as the host and keeps the path. Disabled query rows stay listed
 * (a person enables them) but out of `raw`, as Postman itself writes them.
 */
export function originUrl(originVariable: string, path: string, query: KeyValue[] = []): PostmanUrl {
  const enabled = query.filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`).join('&');
  return {
    raw: `{{${originVariable}}}${path}${enabled ? `?${enabled}` : ''}`,
    host: [`{{${originVariable}}}`],
    path: path.split('/').filter(Boolean),
    ...(query.length ? { query } : {}),
  };
}

export const ACCEPT_JSON: KeyValue = { key: 'Accept', value: 'application/json' };

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
};

/** A saved example. Values are Dribbble's documented ones, never token-shaped (the secret check flags those). */
export function example(name: string, request: PostmanRequest, code: number, headers: Record<string, string>, body: unknown): PostmanExample {
  const { description: _omit, ...originalRequest } = request;
  const json = typeof body !== 'string';
  return {
    name,
    originalRequest,
    status: STATUS_TEXT[code] ?? String(code),
    code,
    _postman_previewlanguage: json ? 'json' : body.startsWith('<') ? 'html' : 'text',
    header: Object.entries({ ...(json ? { 'Content-Type': 'application/json; charset=utf-8' } : body ? { 'Content-Type': 'text/html; charset=utf-8' } : {}), ...headers }).map(([key, value]) => ({ key, value })),
    cookie: [],
    body: json ? JSON.stringify(body, null, 2) : body,
  };
}
