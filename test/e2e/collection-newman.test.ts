// The committed collection, run by Newman as a Postman user would run it, against a local server
// that records exactly what arrives. Each run carries every check its variables allow: a Newman
// run is the cost here. (The scripts' branches, run one by one with a fake pm, are
// test/unit/collection-scripts.test.ts's and test/unit/collection-exchange-paste.test.ts's; the
// stock newman binary's whole run of the collection is collection-whole-api.test.ts's.)
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTION_PATH, DRIBBBLE_ENVIRONMENT_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { VARIABLES } from '../../scripts/lib/config/variables.js';
import { DOCUMENTED_EXAMPLES } from '../../scripts/lib/dribbble/api-v2.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT } from './helpers.js';

const newman = createRequire(import.meta.url)('newman');
// The committed file, parsed here: given a path, Newman guesses the file's encoding with chardet
// at each run (150 ms of CPU for this file). runWithMockEnvironment below still gives the path.
const committedCollection = () => JSON.parse(readFileSync(join(ROOT, COLLECTION_PATH), 'utf8')) as object;

interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const HEX_CODE = 'a'.repeat(32) + '0123456789abcdef0123456789abcdef';
const B64_CODE = 'C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCwg';
const TOKEN = 'f'.repeat(64);
let server: Server;
let origin = '';
let recorded: Recorded[] = [];
let issueCode = B64_CODE;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, origin);
      recorded.push({ method: req.method!, url, headers: req.headers, body });
      if (url.pathname === '/oauth/authorize') {
        const target = new URL(url.searchParams.get('redirect_uri')!);
        target.searchParams.set('code', issueCode);
        target.searchParams.set('state', url.searchParams.get('state')!);
        res.writeHead(302, { Location: target.toString() }).end();
      } else if (url.pathname === '/oauth/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', scope: 'public', created_at: 1795917456 }));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(DOCUMENTED_EXAMPLES.user));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  recorded = [];
  issueCode = B64_CODE;
});

const REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';

async function runNewman(folderNames: string[], values: Record<string, string>): Promise<{ env: Record<string, string>; failures: string[] }> {
  const base = { client_id: 'cid', client_secret: 'csecret', redirect_uri: REDIRECT, scope: 'public', oauth_origin: origin, api_origin: origin };
  const environment = { values: Object.entries({ ...base, ...values }).map(([key, value]) => ({ key, value, enabled: true })) };
  const failures: string[] = [];
  const summary = await new Promise<{ environment: { toObject(): Record<string, string> } }>((resolve, reject) => {
    newman
      .run({ collection: committedCollection(), environment, folder: folderNames, reporters: [] }, (error: Error | null, s: never) => (error ? reject(error) : resolve(s)))
      .on('assertion', (error: Error | null) => error && failures.push(error.message))
      .on('exception', (_e: unknown, args: { error: Error }) => failures.push(args.error.message));
  });
  return { env: summary.environment.toObject(), failures };
}

const form = (r: Recorded) => [...new URLSearchParams(r.body)];

