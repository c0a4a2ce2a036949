// Sharing through git without leaking: check-secrets (and its pre-commit hook) on realistic Postman
// exports, sanitize, and profiles end to end.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { ROOT, authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

const SECRET = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const TOKEN = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
let repo: string;

/** A Postman environment as the app exports it: current values filled, export metadata included. */
const environmentExport = () => ({
  id: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
  name: 'Dribbble (Ana)',
  values: [
    { key: 'api_origin', value: 'https://api.dribbble.com', type: 'default', enabled: true },
    { key: 'client_secret', value: SECRET, type: 'default', enabled: true },
    { key: 'client_id', value: 'ana-client-id', type: 'default', enabled: true },
    { key: 'access_token', value: TOKEN, type: 'secret', enabled: true },
    { key: 'my_extra', value: 'kept', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
  _postman_exported_at: '2026-11-28T09:14:03.512Z',
  _postman_exported_using: 'Postman/11.20.0',
});

/** Our collection after Postman's "Get New Access Token" > "Use Token", exported. */
async function collectionExport() {
  const collection = JSON.parse(await readFile(join(ROOT, 'collections', 'dribbble-oauth.postman_collection.json'), 'utf8'));
  collection.info._exporter_id = '12345678';
  collection.auth.oauth2.find((e: { key: string }) => e.key === 'accessToken').value = TOKEN;
  return collection;
}

function git(...args: string[]) {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
}
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: repo, env: cliEnv(repo, env) });

beforeEach(async () => {
  repo = await makeTempDir();
  git('init', '-q');
});

