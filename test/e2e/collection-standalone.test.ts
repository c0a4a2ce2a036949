// The collection on its own: a stock `newman run` (the CLI binary from node_modules, not our
// runner) of the whole collection against the mock in both modes, and the Postman SDK with no
// environment. What the mock received is the evidence.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT, authorizeAtMock } from './helpers.js';
import { allItems } from '../../scripts/lib/postman/collection-types.js';

const NEWMAN_BIN = join(createRequire(import.meta.url).resolve('newman/package.json'), '..', 'bin', 'newman.js');
const COLLECTION = join(ROOT, COLLECTION_PATH);
let auto: MockServer;
let signIn: MockServer;

beforeAll(async () => {
  auto = await startMockServer({ port: 0 });
  signIn = await startMockServer({ port: 0, signIn: true });
});
afterAll(async () => {
  await auto.close();
  await signIn.close();
});

/**
 * `newman run` as a user types it, with the committed mock environment and --env-var overrides:
 * the OAuth and User folders (the whole API is collection-whole-api.test.ts's).
 */
function stockNewman(mock: MockServer, envVars: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const vars = { oauth_origin: mock.origin, api_origin: mock.origin, ...envVars };
  const args = [NEWMAN_BIN, 'run', COLLECTION, '--folder', 'OAuth', '--folder', 'User', '-e', join(ROOT, MOCK_ENVIRONMENT_PATH), '--reporters', 'cli', '--reporter-cli-no-banner', '--color', 'off', ...Object.entries(vars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`])];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }));
  });
}

const tokenRequests = (mock: MockServer) => mock.requests.filter((r) => r.path === '/oauth/token');
const authorizeRequests = (mock: MockServer) => mock.requests.filter((r) => r.path === '/oauth/authorize');

/** What a person does in a browser on Dribbble without a session: sign in, approve, land on the callback. */
async function signInAndApprove(mock: MockServer): Promise<string> {
  const consent = new URL(`${mock.oauthBaseUrl}/authorize`);
  consent.search = new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', scope: 'public', state: 'browser-state' }).toString();
  const toSignIn = await fetch(consent, { redirect: 'manual' });
  expect(toSignIn.headers.get('location')).toMatch(/^\/session\/new\?return_to=/);
  const signInPage = await fetch(new URL(toSignIn.headers.get('location')!, mock.origin));
  expect(await signInPage.text()).toContain('Sign in');
  const signedIn = await fetch(`${mock.origin}/session`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ return_to: `${consent.pathname}${consent.search}` }) });
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const landed = await fetch(new URL(signedIn.headers.get('location')!, mock.origin), { redirect: 'manual', headers: { cookie } });
  return landed.headers.get('location')!;
}

describe('a stock newman run of the OAuth and User folders', () => {
  it('mock that approves at once, no code given: Authorize gets the code, Exchange and Get user pass (exit 0)', async () => {
    auto.requests.length = 0;
    const result = await stockNewman(auto);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('✓  Authorize: redirected with a code and the state we sent');
    expect(result.output).toContain('✓  Get authenticated user: 200 with the documented shape');
    expect(auto.requests.map((r) => r.path)).toEqual(['/oauth/authorize', '/oauth/token', '/v2/user']);
    expect(tokenRequests(auto)[0]!.form!.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a bare code given with --env-var: Authorize stands aside and that very code is exchanged (exit 0)', async () => {
    const { code } = await authorizeAtMock(auto.oauthBaseUrl, { clientId: MOCK_DEMO_CLIENT.clientId, redirectUri: MOCK_DEMO_CLIENT.redirectUri });
    auto.requests.length = 0;
    const result = await stockNewman(auto, { code });
    expect(result.code, result.output).toBe(0);
    expect(authorizeRequests(auto)).toHaveLength(0);
    expect(tokenRequests(auto).map((r) => r.form!.code)).toEqual([code]);
  });

  it('sign-in mode, the callback URL a browser landed on given with --env-var: exit 0, that very code exchanged', async () => {
    const callbackUrl = await signInAndApprove(signIn);
    const code = new URL(callbackUrl).searchParams.get('code');
    signIn.requests.length = 0;
    const result = await stockNewman(signIn, { code: callbackUrl });
    expect(result.code, result.output).toBe(0);
    expect(authorizeRequests(signIn)).toHaveLength(0);
    expect(tokenRequests(signIn).map((r) => r.form!.code)).toEqual([code]);
    expect(result.output).toContain('✓  Get authenticated user: 200 with the documented shape');
  });

  it('sign-in mode, no code: Authorize fails saying to open its URL in a browser, and nothing is exchanged', async () => {
    signIn.requests.length = 0;
    const result = await stockNewman(signIn);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Authorize: a sign-in or consent page, to open in a browser');
    expect(result.output).toContain('a redirect to /session/new');
    expect(result.output).toMatch(/Open this URL in a browser signed in to Dribbble, approve, and put the URL the browser lands on into the code variable \(Newman: --env-var code='<that URL>'\), then run again: http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?client_id=demo-client-id&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A8738/);
    expect(result.output).toContain('Exchange: a usable code');
    expect(tokenRequests(signIn)).toHaveLength(0);
  });

  it.each([
    ['an unknown client_id', { client_id: 'nobody' }, 'Check client_id against your application'],
    ['a redirect_uri that is not registered', { redirect_uri: 'http://127.0.0.1:9/elsewhere' }, 'Check redirect_uri: it must be exactly the Callback URL registered'],
  ])('Authorize tells apart %s', async (_what, vars, text) => {
    const result = await stockNewman(auto, vars);
    expect(result.code).toBe(1);
    expect(result.output).toContain(text);
  });
});

describe('the collection in the Postman SDK, with no environment', () => {
  it('resolves every URL from its own variables', async () => {
    const { Collection, Property } = createRequire(import.meta.url)('postman-collection');
    const collection = new Collection(JSON.parse(await readFile(COLLECTION, 'utf8')));
    const urls: string[] = [];
    collection.forEachItem((item: { request: { url: { toString(): string } } }) => urls.push(Property.replaceSubstitutions(item.request.url.toString(), collection.variables)));
    expect(urls[0]).toMatch(/^https:\/\/dribbble\.com\/oauth\/authorize\?/);
    expect(urls[0]).toContain('scope=public');
    expect(urls[1]).toBe('https://dribbble.com/oauth/token');
    expect(urls[2]).toBe('https://api.dribbble.com/v2/user');
  });

  it('has saved examples on every request, success and errors', async () => {
    const json = JSON.parse(await readFile(COLLECTION, 'utf8'));
    const codes = allItems(json.item).slice(0, 3).map((item) => item.response.map((r) => r.code));
    expect(codes).toEqual([
      [302, 302, 302, 401, 400],
      [200, 400, 401, 400],
      [200, 401, 429],
    ]);
  });
});
