// The authorization server, strict the way the reference says Dribbble (Doorkeeper) is: exact
// redirect URIs, single-use codes that expire, PKCE S256, the same error bodies; an optional
// sign-in page for a client without a session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MOCK_DEMO_USER } from './mock-defaults.js';
import { readBody, sendJson } from './mock-http.js';
import type { TokenStore } from './mock-tokens.js';

export interface MockClient {
  clientId: string;
  clientSecret: string;
  /** Every Callback URL registered for the app, compared byte for byte. */
  redirectUris: string[];
}

export interface OAuthOptions {
  clients: MockClient[];
  now: () => number;
  codeShape?: 'base64url' | 'hex';
  signIn?: boolean;
  tokens: TokenStore;
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

export const CODE_LIFETIME_SECONDS = 600;
/** A token or sign-in form is a few hundred bytes. */
const FORM_LIMIT = 64 * 1024;

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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

const readForm = async (req: IncomingMessage) => (await readBody(req, FORM_LIMIT)).toString('utf8');

/** The OAuth and sign-in routes: a handler for the route, or undefined when it is not one of them. */
export function oauthRoutes(options: OAuthOptions) {
  const { clients, now, tokens } = options;
  const grants = new Map<string, Grant>();
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
    const form = new URLSearchParams(await readForm(req));
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
      await readForm(req);
      return invalidRequest('grant_type');
    }
    const form = new URLSearchParams(await readForm(req));
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
      try {
        clientId = decodeURIComponent(id);
        clientSecret = decodeURIComponent(secret.join(':'));
      } catch {
        clientId = '';
      }
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
      for (const t of grant.tokens) tokens.revoke(t);
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
    const accessToken = tokens.issue({ scope: grant.scope, userId: MOCK_DEMO_USER.id, clientId: client.clientId });
    grant.tokens.push(accessToken);
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', scope: grant.scope, created_at: Math.floor(now() / 1000) });
  }

  return (route: string, url: URL, req: IncomingMessage, res: ServerResponse, record: RecordedRequest): (() => unknown) | undefined => {
    if (route === 'GET /oauth/authorize') return () => authorize(url, req, res);
    if (route === 'GET /session/new') return () => signInPage(url, res);
    if (route === 'POST /session') return () => signIn(req, res);
    if (route === 'POST /oauth/token') return () => token(req, res, record);
    return undefined;
  };
}
