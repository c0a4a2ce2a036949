// npm run mock: the bundled Dribbble-like server, on the fixed port the mock environment uses.
import { MAX_TIMER_MS, commonFlagsExcept, parseFlags, parseWholeNumber } from '../lib/cli/cli-flags.js';
import { reportFailure } from '../lib/cli/command-output.js';
import { UsageError } from '../lib/core/errors.js';
import { showGivenUrl } from '../lib/core/redaction.js';
import { API_ENDPOINTS, RATE_LIMITS, type ApiEndpoint } from '../lib/dribbble/api-v2.js';
import { MOCK_DEFAULT_PORT, MOCK_DEMO_CLIENT, mockOrigin } from '../lib/mock/mock-defaults.js';
import { DEFAULT_PROCESSING_DELAY_MS, DEMO_MOCK_CLIENT, SAMPLE_SHOT_PATH, startMockServer } from '../lib/mock/mock-server.js';

function describeAccess(e: ApiEndpoint, approvedClient: string | undefined): string {
  const needs = [e.scope && `scope ${e.scope}`, e.approvedAppsOnly && (approvedClient ? `approved app ${approvedClient} only` : 'approved apps only: 403 (see --approved-client)'), e.paginated && 'paginated'].filter(Boolean);
  return needs.length ? `  (${needs.join('; ')})` : '';
}

interface MockFlags {
  port: number;
  signIn: boolean;
  processingDelay: number;
  seedShots: number;
  rateLimit: number;
  rateLimitDay: number;
  rateWindow: number;
  approvedClient?: string;
}

