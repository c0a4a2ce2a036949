// `exchange` as whole runs of the built CLI against the bundled mock on port 0 (and stub servers
// for what the mock never does): exit codes, streams, files on disk and their modes, what reached
// the servers, and no secret in any byte printed or written. Each run carries every assertion it
// can; what a module decides alone is tested in process: test/unit/exchange-preflight.test.ts,
// token-endpoint-answers.test.ts, pending-authorization-match.test.ts, mock-token-codes.test.ts.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_ERROR_MEANINGS } from '../../scripts/lib/dribbble/oauth-error-meanings.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { authorizeAtMock, cliEnv, makeTempDir, readTree, runCli, startStubServer } from './helpers.js';

const CLIENT_ID = 'test-client-id';
const CLIENT_SECRET = 'S3cr3t-client-secret-0123456789abcdef';
let mock: MockServer;
let hexMock: MockServer;
let dir: string;
const redirectUri = 'http://127.0.0.1:9/auth/dribbble/callback';
const clients = [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] }];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients });
  hexMock = await startMockServer({ port: 0, clients, codeShape: 'hex' });
});
afterAll(async () => {
  await mock.close();
  await hexMock.close();
});
beforeEach(async () => {
  dir = await makeTempDir();
});

function flags(server: MockServer = mock, extra: string[] = []): string[] {
  return ['--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--redirect-uri', redirectUri, '--oauth-url', server.oauthBaseUrl, '--api-url', server.apiBaseUrl, ...extra];
}
const freshCode = async (server: MockServer = mock, params: { state?: string; codeChallenge?: string } = {}) => authorizeAtMock(server.oauthBaseUrl, { clientId: CLIENT_ID, redirectUri, ...params });
const exchange = (args: string[], cwd = dir) => runCli(['exchange', ...args], { cwd, env: cliEnv(cwd) });
// The warning about a client secret given on the command line (a code there gets its own).
const secretWarnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: --client-secret'));