describe('Exchange code for token and Get authenticated user under Newman', () => {
  it('no code_verifier: sends exactly grant_type, client_id, client_secret, code, redirect_uri; stores the token; Get user is signed with Authorization: Bearer <token>', async () => {
    const { env, failures } = await runNewman(['Exchange code for token', 'Get authenticated user'], { code: B64_CODE, code_verifier: '' });
    expect(failures).toEqual([]);
    expect(recorded.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['POST /oauth/token', 'GET /v2/user']);
    expect(recorded[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form(recorded[0]!)).toEqual([
      ['grant_type', 'authorization_code'],
      ['client_id', 'cid'],
      ['client_secret', 'csecret'],
      ['code', B64_CODE],
      ['redirect_uri', REDIRECT],
    ]);
    expect(recorded[0]!.body).not.toContain('code_verifier');
    expect(env.access_token).toBe(TOKEN);
    expect(recorded[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses a pasted URL whose state does not match, without sending the code', async () => {
    const { env, failures } = await runNewman(['Exchange code for token'], { code: `${REDIRECT}?code=${B64_CODE}&state=other`, state: 'mine' });
    expect(recorded).toHaveLength(0);
    expect(failures.join(' ')).toMatch(/state/);
    expect(env.access_token ?? '').toBe('');
  });
});

describe('Authorize under Newman', () => {
  it('with a code_verifier: sends the PKCE pair, stores the code from Location, and Exchange then sends that code and the verifier', async () => {
    const verifier = 'x'.repeat(50);
    issueCode = HEX_CODE;
    const { env, failures } = await runNewman(['Authorize', 'Exchange code for token'], { code_verifier: verifier });
    expect(failures).toEqual([]);
    expect(recorded.map((r) => r.url.pathname)).toEqual(['/oauth/authorize', '/oauth/token']);
    const query = recorded[0]!.url.searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe('cid');
    expect(query.get('redirect_uri')).toBe(REDIRECT);
    expect(query.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(query.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(new URLSearchParams(recorded[1]!.body).get('code')).toBe(HEX_CODE);
    expect(form(recorded[1]!)).toContainEqual(['code_verifier', verifier]);
    expect(env.access_token).toBe(TOKEN);
  });

  it('without a code_verifier, no PKCE pair; a redirect_uri holding ? and & goes as the same string the token form carries', async () => {
    const tricky = 'http://127.0.0.1:9/cb?a=1&b=2 c';
    const { failures } = await runNewman(['Authorize', 'Exchange code for token'], { redirect_uri: tricky, scope: 'public upload', code_verifier: '' });
    expect(failures).toEqual([]);
    const [authorize, token] = recorded;
    expect(authorize!.url.searchParams.has('code_challenge')).toBe(false);
    expect(authorize!.url.searchParams.has('code_challenge_method')).toBe(false);
    expect([...authorize!.url.searchParams.keys()]).not.toContain('b');
    expect(authorize!.url.searchParams.get('redirect_uri')).toBe(tricky);
    expect(authorize!.url.searchParams.get('scope')).toBe('public upload');
    expect(new URLSearchParams(token!.body).get('redirect_uri')).toBe(tricky);
    expect(token!.body).not.toContain('code_verifier');
  });
});

describe('the shared environment under Newman', () => {
  /** A run with typed rows, as in the committed environments; returns each row with its type. */
  async function runTyped(folderNames: string[], values: Record<string, [string, 'secret' | 'default']>) {
    const environment = { values: Object.entries(values).map(([key, [value, type]]) => ({ key, value, type, enabled: true })) };
    const failures: string[] = [];
    const summary = await new Promise<{ environment: { values: { all(): Array<{ key: string; value: unknown; type: string }> } } }>((resolve, reject) => {
      newman
        .run({ collection: committedCollection(), environment, folder: folderNames, reporters: [] }, (error: Error | null, s: never) => (error ? reject(error) : resolve(s)))
        .on('assertion', (error: Error | null) => error && failures.push(error.message))
        .on('exception', (_e: unknown, args: { error: Error }) => failures.push(args.error.message));
    });
    return { failures, rows: new Map(summary.environment.values.all().map((v) => [v.key, { value: v.value, type: v.type }])) };
  }

  // Cleared with set(key, ''), not unset: Postman keeps such a row and its type (secret), while an
  // unset row comes back typed "any". Newman itself retypes every row a script sets (its sandbox
  // reports changes as key and value only), so what a run can show is that the rows are still there.
  it('a pasted callback URL: its code is exchanged; afterwards the code and state rows are still there, emptied, so the next paste goes into the same row', async () => {
    const { failures, rows } = await runTyped(['Exchange code for token'], {
      client_id: ['cid', 'default'],
      client_secret: ['csecret', 'secret'],
      redirect_uri: [REDIRECT, 'default'],
      code: [`${REDIRECT}?code=${HEX_CODE}&state=s1`, 'secret'],
      state: ['s1', 'default'],
      access_token: ['', 'secret'],
      oauth_origin: [origin, 'default'],
    });
    expect(failures).toEqual([]);
    expect(new URLSearchParams(recorded[0]!.body).get('code')).toBe(HEX_CODE);
    expect(rows.get('code')?.value).toBe('');
    expect(rows.get('state')?.value).toBe('');
    expect(rows.get('access_token')?.value).toBe(TOKEN);
  });

  it('both committed environments load in Newman with every key', async () => {
    for (const path of [DRIBBBLE_ENVIRONMENT_PATH, MOCK_ENVIRONMENT_PATH]) {
      // An empty collection runs no request: the environment is just loaded.
      const summary = await new Promise<{ environment: { values: { map: (f: (v: { key: string }) => string) => string[] } } }>((resolve, reject) =>
        newman.run({ collection: { info: { name: 'empty', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [] }, environment: join(ROOT, path), reporters: [] }, (error: Error | null, s: never) =>
          error ? reject(error) : resolve(s),
        ),
      );
      expect(summary.environment.values.map((v) => v.key), path).toEqual(VARIABLES.map((v) => v.key));
    }
  });
});

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

// The mock in sign-in mode answers authorize like Dribbble without a session. These runs are what
// `newman run <collection> --folder OAuth --folder User -e <mock environment> --env-var k=v` does
// (the newman binary passes exactly these options to newman.run); the binary itself runs in
// collection-whole-api.test.ts.
describe('the OAuth and User folders with the committed mock environment, against a mock asking to sign in', () => {
  let signIn: MockServer;
  beforeAll(async () => {
    signIn = await startMockServer({ port: 0, signIn: true });
  });
  afterAll(() => signIn.close());

  async function runWithMockEnvironment(envVars: Record<string, string>) {
    const vars = { oauth_origin: signIn.origin, api_origin: signIn.origin, ...envVars };
    const tests: Array<{ name: string; error?: string }> = [];
    await new Promise<void>((resolve, reject) => {
      newman
        .run(
          { collection: join(ROOT, COLLECTION_PATH), folder: ['OAuth', 'User'], environment: join(ROOT, MOCK_ENVIRONMENT_PATH), envVar: Object.entries(vars).map(([key, value]) => ({ key, value })), reporters: [] },
          (error: Error | null) => (error ? reject(error) : resolve()),
        )
        .on('assertion', (error: Error | null, args: { assertion: string }) => tests.push({ name: args.assertion, ...(error ? { error: error.message } : {}) }))
        .on('exception', (_e: unknown, args: { error: Error }) => tests.push({ name: 'exception', error: args.error.message }));
    });
    return { tests, failures: tests.filter((t) => t.error) };
  }
  const tokenRequests = () => signIn.requests.filter((r) => r.path === '/oauth/token');
  const authorizeRequests = () => signIn.requests.filter((r) => r.path === '/oauth/authorize');

  it('the callback URL a browser landed on, given as code: Authorize stands aside, that very code is exchanged, Get user passes', async () => {
    const callbackUrl = await signInAndApprove(signIn);
    const code = new URL(callbackUrl).searchParams.get('code');
    signIn.requests.length = 0;
    const { tests, failures } = await runWithMockEnvironment({ code: callbackUrl });
    expect(failures).toEqual([]);
    expect(authorizeRequests()).toHaveLength(0);
    expect(tokenRequests().map((r) => r.form!.code)).toEqual([code]);
    expect(tests.map((t) => t.name)).toContain('Get authenticated user: 200 with the documented shape');
  });

  it('no code: Authorize fails saying to open its URL in a browser, and nothing is exchanged', async () => {
    signIn.requests.length = 0;
    const { failures } = await runWithMockEnvironment({});
    const authorize = failures.find((t) => t.name === 'Authorize: a sign-in or consent page, to open in a browser');
    expect(authorize?.error).toContain('a redirect to /session/new');
    expect(authorize?.error).toMatch(/Open this URL in a browser signed in to Dribbble, approve, and put the URL the browser lands on into the code variable \(Newman: --env-var code='<that URL>'\), then run again: http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?client_id=demo-client-id&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A8738/);
    expect(failures.map((t) => t.name)).toContain('Exchange: a usable code');
    expect(tokenRequests()).toHaveLength(0);
  });
});
