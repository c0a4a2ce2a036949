// A Dribbble-like authorization and API server on loopback, strict the way the reference says
// Dribbble (Doorkeeper) is: exact redirect URIs, single-use codes that expire, PKCE S256, the
// same error bodies, Bearer-only API with rate-limit headers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardHandler, parseRequestUrl } from '../core/request-gate.js';
import { MOCK_DEMO_CLIENT, MOCK_DEMO_USER, MOCK_HOST } from './mock-defaults.js';

export interface MockClient {
  clientId: string;
  clientSecret: string;
  /** Every Callback URL registered for the app, compared byte for byte. */
  redirectUris: string[];
}

export interface MockServerOptions {
  port?: number;
  host?: string;
  clients?: MockClient[];
  /** Milliseconds since the epoch; inject to expire codes without waiting. */
  now?: () => number;
  /** Older servers issue 64-hex codes, newer ones 43-character base64url codes. */
  codeShape?: 'base64url' | 'hex';
  /** API requests a token may make per minute. */
  rateLimit?: number;
  /**
   * Answer like Dribbble to a client without a session: authorize redirects to the sign-in page,
   * which signs the demo user in (a cookie) and goes back to authorize. Off: approves at once.
   */
  signIn?: boolean;
}

/** One request as the mock saw it: for tests, and for anyone checking what a client really sends. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The form body of a POST, decoded. */
  form?: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface MockServer {
  /** Every request received, in order. */
  requests: RecordedRequest[];
  origin: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  port: number;
  close(): Promise<void>;
}

export const CODE_LIFETIME_SECONDS = 600;

const ERROR_TEXTS = {
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
} as const;

interface Grant {
  clientId: string;
  redirectUri: string;
  scope: string;
  issuedAt: number;
  codeChallenge?: string;
  used: boolean;
  tokens: string[];
}