export async function run(argv: string[]): Promise<void> {
  let flags;
  try {
    flags = await parseFlags<MockFlags>(argv, 'mock', 'Starts the bundled Dribbble-like OAuth and API server on 127.0.0.1 and prints its demo credentials and the API routes it serves.', {
      port: { type: 'string', default: String(MOCK_DEFAULT_PORT), describe: 'Port to listen on (0: any free port)' },
      'sign-in': { type: 'boolean', default: false, describe: 'Answer authorize like Dribbble to a client without a session: a sign-in page first' },
      'processing-delay': { type: 'string', default: String(DEFAULT_PROCESSING_DELAY_MS), describe: 'Milliseconds an uploaded shot or attachment answers 404 before it is processed' },
      'seed-shots': { type: 'string', default: '3', describe: 'Shots the demo user has at start (250 makes 3 pages of 100)' },
      'rate-limit': { type: 'string', default: String(RATE_LIMITS.perMinute), describe: 'Requests a user may make per rate window' },
      'rate-limit-day': { type: 'string', default: String(RATE_LIMITS.perDay), describe: 'Requests a user may make per day' },
      'rate-window': { type: 'string', default: '60000', describe: 'The rate window ("minute") in milliseconds; shorten it to try waiting clients' },
      'approved-client': { type: 'string', describe: 'A client id Dribbble "approved": its tokens may call GET /popular_shots and GET /user/likes' },
    }, { ignores: commonFlagsExcept('redirect-uri', 'json') });
    flags.port = parseWholeNumber(flags.port, 'port', 0, 65535, String(MOCK_DEFAULT_PORT));
    flags.processingDelay = parseWholeNumber(flags.processingDelay, 'processing-delay', 0, MAX_TIMER_MS, '2000', ' of milliseconds');
    flags.seedShots = parseWholeNumber(flags.seedShots, 'seed-shots', 0, 100_000, '250');
    flags.rateLimit = parseWholeNumber(flags.rateLimit, 'rate-limit', 1, 1_000_000, '60');
    flags.rateLimitDay = parseWholeNumber(flags.rateLimitDay, 'rate-limit-day', 1, 100_000_000, '1440');
    flags.rateWindow = parseWholeNumber(flags.rateWindow, 'rate-window', 1, MAX_TIMER_MS, '60000', ' of milliseconds');
  } catch (error) {
    return reportFailure(error, argv.includes('--json'));
  }
  const redirectUris = [...DEMO_MOCK_CLIENT.redirectUris, ...(flags.redirectUri ? [flags.redirectUri] : [])];
  let server;
  try {
    server = await startMockServer({
      port: flags.port,
      clients: [{ ...DEMO_MOCK_CLIENT, redirectUris }],
      signIn: flags.signIn,
      processingDelayMs: flags.processingDelay,
      seedShots: flags.seedShots,
      rateLimit: { perMinute: flags.rateLimit, perDay: flags.rateLimitDay, windowMs: flags.rateWindow },
      approvedClients: flags.approvedClient ? [flags.approvedClient] : [],
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reportFailure(
      code === 'EADDRINUSE' || code === 'EACCES'
        ? new UsageError('port_unavailable', `Cannot listen on 127.0.0.1:${flags.port} (--port): ${code === 'EADDRINUSE' ? 'another program uses it (is a mock already running?)' : 'permission denied'}. Stop it, or pass --port 0 for any free port.`)
        : error,
      flags.json,
    );
    return;
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, origin: server.origin, oauth_origin: server.origin, api_origin: server.origin, oauth_base_url: server.oauthBaseUrl, api_base_url: server.apiBaseUrl, client_id: MOCK_DEMO_CLIENT.clientId, client_secret: MOCK_DEMO_CLIENT.clientSecret, redirect_uris: redirectUris, routes: API_ENDPOINTS.map((e) => `${e.method} ${e.path}`) })}\n`);
  } else {
    // The committed mock environment points at the default port: on another, the hints say where.
    const elsewhere = server.origin !== mockOrigin();
    const newmanOrigins = elsewhere ? ` --env-var oauth_origin=${server.origin} --env-var api_origin=${server.origin}` : '';
    const cliOrigins = elsewhere ? ` --oauth-url ${server.origin} --api-url ${server.origin}` : '';
    const sample = new URL(`${server.oauthBaseUrl}/authorize`);
    sample.search = new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', scope: 'public', state: 'demo' }).toString();
    process.stdout.write(
      [
        `Dribbble mock server on ${server.origin}  (Ctrl-C to stop)`,
        flags.signIn
          ? `  authorize      GET  ${server.oauthBaseUrl}/authorize   (sign-in page first, as Dribbble without a session; then approves)`
          : `  authorize      GET  ${server.oauthBaseUrl}/authorize   (approves at once for the demo user)`,
        `  token          POST ${server.oauthBaseUrl}/token`,
        '',
        `API v2 on ${server.apiBaseUrl} (Bearer token; ${flags.rateLimit} requests per ${flags.rateWindow} ms and ${flags.rateLimitDay} a day per user; uploads processed after ${flags.processingDelay} ms):`,
        ...API_ENDPOINTS.map((e) => `  ${e.method.padEnd(6)} ${e.path.padEnd(30)} ${e.name}${describeAccess(e, flags.approvedClient)}`),
        `  A PNG that passes the upload rule: ${server.origin}${SAMPLE_SHOT_PATH}`,
        '',
        'Demo application (public, not a secret):',
        `  client id      ${MOCK_DEMO_CLIENT.clientId}`,
        `  client secret  ${MOCK_DEMO_CLIENT.clientSecret}`,
        ...redirectUris.map((uri) => `  callback URL   ${showGivenUrl(uri)}`),
        '',
        'Try it:',
        ...(flags.signIn
          ? [
              `  open '${sample}' in a browser, sign in, and copy the URL it lands on; then`,
              `  npx newman run collections/dribbble-oauth.postman_collection.json -e environments/mock.postman_environment.json${newmanOrigins} --env-var code='<that URL>'`,
            ]
          : [
              `  curl -si '${sample}' | grep -i ^location`,
              `  npm run exchange -- --environment environments/mock.postman_environment.json${cliOrigins} --code <the code= value from that Location>`,
            ]),
        '',
      ].join('\n'),
    );
  }
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