describe('exchange: success', () => {
  it('saves the token (0600) changing only its line of .env, writes the export, sends the pending verifier and clears it, prints the token masked, and no secret anywhere else', async () => {
    // The secret comes from .env (not the command line); the file has comments, CRLF, an export.
    const before = `# my settings\r\nFOO=bar # trailing comment\r\n\r\nDRIBBBLE_CLIENT_SECRET=${CLIENT_SECRET}\r\nexport DRIBBBLE_ACCESS_TOKEN=old\r\nQUOTED="a b"\r\nLAST=1`;
    await writeFile(join(dir, '.env'), before);
    // The state folder lives outside `dir`, so that `dir` holds exactly what the run saved.
    const stateHome = await makeTempDir();
    const pendingPath = join(stateHome, 'dribbble-oauth', 'pending-authorizations.json');
    const verifier = 'v'.repeat(20) + 'erifier-for-this-test-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const entry = (state: string, extra: Record<string, unknown> = {}) => ({ state, clientId: CLIENT_ID, redirectUri, codeVerifier: verifier, createdAt: Date.now(), ...extra });
    await mkdir(join(stateHome, 'dribbble-oauth'), { recursive: true, mode: 0o700 });
    await writeFile(pendingPath, JSON.stringify([entry('st4te'), entry('stale', { createdAt: Date.now() - 11 * 60 * 1000 }), entry('other-live', { clientId: 'another-app' })]), { mode: 0o600 });
    const { location, code } = await freshCode(mock, { state: 'st4te', codeChallenge: challenge });
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    mock.requests.length = 0;

    const result = await runCli(
      ['exchange', '--client-id', CLIENT_ID, '--redirect-uri', redirectUri, '--oauth-url', mock.oauthBaseUrl, `--code=${location}`, '--export-environment', 'mine.local.postman_environment.json'],
      { cwd: dir, env: cliEnv(dir, { XDG_STATE_HOME: stateHome }) },
    );
    expect(result.code, result.stderr).toBe(0);
    const after = await readFile(join(dir, '.env'), 'utf8');
    const token = parseDotenv(after).DRIBBBLE_ACCESS_TOKEN!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(after).toBe(before.replace('export DRIBBBLE_ACCESS_TOKEN=old', `export DRIBBBLE_ACCESS_TOKEN=${token}`));
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain(`Access token: ${token.slice(0, 4)}…${token.slice(-4)}`);
    expect(result.stdout).toContain('scope: public');
    expect(secretWarnings(result.stderr)).toEqual([]);

    // PKCE: exactly the pending verifier went with the code; its entry is gone, the stale one pruned.
    expect(mock.requests.find((r) => r.path === '/oauth/token')!.form!.code_verifier).toBe(verifier);
    expect(JSON.parse(await readFile(pendingPath, 'utf8')).map((e: { state: string }) => e.state)).toEqual(['other-live']);

    const exportPath = join(dir, 'mine.local.postman_environment.json');
    const exported = JSON.parse(await readFile(exportPath, 'utf8'));
    const get = (key: string) => exported.values.find((v: { key: string }) => v.key === key).value;
    expect(get('access_token')).toBe(token);
    expect(get('code')).toBe('');
    expect((await stat(exportPath)).mode & 0o777).toBe(0o600);

    const printed = result.stdout + result.stderr;
    for (const secret of [CLIENT_SECRET, code, token, verifier]) expect(printed).not.toContain(secret);
    const files = await readTree(dir);
    expect(files.map((f) => f.path).sort()).toEqual([join(dir, '.env'), exportPath]);
    for (const f of files) for (const secret of [code, verifier]) expect(f.content).not.toContain(secret);
  });

  it('two concurrent exchanges (a Postman environment with a pasted 64-hex code, and flags) leave one valid .env holding one token; --json is one object', async () => {
    const before = '# keep me\nOTHER=1\n';
    await writeFile(join(dir, '.env'), before);
    const envFile = join(dir, 'team.postman_environment.json');
    const values = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: redirectUri, oauth_origin: hexMock.oauthBaseUrl, api_origin: hexMock.apiBaseUrl };
    await writeFile(envFile, JSON.stringify({ name: 'x', values: Object.entries(values).map(([key, value]) => ({ key, value, enabled: true })) }));
    const [hex, bare] = await Promise.all([freshCode(hexMock), freshCode(mock)]);
    expect(hex.code).toMatch(/^[0-9a-f]{64}$/);
    const results = await Promise.all([exchange(['--environment', envFile, `--code=${hex.location}`, '--json']), exchange([...flags(), `--code=${bare.code}`, '--json'])]);
    const tokens: string[] = [];
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const parsed = JSON.parse(lines[0]!);
      expect(parsed).toMatchObject({ ok: true, token_type: 'Bearer', scope: 'public', saved_to: [join(dir, '.env')] });
      tokens.push(parsed.access_token);
    }
    // A secret on the command line still works, with one warning line; from a file, none.
    expect(secretWarnings(results[0]!.stderr)).toEqual([]);
    expect(secretWarnings(results[1]!.stderr)).toHaveLength(1);
    expect(secretWarnings(results[1]!.stderr)[0]).toContain('--client-secret on the command line is visible');
    const after = await readFile(join(dir, '.env'), 'utf8');
    expect(after.match(/DRIBBBLE_ACCESS_TOKEN=/g)).toHaveLength(1);
    expect(tokens).toContain(parseDotenv(after).DRIBBBLE_ACCESS_TOKEN);
    expect(after.startsWith(before)).toBe(true);
    expect((await readTree(dir)).map((f) => f.path).sort()).toEqual([join(dir, '.env'), envFile]); // no temporary or lock files left
  });
});

const lowerHex = (secret: string) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