export const DEMO_MOCK_CLIENT: MockClient = {
  clientId: MOCK_DEMO_CLIENT.clientId,
  clientSecret: MOCK_DEMO_CLIENT.clientSecret,
  redirectUris: [MOCK_DEMO_CLIENT.redirectUri],
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendErrorPage(res: ServerResponse, status: number, error: keyof typeof ERROR_TEXTS): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><title>An error has occurred</title></head><body><h1>An error has occurred</h1><p>${escapeHtml(ERROR_TEXTS[error])}</p></body></html>`);
}

function redirectTo(res: ServerResponse, redirectUri: string, params: Record<string, string | undefined>): void {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
  res.writeHead(302, { Location: target.toString() });
  res.end();
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const clients = options.clients ?? [DEMO_MOCK_CLIENT];
  const now = options.now ?? Date.now;
  const rateLimit = options.rateLimit ?? 60;
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, { revoked: boolean }>();
  const usage = new Map<string, { windowStart: number; count: number }>();

  const sessions = new Set<string>();
  const SESSION_COOKIE = 'mock_dribbble_session';
  const hasSession = (req: IncomingMessage) => {
    const cookie = /(?:^|;\s*)mock_dribbble_session=([^;]+)/.exec(req.headers.cookie ?? '');
    return cookie !== null && sessions.has(cookie[1]!);
  };

  function signInPage(url: URL, res: ServerResponse): void {
    const returnTo = url.searchParams.get('return_to') ?? '/';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><html><head><title>Sign in to Dribbble (mock)</title></head><body><h1>Sign in</h1><form method="post" action="/session"><input type="hidden" name="return_to" value="${escapeHtml(returnTo)}"><label>Login <input name="login" value="${MOCK_DEMO_USER.login}"></label><button type="submit">Sign in</button></form></body></html>`);
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const returnTo = form.get('return_to') ?? '/';
    const session = randomBytes(16).toString('hex');
    sessions.add(session);
    // Only a path on this server: no open redirect.
    res.writeHead(302, { Location: returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/', 'Set-Cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax` });
    res.end();
  }

  function authorize(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const q = url.searchParams;
    const client = clients.find((c) => c.clientId === q.get('client_id'));
    if (!client) return sendErrorPage(res, 401, 'invalid_client');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) return sendErrorPage(res, 400, 'invalid_redirect_uri');
    const state = q.get('state') ?? undefined;
    const fail = (error: string, description: string) => redirectTo(res, redirectUri, { error, error_description: description, state });
    if (q.get('response_type') !== 'code') {
      return q.get('response_type')
        ? fail('unsupported_response_type', ERROR_TEXTS.unsupported_response_type)
        : fail('invalid_request', 'Missing required parameter: response_type.');
    }
    const scope = (q.get('scope') ?? '').trim() || 'public';
    if (!scope.split(/\s+/).every((s) => s === 'public' || s === 'upload')) return fail('invalid_scope', ERROR_TEXTS.invalid_scope);
    const codeChallenge = q.get('code_challenge') ?? undefined;
    if (codeChallenge !== undefined && q.get('code_challenge_method') !== 'S256') {
      return fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
    }
    if (options.signIn && !hasSession(req)) {
      res.writeHead(302, { Location: `/session/new?${new URLSearchParams({ return_to: `${url.pathname}${url.search}` })}` });
      return void res.end();
    }
    // The demo user is signed in and approves at once (a user who granted the app before).
    const code = options.codeShape === 'hex' ? randomBytes(32).toString('hex') : randomBytes(32).toString('base64url');
    grants.set(code, { clientId: client.clientId, redirectUri, scope, issuedAt: now(), codeChallenge, used: false, tokens: [] });
    redirectTo(res, redirectUri, { code, state });
  }

  async function token(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const invalidRequest = (what: string) => sendJson(res, 400, { error: 'invalid_request', error_description: `Missing required parameter: ${what}.` });
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      await readBody(req);
      return invalidRequest('grant_type');
    }
    const form = new URLSearchParams(await readBody(req));
    record.form = Object.fromEntries(form);
    const grantType = form.get('grant_type');
    if (!grantType) return invalidRequest('grant_type');
    if (grantType !== 'authorization_code') {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: ERROR_TEXTS.unsupported_grant_type });
    }
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id = '', ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      clientSecret = decodeURIComponent(secret.join(':'));
    }
    const client = clients.find((c) => c.clientId === clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret)) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: ERROR_TEXTS.invalid_client }, { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_client"' });
    }
    const code = form.get('code');
    if (!code) return invalidRequest('code');
    const redirectUri = form.get('redirect_uri');
    if (!redirectUri) return invalidRequest('redirect_uri');
    const grant = grants.get(code);
    const invalidGrant = () => sendJson(res, 400, { error: 'invalid_grant', error_description: ERROR_TEXTS.invalid_grant });
    if (!grant || grant.clientId !== client.clientId) return invalidGrant();
    if (grant.used) {
      // RFC 6749 4.1.2: a code used twice revokes what it issued.
      for (const t of grant.tokens) tokens.get(t)!.revoked = true;
      return invalidGrant();
    }
    if (now() - grant.issuedAt > CODE_LIFETIME_SECONDS * 1000 || grant.redirectUri !== redirectUri) return invalidGrant();
    const verifier = form.get('code_verifier');
    if (grant.codeChallenge !== undefined) {
      if (verifier === null) return invalidRequest('code_verifier');
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) return invalidGrant();
    } else if (verifier !== null) {
      // PKCE enabled: a verifier (even an empty one) for a grant made without a challenge is refused.
      return invalidGrant();
    }
    grant.used = true;
    const accessToken = randomBytes(32).toString('hex');
    tokens.set(accessToken, { revoked: false });
    grant.tokens.push(accessToken);
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', scope: grant.scope, created_at: Math.floor(now() / 1000) });
  }

  function user(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = bearer?.[1];
    if (!token || !tokens.has(token) || tokens.get(token)!.revoked) {
      return sendJson(res, 401, { message: 'Bad credentials.' });
    }
    const t = now();
    let window = usage.get(token);
    if (!window || t - window.windowStart >= 60_000) usage.set(token, (window = { windowStart: t, count: 0 }));
    window.count += 1;
    const headers = {
      'X-RateLimit-Limit': String(rateLimit),
      'X-RateLimit-Remaining': String(Math.max(0, rateLimit - window.count)),
      'X-RateLimit-Reset': String(Math.ceil((window.windowStart + 60_000) / 1000)),
    };
    if (window.count > rateLimit) return sendJson(res, 429, { message: 'API rate limit exceeded.' }, headers);
    sendJson(res, 200, MOCK_DEMO_USER, headers);
  }

  const requests: RecordedRequest[] = [];
  const server = createServer(guardHandler((req, res) => {
    const url = parseRequestUrl(req, 'http://mock.invalid');
    if (!url) {
      req.resume();
      return sendJson(res, 400, { message: 'Bad request target.' });
    }
    const route = `${req.method} ${url.pathname}`;
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers };
    requests.push(record);
    const handle = async () => {
      if (route === 'GET /oauth/authorize') return authorize(url, req, res);
      if (route === 'GET /session/new') return signInPage(url, res);
      if (route === 'POST /session') return signIn(req, res);
      if (route === 'POST /oauth/token') return token(req, res, record);
      if (route === 'GET /v2/user') return user(req, res);
      await readBody(req);
      sendJson(res, 404, { message: 'Not found.' });
    };
    return handle();
  }));
  const host = options.host ?? MOCK_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  return {
    requests,
    origin,
    oauthBaseUrl: `${origin}/oauth`,
    apiBaseUrl: `${origin}/v2`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
