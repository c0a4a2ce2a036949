// `exchange`: the built CLI against the bundled mock on port 0 (and stub servers for what the mock
// never does), checking exit codes, messages, saved files and the secret promises.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_ERROR_MEANINGS } from '../../scripts/lib/dribbble/oauth-error-meanings.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { authorizeAtMock, cliEnv, makeTempDir, ownLoopbackHost, readTree, runCli, startStubServer } from './helpers.js';

const CLIENT_ID = 'test-client-id';
const CLIENT_SECRET = 'S3cr3t-client-secret-0123456789abcdef';
let clock = Date.now();
let mock: MockServer;
let hexMock: MockServer;
let dir: string;
const redirectUri = 'http://127.0.0.1:9/auth/dribbble/callback';
const otherRedirectUri = 'http://127.0.0.1:9/other/callback';
const clients = [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri, otherRedirectUri] }];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, clients, now: () => clock });
  hexMock = await startMockServer({ port: 0, clients, codeShape: 'hex' });
});
afterAll(async () => {
  await mock.close();
  await hexMock.close();
});
beforeEach(async () => {
  clock = Date.now();
  dir = await makeTempDir();
});

function flags(server: MockServer = mock, extra: string[] = []): string[] {
  return ['--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--redirect-uri', redirectUri, '--oauth-url', server.oauthBaseUrl, '--api-url', server.apiBaseUrl, ...extra];
}
const freshCode = async (server: MockServer = mock, params: { state?: string; codeChallenge?: string; redirectUri?: string } = {}) =>
  authorizeAtMock(server.oauthBaseUrl, { clientId: CLIENT_ID, redirectUri, ...params });