describe('exchange: refusals and failures', () => {
  it('a refusal echoing the form prints the OAuth error with its meaning, exit 3, every spelling of the secret and the code masked, and changes no file; a code starting with "-" is sent as given, and --no-pkce sends no verifier despite a pending authorization', async () => {
    // Newman sends %20 for a space; a server may echo the body decoded and re-encoded as a form, with "+".
    const secret = 'sp ace&amp;and%percent-0123456789';
    const code = '-C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCw';
    const spellings = { raw: secret, uri: encodeURIComponent(secret), lower: lowerHex(secret), plus: new URLSearchParams({ s: secret }).toString().slice(2), json: JSON.stringify(secret).slice(1, -1) };
    expect(spellings.plus).toMatch(/^sp\+ace/);
    const echo = await startStubServer((_q, res, body) =>
      res
        .writeHead(400, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_request', error_description: `form=${body} ${Object.entries(spellings).map(([name, form]) => `${name}=${form}`).join(' ')}` })),
    );
    const before = `DRIBBBLE_CLIENT_SECRET="${secret}"\nDRIBBBLE_ACCESS_TOKEN=old\n`;
    await writeFile(join(dir, '.env'), before);
    // A live pending authorization of this app, whose verifier a bare code would otherwise borrow.
    await mkdir(join(dir, 'state', 'dribbble-oauth'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'state', 'dribbble-oauth', 'pending-authorizations.json'), JSON.stringify([{ state: 'one', clientId: CLIENT_ID, redirectUri, codeVerifier: `verifier-${'v'.repeat(40)}`, createdAt: Date.now() }]), { mode: 0o600 });
    const files = await readTree(dir);
    const result = await exchange(['--client-id', CLIENT_ID, '--redirect-uri', redirectUri, '--oauth-url', `${echo.origin}/oauth`, '--code', code, '--json', '--no-pkce']);
    await echo.close();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error [invalid_request]');
    expect(result.stderr).toContain(OAUTH_ERROR_MEANINGS.invalid_request!);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'invalid_request', exitCode: 3 } });
    // The echo carries the form sent: the secret and the code went, and come back masked.
    expect(result.stderr).toContain('form=grant_type=authorization_code');
    expect(echo.requests).toHaveLength(1);
    const form = new URLSearchParams(echo.requests[0]!.body);
    expect(form.get('code')).toBe(code);
    expect(form.get('client_secret')).toBe(secret);
    expect([...form.keys()]).not.toContain('code_verifier');
    const mask = `${secret.slice(0, 4)}…${secret.slice(-4)}`;
    for (const name of Object.keys(spellings)) expect(result.stderr).toContain(`${name}=${mask}`);
    const printed = result.stdout + result.stderr;
    for (const form of [...Object.values(spellings), code]) expect(printed).not.toContain(form);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(before);
    expect(await readTree(dir)).toEqual(files);
  });

  it('a server that does not answer within --timeout is exit 4', async () => {
    const stub = await startStubServer(() => {
      /* never answers */
    });
    const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc', '--timeout', '300']);
    await stub.close();
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('error [timeout]');
    expect(result.stderr).toContain('Waited 300 ms');
    expect(await readTree(dir)).toEqual([]);
  });

  it('with nothing configured: exit 2 before any request, one paragraph naming every missing input with its flag and variable', async () => {
    const stub = await startStubServer((_q, res) => res.end());
    const result = await runCli(['exchange', '--oauth-url', `${stub.origin}/oauth`], { cwd: dir, env: cliEnv(dir) });
    await stub.close();
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['--client-id', 'DRIBBBLE_CLIENT_ID', '--client-secret', 'DRIBBBLE_CLIENT_SECRET', '--redirect-uri', 'DRIBBBLE_REDIRECT_URI', '--code', 'DRIBBBLE_CODE', 'npm run init']) {
      expect(result.stderr).toContain(name);
    }
    expect(stub.requests).toHaveLength(0);
    expect(await readTree(dir)).toEqual([]);
  });
});