describe('check-secrets', () => {
  it('finds a filled secret in an environment export, a literal token in a collection auth, naming file and key, masked; exit 2', async () => {
    await writeFile(join(repo, 'ana.postman_environment.json'), JSON.stringify(environmentExport(), null, '\t'));
    await writeFile(join(repo, 'dribbble.postman_collection.json'), JSON.stringify(await collectionExport(), null, '\t'));
    git('add', '.');
    const result = await cli(['check-secrets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [secrets_found]');
    expect(result.stderr).toContain(`ana.postman_environment.json: values["client_secret"] = ${SECRET.slice(0, 4)}…${SECRET.slice(-4)} (a filled value for the secret "client_secret")`);
    expect(result.stderr).toContain('ana.postman_environment.json: values["access_token"]');
    expect(result.stderr).toContain("dribbble.postman_collection.json: auth.oauth2.accessToken = 9a8b…9a8b (a literal token in the auth");
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('finds the user\'s own .env secret in any tracked file, a tracked .env, and token-shaped strings in Postman files', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n`);
    await writeFile(join(repo, 'notes.md'), `pasted by mistake: ${SECRET}\n`);
    await writeFile(join(repo, 'other.postman_environment.json'), JSON.stringify({ name: 'x', values: [{ key: 'note', value: `Bearer ${'A'.repeat(43)}`, type: 'default' }] }));
    git('add', '-f', '.env', 'notes.md', 'other.postman_environment.json');
    const result = await cli(['check-secrets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.env: the whole file (an env file is tracked');
    expect(result.stderr).toContain('notes.md: DRIBBBLE_CLIENT_SECRET = f3e2…f3e2 (the value of your own DRIBBBLE_CLIENT_SECRET)');
    expect(result.stderr).toContain('other.postman_environment.json: line 1 = AAAA…AAAA (a token-shaped string (43 base64url characters))');
  });

  it('passes on this project\'s own committed files (the mock\'s public demo values and the examples are not secrets)', async () => {
    const result = await runCli(['check-secrets'], { cwd: ROOT, env: cliEnv(repo) });
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('the pre-commit hook', () => {
  it('refuses a commit carrying a filled client_secret, naming file and key; after sanitize the commit goes through', async () => {
    const install = await cli(['check-secrets', '--install-hook']);
    expect(install.code, install.stderr).toBe(0);
    const file = join(repo, 'environments', 'team.postman_environment.json');
    await execFileSync('mkdir', ['-p', join(repo, 'environments')]);
    await writeFile(file, JSON.stringify(environmentExport(), null, '\t'));
    git('add', '.');
    const refused = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'share env'], { cwd: repo, encoding: 'utf8', env: cliEnv(repo) });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('environments/team.postman_environment.json: values["client_secret"]');
    expect(() => git('rev-parse', 'HEAD')).toThrow(); // nothing was committed

    const sanitized = await cli(['sanitize', file]);
    expect(sanitized.code, sanitized.stderr).toBe(0);
    git('add', '.');
    const accepted = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'share env'], { cwd: repo, encoding: 'utf8', env: cliEnv(repo) });
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(git('show', 'HEAD:environments/team.postman_environment.json')).not.toContain(SECRET);
  });

  it('leaves a hook that is not ours alone', async () => {
    await writeFile(join(repo, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho mine\n');
    const result = await cli(['check-secrets', '--install-hook']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [hook_exists]');
    expect(await readFile(join(repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });
});

describe('sanitize', () => {
  it('empties and types secrets, drops export noise, orders keys like ours, keeps the rest; --check before and after', async () => {
    const file = join(repo, 'ana.postman_environment.json');
    await writeFile(file, JSON.stringify(environmentExport(), null, '\t'));
    expect((await cli(['sanitize', '--check', file])).code).toBe(2);
    const result = await cli(['sanitize', file]);
    expect(result.code, result.stderr).toBe(0);
    const clean = JSON.parse(await readFile(file, 'utf8'));
    expect(clean).toEqual({
      id: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
      name: 'Dribbble (Ana)',
      values: [
        { key: 'client_id', value: 'ana-client-id', type: 'default', enabled: true },
        { key: 'client_secret', value: '', type: 'secret', enabled: true },
        { key: 'access_token', value: '', type: 'secret', enabled: true },
        { key: 'api_origin', value: 'https://api.dribbble.com', type: 'default', enabled: true },
        { key: 'my_extra', value: 'kept', type: 'default', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    });
    expect((await cli(['sanitize', '--check', file])).code).toBe(0);
    const again = await readFile(file);
    await cli(['sanitize', file]);
    expect((await readFile(file)).equals(again)).toBe(true); // idempotent: the same bytes
  });

  it('puts {{access_token}} back into a collection\'s auth and drops the exporter id; the result is our committed collection', async () => {
    const file = join(repo, 'dribbble.postman_collection.json');
    await writeFile(file, JSON.stringify(await collectionExport(), null, '\t'));
    await execFileSync('chmod', ['644', file]);
    const result = await cli(['sanitize', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(await readFile(join(ROOT, 'collections', 'dribbble-oauth.postman_collection.json'), 'utf8'));
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it('refuses a file that is not a Postman environment or collection, changing nothing', async () => {
    await writeFile(join(repo, 'package.json'), '{"name":"x"}');
    const result = await cli(['sanitize', 'package.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a Postman environment or collection');
    expect(await readFile(join(repo, 'package.json'), 'utf8')).toBe('{"name":"x"}');
  });
});

describe('profiles', () => {
  let mock: MockServer;
  const staging = { clientId: 'staging-app', clientSecret: 'staging-secret-0123456789abcdef', redirectUris: ['http://127.0.0.1:9/staging'] };
  const production = { clientId: 'production-app', clientSecret: 'production-secret-0123456789abcd', redirectUris: ['http://127.0.0.1:9/production'] };
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, clients: [staging, production] });
  });
  afterAll(() => mock.close());

  it('init, exchange, whoami and profiles each use the selected profile\'s own env file', async () => {
    for (const [name, app] of [['staging', staging], ['production', production]] as const) {
      const init = await runCli(['init', '--profile', name, '--client-id', app.clientId, '--client-secret', '-', '--redirect-uri', app.redirectUris[0]!], { cwd: repo, env: cliEnv(repo), input: `${app.clientSecret}\n` });
      expect(init.code, init.stderr).toBe(0);
      expect(init.stdout).toContain(`Next: npm run authorize -- --profile ${name}`);
    }
    expect(parseDotenv(await readFile(join(repo, '.env.staging'))).DRIBBBLE_CLIENT_ID).toBe('staging-app');
    expect(parseDotenv(await readFile(join(repo, '.env.production'))).DRIBBBLE_CLIENT_ID).toBe('production-app');

    const { code } = await authorizeAtMock(mock.oauthBaseUrl, { clientId: staging.clientId, redirectUri: staging.redirectUris[0]! });
    const exchange = await cli(['exchange', '--profile', 'staging', '--oauth-url', mock.oauthBaseUrl], { DRIBBBLE_CODE: code });
    expect(exchange.code, exchange.stderr).toBe(0);
    expect(exchange.stdout).toContain(`Saved to ${join(repo, '.env.staging')}`);
    expect(parseDotenv(await readFile(join(repo, '.env.production'))).DRIBBBLE_ACCESS_TOKEN).toBeUndefined();

    const whoami = await cli(['whoami', '--api-url', mock.apiBaseUrl], { DRIBBBLE_PROFILE: 'staging' });
    expect(whoami.code, whoami.stderr).toBe(0);
    const noToken = await cli(['whoami', '--api-url', mock.apiBaseUrl, '--profile', 'production']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('DRIBBBLE_ACCESS_TOKEN');

    const list = await cli(['profiles']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^production {2}\(\.env\.production\)\n {2}DRIBBBLE_CLIENT_ID +production-app\n {2}DRIBBBLE_CLIENT_SECRET +prod…abcd\n/m);
    expect(list.stdout).toMatch(/^staging {2}\(\.env\.staging\)/m);
    expect(list.stdout).toMatch(/DRIBBBLE_ACCESS_TOKEN +[0-9a-f]{4}…[0-9a-f]{4}/);
    for (const secret of [staging.clientSecret, production.clientSecret]) expect(list.stdout).not.toContain(secret);
  });

  it.each([
    [['--profile', '../etc'], 'invalid_profile'],
    [['--profile', 'example'], 'invalid_profile'],
    [['--profile', 'staging', '--env-file', 'x.env'], 'invalid_flags'],
    [['--profile', 'missing'], 'unreadable_env_file'],
  ])('%j is exit 2 (%s)', async (args, code) => {
    const result = await cli(['whoami', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error [${code}]`);
  });
});