const exchange = (args: string[], cwd = dir) => runCli(['exchange', ...args], { cwd, env: cliEnv(cwd) });
const savedToken = async (cwd = dir) => parseDotenv(await readFile(join(cwd, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN;

describe('exchange: success', () => {
  it('exchanges a code, prints a masked token and saves it to .env with mode 0600; whoami then works', async () => {
    const { code } = await freshCode();
    const result = await exchange([...flags(), `--code=${code}`]);
    expect(result.code, result.stderr).toBe(0);
    const token = await savedToken();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stdout).toContain(`Access token: ${token!.slice(0, 4)}…${token!.slice(-4)}`);
    expect(result.stdout).toContain('scope: public');
    expect(result.stdout).not.toContain(token);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);

    const whoami = await runCli(['whoami', '--api-url', mock.apiBaseUrl], { cwd: dir, env: cliEnv(dir) });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain('Signed in as demo-designer (Demo Designer)');
    expect(whoami.stdout).toContain('Profile: https://dribbble.com/demo-designer');
    expect(whoami.stdout).toMatch(/Rate limit: 59 of 60 requests left this minute/);
  });

  it('reads everything from a Postman environment file given with --environment', async () => {
    const envFile = join(dir, 'team.postman_environment.json');
    const values = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: redirectUri, oauth_origin: mock.oauthBaseUrl, api_origin: mock.apiBaseUrl };
    await writeFile(envFile, JSON.stringify({ name: 'x', values: Object.entries(values).map(([key, value]) => ({ key, value, enabled: true })) }));
    const { code } = await freshCode();
    const result = await exchange(['--environment', envFile, `--code=${code}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(await savedToken()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--json prints exactly one JSON object with the token on stdout', async () => {
    const { code } = await freshCode();
    const result = await exchange([...flags(), `--code=${code}`, '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!);
    expect(parsed).toMatchObject({ ok: true, token_type: 'Bearer', scope: 'public', saved_to: [join(dir, '.env')] });
    expect(parsed.access_token).toBe(await savedToken());
  });

  it.each([
    ['43-character base64url', () => mock],
    ['64-hex', () => hexMock],
  ])('accepts a pasted callback URL carrying a %s code', async (_shape, server) => {
    const { location, code } = await freshCode(server());
    expect(code).toMatch(server() === hexMock ? /^[0-9a-f]{64}$/ : /^[A-Za-z0-9_-]{43}$/);
    const result = await exchange([...flags(server()), `--code=${location}`]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('--no-save writes nothing', async () => {
    const { code } = await freshCode();
    const result = await exchange([...flags(), `--code=${code}`, '--no-save']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Not saved (--no-save)');
    expect(await readTree(dir)).toEqual([]);
  });

  it('keeps every other line of an env file byte for byte, comments and CRLF included', async () => {
    const before = '# my settings\r\nFOO=bar # trailing comment\r\n\r\nexport DRIBBBLE_ACCESS_TOKEN=old\r\nQUOTED="a b"\r\nLAST=1';
    await writeFile(join(dir, '.env'), before);
    const { code } = await freshCode();
    const result = await exchange([...flags(), `--code=${code}`]);
    expect(result.code, result.stderr).toBe(0);
    const after = await readFile(join(dir, '.env'), 'utf8');
    const token = await savedToken();
    expect(after).toBe(before.replace('export DRIBBBLE_ACCESS_TOKEN=old', `export DRIBBBLE_ACCESS_TOKEN=${token}`));
  });

  it('two concurrent exchanges leave a valid env file holding one of the two tokens', async () => {
    const before = '# keep me\nOTHER=1\n';
    await writeFile(join(dir, '.env'), before);
    const [a, b] = await Promise.all([freshCode(), freshCode()]);
    const results = await Promise.all([exchange([...flags(), `--code=${a.code}`, '--json']), exchange([...flags(), `--code=${b.code}`, '--json'])]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const tokens = results.map((r) => JSON.parse(r.stdout).access_token);
    const after = await readFile(join(dir, '.env'), 'utf8');
    expect(after.match(/DRIBBBLE_ACCESS_TOKEN=/g)).toHaveLength(1);
    expect(tokens).toContain(parseDotenv(after).DRIBBBLE_ACCESS_TOKEN);
    expect(after.startsWith(before)).toBe(true);
    expect((await readTree(dir)).map((f) => f.path)).toEqual([join(dir, '.env')]); // no temporary or lock files left
  });

  it('--export-environment writes a filled Postman environment (0600) and refuses a tracked path', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    // As in this repository: a filled environment goes only where git ignores it.
    await writeFile(join(dir, '.gitignore'), '*.local.postman_environment.json\n');
    await writeFile(join(dir, 'shared.postman_environment.json'), '{}\n');
    execFileSync('git', ['add', 'shared.postman_environment.json'], { cwd: dir });
    const { code } = await freshCode();
    const refused = await exchange([...flags(), `--code=${code}`, '--export-environment', 'shared.postman_environment.json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/git tracks/);
    expect(await readFile(join(dir, 'shared.postman_environment.json'), 'utf8')).toBe('{}\n');
    await expect(stat(join(dir, '.env'))).rejects.toThrow(); // nothing saved when one target is refused

    const ok = await exchange([...flags(), `--code=${code}`, '--export-environment', 'mine.local.postman_environment.json']);
    expect(ok.code, ok.stderr).toBe(0);
    const exported = JSON.parse(await readFile(join(dir, 'mine.local.postman_environment.json'), 'utf8'));
    const get = (key: string) => exported.values.find((v: { key: string }) => v.key === key).value;
    expect(get('access_token')).toBe(await savedToken());
    expect(get('code')).toBe('');
    expect((await stat(join(dir, 'mine.local.postman_environment.json'))).mode & 0o777).toBe(0o600);
  });
});

describe('exchange: refusals and failures', () => {
  it('a reused code is invalid_grant (exit 3), says to authorize again, and leaves .env untouched', async () => {
    const { code } = await freshCode();
    expect((await exchange([...flags(), `--code=${code}`])).code).toBe(0);
    const before = await readFile(join(dir, '.env'));
    const again = await exchange([...flags(), `--code=${code}`]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('invalid_grant');
    expect(again.stderr).toContain('Authorize again');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(dir, '.env'))).toEqual(before);
  });

  it('an expired code (clock moved 11 minutes) is invalid_grant, exit 3', async () => {
    const { code } = await freshCode();
    clock += 11 * 60 * 1000;
    const result = await exchange([...flags(), `--code=${code}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/expired \(codes last about 10 minutes\)/);
  });

  it('a redirect URI that differs from the one used at authorize shows both URIs', async () => {
    const { location } = await freshCode(mock, { redirectUri: otherRedirectUri });
    const result = await exchange([...flags(), `--code=${location}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`the browser came back to ${otherRedirectUri}`);
    expect(result.stderr).toContain(`the token request sent ${redirectUri} (from --redirect-uri)`);
  });

  it('a wrong client secret is invalid_client (exit 3) and says where to find id and secret, without printing the secret', async () => {
    const { code } = await freshCode();
    const wrong = 'Wr0ng-secret-value-that-must-not-print';
    const result = await exchange([...flags(), '--client-secret', wrong, `--code=${code}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid_client');
    expect(result.stderr).toContain('Account settings > Applications');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it.each(Object.keys(OAUTH_ERROR_MEANINGS))('reports %s from the token endpoint with its meaning, exit 3', async (error) => {
    const stub = await startStubServer((_req, res) => {
      res.writeHead(error === 'invalid_client' ? 401 : 400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error, error_description: `description of ${error}` }));
    });
    try {
      const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`error [${error}]`);
      expect(result.stderr).toContain(`description of ${error}`);
      expect(result.stderr).toContain(OAUTH_ERROR_MEANINGS[error]!.slice(0, 40));
    } finally {
      await stub.close();
    }
  });

  it('a callback URL carrying error=access_denied is the server refusal, exit 3, with no request sent', async () => {
    const stub = await startStubServer((_q, res) => res.end());
    const url = `${redirectUri}?error=access_denied&error_description=The+resource+owner+denied+the+request.&code=abc`;
    const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, `--code=${url}`]);
    await stub.close();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('access_denied');
    expect(result.stderr).toContain('The resource owner denied the request.');
    expect(stub.requests).toHaveLength(0);
  });

  it.each(['mac', 'MAC', 'DPoP', ''])('token_type %j is refused (exit 5) and nothing is saved', async (tokenType) => {
    const stub = await startStubServer((_q, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(64), token_type: tokenType, scope: 'public' })),
    );
    const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc']);
    await stub.close();
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('error [unsupported_token_type]');
    expect(await readTree(dir)).toEqual([]);
  });

  it('a state that matches no pending authorization is refused, exit 3', async () => {
    const { location } = await freshCode(mock, { state: 'not-ours' });
    const result = await exchange([...flags(), `--code=${location}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('state_mismatch');
    expect(await readTree(dir)).toEqual([]);
  });

  it('a pasted URL with a pending state sends its PKCE verifier and clears the pending authorization', async () => {
    const verifier = 'v'.repeat(20) + 'erifier-for-this-test-0123456789';
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pendingPath = join(dir, 'state', 'dribbble-oauth', 'pending-authorizations.json');
    await mkdir(join(dir, 'state', 'dribbble-oauth'), { recursive: true });
    await writeFile(pendingPath, JSON.stringify([{ state: 'st4te', clientId: CLIENT_ID, redirectUri, codeVerifier: verifier, createdAt: Date.now() }]), { mode: 0o600 });
    const { location } = await freshCode(mock, { state: 'st4te', codeChallenge: challenge });
    const result = await exchange([...flags(), `--code=${location}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(pendingPath, 'utf8'))).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(verifier);
  });

  it('a pending authorization that expired is refused, exit 3', async () => {
    await mkdir(join(dir, 'state', 'dribbble-oauth'), { recursive: true });
    await writeFile(
      join(dir, 'state', 'dribbble-oauth', 'pending-authorizations.json'),
      JSON.stringify([{ state: 'old', clientId: CLIENT_ID, redirectUri, codeVerifier: 'x'.repeat(43), createdAt: Date.now() - 11 * 60 * 1000 }]),
    );
    const result = await exchange([...flags(), '--code', `${redirectUri}?code=abc&state=old`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('authorization_expired');
  });

  it.each([
    ['--client-id', 'DRIBBBLE_CLIENT_ID', ['--client-secret', 's', '--redirect-uri', redirectUri, '--code', 'c']],
    ['--client-secret', 'DRIBBBLE_CLIENT_SECRET', ['--client-id', 'i', '--redirect-uri', redirectUri, '--code', 'c']],
    ['--redirect-uri', 'DRIBBBLE_REDIRECT_URI', ['--client-id', 'i', '--client-secret', 's', '--code', 'c']],
    ['--code', 'DRIBBBLE_CODE', ['--client-id', 'i', '--client-secret', 's', '--redirect-uri', redirectUri]],
  ])('a missing input is exit 2 naming %s and %s, before any request', async (flag, variable, args) => {
    const stub = await startStubServer((_q, res) => res.end());
    const result = await exchange([...args, '--oauth-url', `${stub.origin}/oauth`]);
    await stub.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toContain(variable);
    expect(stub.requests).toHaveLength(0);
  });

  it('a malformed redirect URI or unknown flag is exit 2 with one paragraph', async () => {
    const bad = await exchange(['--client-id', 'i', '--client-secret', 's', '--redirect-uri', 'not a url', '--code', 'c']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"not a url" (from --redirect-uri) is not an http:// or https:// URL');
    const unknown = await exchange(['--client-idd', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown argument/);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('with nothing configured, one paragraph names every missing input with its flag and variable', async () => {
    const result = await exchange([]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['--client-id', 'DRIBBBLE_CLIENT_ID', '--client-secret', 'DRIBBBLE_CLIENT_SECRET', '--redirect-uri', 'DRIBBBLE_REDIRECT_URI', '--code', 'DRIBBBLE_CODE', 'npm run init']) {
      expect(result.stderr).toContain(name);
    }
  });

  it('a --timeout that is not a whole number of milliseconds is exit 2, quoting what was given', async () => {
    const result = await exchange([...flags(), '--code', 'c', '--timeout', '3s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [invalid_timeout]: --timeout must be a whole number of milliseconds from 1 to 2147483647, such as 30000 (got "3s").');
  });

  it('connection refused is exit 4', async () => {
    // A loopback address of this test's own: nothing listens there, and nothing else can.
    const result = await exchange([...flags(), '--oauth-url', `http://${ownLoopbackHost()}:9/oauth`, '--code', 'abc']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('connection_refused');
  });

  it('a DNS failure is exit 4', async () => {
    const result = await exchange([...flags(), '--oauth-url', 'http://no-such-host.invalid/oauth', '--code', 'abc']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('dns_failure');
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
  });

  it.each([
    ['an HTML page', 200, 'text/html', '<!doctype html>\n<html><body>Sign in</body></html>', 'not_json', '<!doctype html>'],
    ['a body without access_token', 200, 'application/json', '{"token_type":"bearer"}', 'no_access_token', '{"token_type":"bearer"}'],
  ])('%s is a protocol error, exit 5, with the status and first line of the body', async (_what, status, type, body, code, line) => {
    const stub = await startStubServer((_q, res) => res.writeHead(status, { 'Content-Type': type }).end(body));
    const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc']);
    await stub.close();
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`error [${code}]`);
    expect(result.stderr).toContain(`answered ${status}`);
    expect(result.stderr).toContain(line);
    expect(await readTree(dir)).toEqual([]);
  });

  it('takes a code and a secret that start with "-" as values of --code and --client-secret, not as flags', async () => {
    const stub = await startStubServer((_q, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 't'.repeat(64), token_type: 'Bearer', scope: 'public' })),
    );
    const code = '-C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCw';
    const result = await exchange(['--client-id', CLIENT_ID, '--client-secret', '--dash-secret', '--redirect-uri', redirectUri, '--oauth-url', `${stub.origin}/oauth`, '--code', code, '--no-save']);
    await stub.close();
    expect(result.code, result.stderr).toBe(0);
    const form = new URLSearchParams(stub.requests[0]!.body);
    expect(form.get('code')).toBe(code);
    expect(form.get('client_secret')).toBe('--dash-secret');
  });

  it('accepts token_type in any case, as old servers send "bearer"', async () => {
    const stub = await startStubServer((_q, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'a'.repeat(64), token_type: 'bearer', scope: 'public' })),
    );
    const result = await exchange([...flags(), '--oauth-url', `${stub.origin}/oauth`, '--code', 'abc']);
    await stub.close();
    expect(result.code, result.stderr).toBe(0);
    expect(await savedToken()).toBe('a'.repeat(64));
  });
});

const lowerHex = (secret: string) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

describe('exchange: secrets', () => {
  it('no secret appears in full in anything printed or written, except the token in .env and under --json', async () => {
    await writeFile(join(dir, '.env'), `DRIBBBLE_CLIENT_SECRET=${CLIENT_SECRET}\n`);
    const { code } = await freshCode();
    const result = await exchange(['--client-id', CLIENT_ID, '--redirect-uri', redirectUri, '--oauth-url', mock.oauthBaseUrl, `--code=${code}`]);
    expect(result.code, result.stderr).toBe(0);
    const token = (await savedToken())!;
    const printed = result.stdout + result.stderr;
    for (const secret of [CLIENT_SECRET, code, token]) expect(printed).not.toContain(secret);
    const files = await readTree(dir);
    expect(files.map((f) => f.path)).toEqual([join(dir, '.env')]);
    expect(files[0]!.content).not.toContain(code);
    expect(files[0]!.content).toBe(`DRIBBBLE_CLIENT_SECRET=${CLIENT_SECRET}\nDRIBBBLE_ACCESS_TOKEN=${token}\n`);

    // Failures print no secret either, whatever the server echoes back.
    const echo = await startStubServer((_q, res, body) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`boom: ${body}`));
    const failed = await exchange(['--client-id', CLIENT_ID, '--redirect-uri', redirectUri, '--oauth-url', `${echo.origin}/oauth`, `--code=${code}`, '--json']);
    await echo.close();
    expect(failed.code).toBe(4);
    expect(failed.stdout + failed.stderr).not.toContain(CLIENT_SECRET);
    expect(failed.stdout + failed.stderr).not.toContain(code);
    expect(failed.stderr).toContain(`boom: grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=S3cr…cdef&code=${code.slice(0, 4)}…`);
  });

  it.each([
    ['+/=', 'Pl+s/Sl4sh=Eq+0123456789abcdef=='],
    ['spaces and &', 'sp ace&amp;and%percent-0123456789'],
  ])('a secret with %s is masked in every spelling a server can echo: raw, percent-encoded, form-encoded, JSON', async (_what, secret) => {
    // Newman sends %20 for a space; a server may echo the body decoded and re-encoded as a form, with "+".
    const spellings = { raw: secret, uri: encodeURIComponent(secret), lower: lowerHex(secret), plus: new URLSearchParams({ s: secret }).toString().slice(2), json: JSON.stringify(secret).slice(1, -1) };
    if (secret.includes(' ')) expect(spellings.plus).toMatch(/^sp\+ace/);
    const echo = await startStubServer((_q, res, body) =>
      res
        .writeHead(400, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_request', error_description: `form=${body} ${Object.entries(spellings).map(([name, form]) => `${name}=${form}`).join(' ')}` })),
    );
    const result = await runCli(['exchange', '--client-id', CLIENT_ID, '--redirect-uri', redirectUri, '--oauth-url', `${echo.origin}/oauth`, '--code', 'abc'], { cwd: dir, env: cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: secret }) });
    await echo.close();
    expect(result.code).toBe(3);
    const printed = result.stdout + result.stderr;
    expect(result.stderr).toContain('form=grant_type=authorization_code');
    // Each spelling was printed, in its place, as the mask.
    const mask = `${secret.slice(0, 4)}…${secret.slice(-4)}`;
    for (const name of Object.keys(spellings)) expect(result.stderr).toContain(`${name}=${mask}`);
    for (const form of Object.values(spellings)) expect(printed).not.toContain(form);
  });

  it('--show-token prints the token in full when asked', async () => {
    const { code } = await freshCode();
    const result = await exchange([...flags(), `--code=${code}`, '--show-token']);
    expect(result.stdout).toContain(`Access token: ${await savedToken()} `);
  });
});
