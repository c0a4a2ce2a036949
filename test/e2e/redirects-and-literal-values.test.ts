// Issue class 1: credentials go to no other place. A redirect from the token or API endpoint is
// never followed (exit 5), credentials in a base URL are refused, values are sent literally.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, readTree, runCli, startStubServer } from './helpers.js';

const CLIENT_ID = 'redirect-client';
const CLIENT_SECRET = 'Redirect-S3cret-0123456789abcdefghijkl';
const CODE = 'C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCwg';
const TOKEN = 'b'.repeat(64);
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
let evil: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;

beforeAll(async () => {
  // Wherever a redirect points: it must never see a request.
  evil = await startStubServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'e'.repeat(64), token_type: 'Bearer', login: 'evil' })));
});
afterAll(() => evil.close());
beforeEach(async () => {
  dir = await makeTempDir();
  evil.requests.length = 0;
});

const base = (oauthUrl: string) => ['--client-id', CLIENT_ID, '--redirect-uri', REDIRECT_URI, '--oauth-url', oauthUrl];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET });

describe('the token request never follows a redirect', () => {
  it.each([301, 302, 303, 307, 308])('%i to another origin is exit 5 naming the status and only the origin; the other host sees nothing', async (status) => {
    const token = await startStubServer((_req, res) => res.writeHead(status, { Location: `${evil.origin}/steal?secret=in-query-${status}` }).end());
    try {
      const result = await runCli(['exchange', ...base(`${token.origin}/oauth`), '--code', CODE], { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [redirect_refused]');
      expect(result.stderr).toContain(`answered ${status}, a redirect to ${evil.origin}.`);
      expect(result.stderr).not.toContain('in-query');
      expect(token.requests).toHaveLength(1);
      expect(evil.requests).toHaveLength(0);
      expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET);
      expect(await readTree(dir)).toEqual([]);
    } finally {
      await token.close();
    }
  });
});

describe('the Bearer token goes to the API origin only', () => {
  it.each([302, 307])('a %i from Get authenticated user is exit 5 and the other host sees no token', async (status) => {
    const api = await startStubServer((_req, res) => res.writeHead(status, { Location: `${evil.origin}/v2/user` }).end());
    try {
      const result = await runCli(['whoami', '--api-url', `${api.origin}/v2`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: TOKEN }) });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain(`answered ${status}, a redirect to ${evil.origin}`);
      expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(evil.requests).toHaveLength(0);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
    } finally {
      await api.close();
    }
  });
});

describe('base URLs with credentials are refused', () => {
  it('a user:password in --oauth-url is exit 2, before any request, and the password is not printed', async () => {
    const server = await startStubServer((_req, res) => res.end());
    try {
      const url = `http://alice:hunter2-password@${server.origin.slice('http://'.length)}/oauth`;
      const result = await runCli(['exchange', ...base(url), '--code', CODE], { cwd: dir, env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error [invalid_oauth_base_url]');
      expect(result.stderr).toContain('carries a user name or password');
      expect(result.stderr).not.toContain('hunter2');
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('values are sent literally', () => {
  it.each([
    ['--code {{client_secret}}', ['--code', '{{client_secret}}']],
    ['a callback URL whose code decodes to {{client_secret}}', ['--code', `${REDIRECT_URI}?code=%7B%7Bclient_secret%7D%7D&state=x`]],
    ['--client-id {{client_secret}}', ['--client-id', '{{client_secret}}', '--code', CODE]],
  ])('%s is refused (exit 2) and nothing is sent', async (_what, extra) => {
    const server = await startStubServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer' })));
    try {
      const result = await runCli(['exchange', ...base(`${server.origin}/oauth`), ...extra, '--no-pkce'], { cwd: dir, env: env() });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('error [unsafe_value]');
      expect(result.stderr).toContain('values are sent exactly as given');
      expect(server.requests).toHaveLength(0);
      expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET);
    } finally {
      await server.close();
    }
  });
});
