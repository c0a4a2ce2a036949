// Issue class 1: credentials go to no other place. A redirect from the token or API endpoint is
// never followed (exit 5): one whole run each shows that Newman does not follow it and the other
// host sees nothing. Which statuses are redirects, and what the message names, is decided in
// process (test/unit/token-endpoint-answers.test.ts, http-answers.test.ts); credentials in a base
// URL and "{{" in a value are refused before any request (test/unit/config-resolution.test.ts:
// normalizeOrigin, assertLiteral and resolveConfig; test/unit/callback-input.test.ts).
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

describe('the token request never follows a redirect', () => {
  // 307 is the one that would resend the POST body (the client secret and the code) as it is.
  it('a 307 to another origin is exit 5 naming the status and only the origin; the other host sees nothing', async () => {
    const token = await startStubServer((_req, res) => res.writeHead(307, { Location: `${evil.origin}/steal?secret=in-query-307` }).end());
    try {
      const result = await runCli(['exchange', '--client-id', CLIENT_ID, '--redirect-uri', REDIRECT_URI, '--oauth-url', `${token.origin}/oauth`, '--code', CODE], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }) });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('error [redirect_refused]');
      expect(result.stderr).toContain(`answered 307, a redirect to ${evil.origin}.`);
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
  it('a 302 from Get authenticated user is exit 5 and the other host sees no token', async () => {
    const api = await startStubServer((_req, res) => res.writeHead(302, { Location: `${evil.origin}/v2/user` }).end());
    try {
      const result = await runCli(['whoami', '--api-url', `${api.origin}/v2`], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_ACCESS_TOKEN: TOKEN }) });
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain(`answered 302, a redirect to ${evil.origin}`);
      expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(evil.requests).toHaveLength(0);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
    } finally {
      await api.close();
    }
  });
});
