// npm run mock: the bundled Dribbble-like server, on the fixed port the mock environment uses.
import { parseFlags, parseWholeNumber } from '../lib/cli/cli-flags.js';
import { reportFailure } from '../lib/cli/command-output.js';
import { UsageError } from '../lib/core/errors.js';
import { MOCK_DEFAULT_PORT, MOCK_DEMO_CLIENT } from '../lib/mock/mock-defaults.js';
import { DEMO_MOCK_CLIENT, startMockServer } from '../lib/mock/mock-server.js';

export async function run(argv: string[]): Promise<void> {
  let flags;
  try {
    flags = await parseFlags<{ port: number; signIn: boolean }>(argv, 'mock', 'Starts the bundled Dribbble-like OAuth and API server on 127.0.0.1 and prints its demo credentials.', {
      port: { type: 'string', default: String(MOCK_DEFAULT_PORT), describe: 'Port to listen on (0: any free port)' },
      'sign-in': { type: 'boolean', default: false, describe: 'Answer authorize like Dribbble to a client without a session: a sign-in page first' },
    });
    flags.port = parseWholeNumber(flags.port, 'port', 0, 65535, String(MOCK_DEFAULT_PORT));
  } catch (error) {
    return reportFailure(error, argv.includes('--json'));
  }
  const redirectUris = [...DEMO_MOCK_CLIENT.redirectUris, ...(flags.redirectUri ? [flags.redirectUri] : [])];
  let server;
  try {
    server = await startMockServer({ port: flags.port, clients: [{ ...DEMO_MOCK_CLIENT, redirectUris }], signIn: flags.signIn });
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
    process.stdout.write(`${JSON.stringify({ ok: true, origin: server.origin, oauth_base_url: server.oauthBaseUrl, api_base_url: server.apiBaseUrl, client_id: MOCK_DEMO_CLIENT.clientId, client_secret: MOCK_DEMO_CLIENT.clientSecret, redirect_uris: redirectUris })}\n`);
  } else {
    const sample = new URL(`${server.oauthBaseUrl}/authorize`);
    sample.search = new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', scope: 'public', state: 'demo' }).toString();
    process.stdout.write(
      [
        `Dribbble mock server on ${server.origin}  (Ctrl-C to stop)`,
        flags.signIn
          ? `  authorize      GET  ${server.oauthBaseUrl}/authorize   (sign-in page first, as Dribbble without a session; then approves)`
          : `  authorize      GET  ${server.oauthBaseUrl}/authorize   (approves at once for the demo user)`,
        `  token          POST ${server.oauthBaseUrl}/token`,
        `  user           GET  ${server.apiBaseUrl}/user`,
        '',
        'Demo application (public, not a secret):',
        `  client id      ${MOCK_DEMO_CLIENT.clientId}`,
        `  client secret  ${MOCK_DEMO_CLIENT.clientSecret}`,
        ...redirectUris.map((uri) => `  callback URL   ${uri}`),
        '',
        'Try it:',
        ...(flags.signIn
          ? [
              `  open '${sample}' in a browser, sign in, and copy the URL it lands on; then`,
              "  npx newman run collections/dribbble-oauth.postman_collection.json -e environments/mock.postman_environment.json --env-var code='<that URL>'",
            ]
          : [
              `  curl -si '${sample}' | grep -i ^location`,
              '  npm run exchange -- --environment environments/mock.postman_environment.json --code <the code= value from that Location>',
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
