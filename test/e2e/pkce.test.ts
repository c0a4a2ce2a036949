// PKCE from the CLI's side, asserted on what the servers received (not on the mock refusing): the
// token form carries the verifier exactly when the consent URL carried its challenge, never empty.
// Which pending authorization a code given to `exchange` borrows its verifier from is decided in
// process (test/unit/pending-authorization-match.test.ts); test/e2e/exchange.test.ts keeps the whole
// runs that send a pending verifier, and that send none under --no-pkce. That authorize --no-pkce
// sends neither half is decided in process: buildAuthorizationRequest without PKCE
// (test/unit/authorization-request.test.ts) and the code_verifier row sent only when set
// (test/unit/collection-scripts.test.ts).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, makeTempDir, ownLoopbackHost, startCli } from './helpers.js';

const CLIENT_ID = 'pkce-client';
const CLIENT_SECRET = 'Pkce-s3cret-0123456789abcdefghijklmnop';
const CALLBACK = `http://${ownLoopbackHost()}:8738/cb`;
let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK] }] });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(async () => {
  dir = await makeTempDir();
  mock.requests.length = 0;
});

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const tokenForm = () => mock.requests.find((r) => r.path === '/oauth/token')!.form!;

async function authorizeThroughBrowser(extra: string[]) {
  const run = startCli(['authorize', '--no-open', '--client-id', CLIENT_ID, '--redirect-uri', CALLBACK, '--oauth-url', mock.oauthBaseUrl, ...extra], {
    cwd: dir,
    env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }),
  });
  const [, url] = await run.waitForOutput(AUTHORIZE_URL);
  await fetch(url!);
  const result = await run.exit;
  expect(result.code, result.stderr).toBe(0);
  return mock.requests.find((r) => r.path === '/oauth/authorize')!.query;
}

describe('authorize', () => {
  it('sends an S256 challenge, then exactly its verifier', async () => {
    const consent = await authorizeThroughBrowser([]);
    expect(consent.code_challenge_method).toBe('S256');
    const form = tokenForm();
    expect(form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(s256(form.code_verifier!)).toBe(consent.code_challenge);
  });
});
