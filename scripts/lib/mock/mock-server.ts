// A Dribbble-like authorization and API server on loopback, strict the way the reference says
// Dribbble is: the OAuth routes (oauth-routes.ts) and the whole API v2 from the catalogue
// (api-routes.ts), with scopes, ownership, upload rules, processing, pages and rate limits.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardHandler, parseRequestUrl } from '../core/request-gate.js';
import { handleApi } from './api-routes.js';
import { MOCK_DEMO_CLIENT, MOCK_HOST } from './mock-defaults.js';
import { BodyTooLargeError, readBody, sendJson, sendTooLarge } from './mock-http.js';
import { MockStore } from './mock-store.js';
import { TokenStore, type IssueTokenOptions } from './mock-tokens.js';
import { oauthRoutes, type MockClient, type RecordedRequest } from './oauth-routes.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { SAMPLE_SHOT_PATH, sampleShotPng } from './sample-image.js';

export { CODE_LIFETIME_SECONDS, type MockClient, type RecordedRequest } from './oauth-routes.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { IssueTokenOptions } from './mock-tokens.js';
export { MOCK_OTHER_USER, type MockStore } from './mock-store.js';
export { SAMPLE_SHOT_PATH } from './sample-image.js';

export interface MockServerOptions {
  port?: number;
  host?: string;
  clients?: MockClient[];
  /** Milliseconds since the epoch; inject to expire codes, end rate windows or finish processing without waiting. */
  now?: () => number;
  /** Older servers issue 64-hex codes, newer ones 43-character base64url codes. */
  codeShape?: 'base64url' | 'hex';
  /** Requests a user may make per minute (a number), or both budgets and their windows. */
  rateLimit?: number | RateLimitOptions;
  /**
   * Answer like Dribbble to a client without a session: authorize redirects to the sign-in page,
   * which signs the demo user in (a cookie) and goes back to authorize. Off: approves at once.
   */
  signIn?: boolean;
  /** How long an uploaded shot or attachment answers 404 before it is "processed" (default 2000 ms). */
  processingDelayMs?: number;
  /** How many processed shots the demo user has at start (default 3). */
  seedShots?: number;
  /** Client ids Dribbble approved: only their tokens may call GET /popular_shots and GET /user/likes. */
  approvedClients?: string[];
}

export interface MockServer {
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Users, shots, attachments, projects and likes, live: read them to assert, change them to arrange. */
  store: MockStore;
  /** A token for the demo user (or `userId`) with the given scope, without the OAuth dance. */
  issueToken(options?: IssueTokenOptions): string;
  origin: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PROCESSING_DELAY_MS = 2000;

export const DEMO_MOCK_CLIENT: MockClient = {
  clientId: MOCK_DEMO_CLIENT.clientId,
  clientSecret: MOCK_DEMO_CLIENT.clientSecret,
  redirectUris: [MOCK_DEMO_CLIENT.redirectUri],
};

/** A GET of a page has no body worth reading: a few kilobytes at most, then 413. */
const NO_BODY_LIMIT = 64 * 1024;

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const now = options.now ?? Date.now;
  const tokens = new TokenStore();
  const store = new MockStore(now, { seedShots: options.seedShots });
  let origin = '';
  const oauth = oauthRoutes({ clients: options.clients ?? [DEMO_MOCK_CLIENT], now, codeShape: options.codeShape, signIn: options.signIn, tokens });
  const api = {
    store,
    tokens,
    limiter: new RateLimiter(options.rateLimit, now),
    now,
    approvedClients: new Set(options.approvedClients ?? []),
    processingDelayMs: options.processingDelayMs ?? DEFAULT_PROCESSING_DELAY_MS,
    origin: () => origin,
  };

  const requests: RecordedRequest[] = [];
  let sampleShot: Buffer | undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = parseRequestUrl(req, 'http://mock.invalid');
    if (!url) {
      await readBody(req, NO_BODY_LIMIT);
      return sendJson(res, 400, { message: 'Bad request target.' });
    }
    const route = `${req.method} ${url.pathname}`;
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers };
    requests.push(record);
    const oauthRoute = oauth(route, url, req, res, record);
    if (oauthRoute) {
      if (req.method === 'GET') await readBody(req, NO_BODY_LIMIT);
      return oauthRoute();
    }
    if (/^\/v[12](\/|$)/.test(url.pathname)) return handleApi(req, res, url, api);
    if (route === `GET ${SAMPLE_SHOT_PATH}`) {
      await readBody(req, NO_BODY_LIMIT);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Disposition': 'attachment; filename="shot.png"' });
      return void res.end(sampleShot ??= sampleShotPng());
    }
    await readBody(req, NO_BODY_LIMIT);
    sendJson(res, 404, { message: 'Not found.' });
  };
  const server = createServer(
    guardHandler((req, res) =>
      handle(req, res).catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) return sendTooLarge(req, res);
        throw error;
      }),
    ),
  );
  // A client that trickles its request is cut off; the mock never waits on one forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const host = options.host ?? MOCK_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return {
    requests,
    store,
    issueToken: (o) => tokens.issue(o),
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
