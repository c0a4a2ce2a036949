// PKCE from the CLI's side, asserted on what the servers received (not on the mock refusing): the
// token form carries the verifier exactly when the consent URL carried its challenge, never empty.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, cliEnv, makeTempDir, ownLoopbackHost, runCli, startCli, startStubServer } from './helpers.js';

const CLIENT_ID = 'pkce-client';
const CLIENT_SECRET = 'Pkce-s3cret-0123456789abcdefghijklmnop';
const CALLBACK = `http://${ownLoopbackHost()}:8738/cb`;
const OTHER_CALLBACK = 'http://127.0.0.1:9/other';
let mock: MockServer;
let stub: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK] }] });
  stub = await startStubServer((_q, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer' })));
});
afterAll(async () => {
  await mock.close();
  await stub.close();
});
beforeEach(async () => {
  dir = await makeTempDir();
  mock.requests.length = 0;
  stub.requests.length = 0;
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

  it('--no-pkce: neither a challenge nor a verifier key', async () => {
    const consent = await authorizeThroughBrowser(['--no-pkce']);
    expect(Object.keys(consent)).not.toContain('code_challenge');
    expect(Object.keys(consent)).not.toContain('code_challenge_method');
    expect(Object.keys(tokenForm())).not.toContain('code_verifier');
  });
});

describe('exchange and pending authorizations', () => {
  const pendingFile = () => join(dir, 'state', 'dribbble-oauth', 'pending-authorizations.json');
  async function pending(entries: Array<Record<string, unknown>>) {
    await mkdir(join(dir, 'state', 'dribbble-oauth'), { recursive: true });
    await writeFile(pendingFile(), JSON.stringify(entries), { mode: 0o600 });
  }
  const entry = (state: string, extra: Record<string, unknown> = {}) => ({ state, clientId: CLIENT_ID, redirectUri: CALLBACK, codeVerifier: `verifier-${state}-${'v'.repeat(40)}`, createdAt: Date.now(), ...extra });
  const exchange = (code: string, extra: string[] = []) =>
    runCli(['exchange', '--client-id', CLIENT_ID, '--redirect-uri', CALLBACK, '--oauth-url', `${stub.origin}/oauth`, '--code', code, '--no-save', ...extra], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }),
    });
  const sentForm = () => Object.fromEntries(new URLSearchParams(stub.requests[0]!.body));

  it('a bare code borrows the verifier of the single live authorization of this app', async () => {
    await pending([entry('one')]);
    expect((await exchange('bare-code')).code).toBe(0);
    expect(sentForm().code_verifier).toBe(entry('one').codeVerifier);
  });

  it('--no-pkce sends no verifier, even with a pending authorization', async () => {
    await pending([entry('one')]);
    expect((await exchange('bare-code', ['--no-pkce'])).code).toBe(0);
    expect(Object.keys(sentForm())).not.toContain('code_verifier');
  });

  it.each([
    ['two live authorizations (which one is unknowable)', [entry('one'), entry('two')]],
    ['one for another client', [entry('one', { clientId: 'someone-else' })]],
    ['one for another redirect URI', [entry('one', { redirectUri: OTHER_CALLBACK })]],
    ['an expired one', [entry('one', { createdAt: Date.now() - 11 * 60 * 1000 })]],
    ['none', []],
  ])('a bare code with %s sends no verifier key at all', async (_what, entries) => {
    await pending(entries);
    const result = await exchange('bare-code');
    expect(result.code, result.stderr).toBe(0);
    expect(stub.requests[0]!.body).not.toContain('code_verifier');
  });

  it('a pasted URL whose state belongs to another client is refused (exit 3), nothing sent', async () => {
    await pending([entry('st', { clientId: 'someone-else' })]);
    const result = await exchange(`${CALLBACK}?code=abc&state=st`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [state_mismatch]');
    expect(stub.requests).toHaveLength(0);
  });

  it('after a saved exchange the pending entry is removed and expired ones are pruned', async () => {
    await pending([entry('used'), entry('stale', { createdAt: Date.now() - 11 * 60 * 1000 }), entry('other-live', { clientId: 'another-app' })]);
    const result = await runCli(['exchange', '--client-id', CLIENT_ID, '--redirect-uri', CALLBACK, '--oauth-url', `${stub.origin}/oauth`, '--code', `${CALLBACK}?code=abc&state=used`], {
      cwd: dir,
      env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: CLIENT_SECRET }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(sentForm().code_verifier).toBe(entry('used').codeVerifier);
    expect(JSON.parse(await readFile(pendingFile(), 'utf8')).map((e: { state: string }) => e.state)).toEqual(['other-live']);
  });
});
