// Sharing through git without leaking: check-secrets (and its pre-commit hook) on realistic Postman
// exports, sanitize, and profiles end to end.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { collection as collectionFixture, PLANTS, postmanV11Export } from '../fixtures/postman-exports.js';
import { ROOT, authorizeAtMock, cliEnv, makeTempDir, runCli } from './helpers.js';

const SECRET = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2';
const TOKEN = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const CLIENT_ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
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
const commit = (message: string, env: Record<string, string> = {}) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', message], { cwd: repo, encoding: 'utf8', env: cliEnv(repo, env) });

/** The tool installed in the repository as a dependency would be: node_modules/.bin/dribbble-oauth (and husky, for husky's own init). */
async function linkTool(dir: string) {
  await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
  await symlink(join(ROOT, 'dist', 'cli.js'), join(dir, 'node_modules', '.bin', 'dribbble-oauth'));
  await symlink(join(ROOT, 'node_modules', 'husky'), join(dir, 'node_modules', 'husky'));
  await symlink(join(ROOT, 'node_modules', 'husky', 'bin.js'), join(dir, 'node_modules', '.bin', 'husky'));
}

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
    expect(result.stderr).toContain('dribbble.postman_collection.json: auth.oauth2["accessToken"] = 9a8b…9a8b (a literal accessToken in the oauth2 auth (Postman\'s "Use Token" puts it there))');
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
    expect(result.stderr).toContain('other.postman_environment.json: values["note"] = AAAA…AAAA (a literal Bearer token)');
  });

  it('passes on this project\'s own committed files (the mock\'s public demo values and the examples are not secrets)', async () => {
    const result = await runCli(['check-secrets', '--all'], { cwd: ROOT, env: cliEnv(repo) });
    expect(result.code, result.stderr).toBe(0);
    // A .env holding the mock's demo secret (npm run demo) does not flag the mock's own files.
    const demo = await runCli(['check-secrets', '--all'], { cwd: ROOT, env: cliEnv(repo, { DRIBBBLE_CLIENT_SECRET: MOCK_DEMO_CLIENT.clientSecret }) });
    expect(demo.code, demo.stderr).toBe(0);
    // Elsewhere it is a finding like any other secret of yours.
    await writeFile(join(repo, 'notes.md'), `demo: ${MOCK_DEMO_CLIENT.clientSecret}\n`);
    git('add', 'notes.md');
    expect((await cli(['check-secrets'], { DRIBBBLE_CLIENT_SECRET: MOCK_DEMO_CLIENT.clientSecret })).code).toBe(2);
  });
});

describe('the pre-commit hook', () => {
  it('refuses a commit carrying a filled client_secret, naming file and key; after sanitize the commit goes through', async () => {
    await linkTool(repo);
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

describe('hooks where people put them', () => {
  const teamEnvironment = () => JSON.stringify({ ...environmentExport(), values: [{ key: 'client_id', value: CLIENT_ID, type: 'default', enabled: true }, { key: 'client_secret', value: '', type: 'secret', enabled: true }] }, null, 2);

  it('husky v9 (npx husky init): --install-hook adds the check to .husky/pre-commit; a filled environment is refused, a team environment with a 64-hex client ID passes', async () => {
    await linkTool(repo);
    await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'team', private: true, scripts: { test: 'exit 0' } }, null, 2));
    const init = spawnSync('npx', ['--no-install', 'husky', 'init'], { cwd: repo, encoding: 'utf8', env: cliEnv(repo) });
    expect(init.status, init.stderr).toBe(0);
    expect(git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    const install = await cli(['check-secrets', '--install-hook']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('.husky/pre-commit');
    const hook = await readFile(join(repo, '.husky', 'pre-commit'), 'utf8');
    expect(hook).toMatch(/^npm test\n/); // husky's own line is kept
    expect(hook).not.toContain(ROOT);
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', 'team.postman_environment.json');
    const refused = commit('filled');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('team.postman_environment.json: values["client_secret"]');
    await writeFile(join(repo, 'team.postman_environment.json'), teamEnvironment());
    git('add', 'team.postman_environment.json');
    const accepted = commit('team env');
    expect(accepted.status, accepted.stderr).toBe(0);
  });

  it('a tracked core.hooksPath folder gets a hook with relative commands only (no machine paths)', async () => {
    await linkTool(repo);
    git('config', 'core.hooksPath', '.githooks');
    const install = await cli(['check-secrets', '--install-hook']);
    expect(install.code, install.stderr).toBe(0);
    const hook = await readFile(join(repo, '.githooks', 'pre-commit'), 'utf8');
    expect(hook).not.toContain(ROOT);
    expect(hook).not.toContain(process.execPath);
    expect(hook).not.toContain(repo);
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', '.githooks', 'team.postman_environment.json');
    expect(commit('filled').status).not.toBe(0);
  });

  it('fails closed when it cannot run (no node_modules), saying how to fix it and that --no-verify is the bypass', async () => {
    await linkTool(repo);
    expect((await cli(['check-secrets', '--install-hook'])).code).toBe(0);
    await rm(join(repo, 'node_modules'), { recursive: true });
    await writeFile(join(repo, 'notes.md'), 'hello\n');
    git('add', 'notes.md');
    const refused = commit('notes');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('npm install');
    expect(refused.stderr).toContain('--no-verify');
  });
  it('in this project\'s own clone, a build without node_modules fails closed too', async () => {
    await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'dribbble-oauth' }, null, 2));
    await mkdir(join(repo, 'dist'));
    await symlink(join(ROOT, 'dist', 'cli.js'), join(repo, 'dist', 'cli.js'));
    expect((await cli(['check-secrets', '--install-hook'])).code).toBe(0);
    await writeFile(join(repo, 'notes.md'), 'hello\n');
    git('add', 'notes.md');
    const refused = commit('notes');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('check-secrets cannot run');
  });
});

describe('what a commit adds', () => {
  it('an old finding already in HEAD is a warning for an unrelated commit, not a block; --all still fails; an allow-list fingerprint accepts it', async () => {
    await writeFile(join(repo, 'old.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', '.');
    git('commit', '-qm', 'old leak', '--no-verify');
    await writeFile(join(repo, 'notes.md'), 'unrelated\n');
    git('add', 'notes.md');
    const staged = await cli(['check-secrets']);
    expect(staged.code, staged.stderr).toBe(0);
    expect(staged.stdout).toContain('Warning: 2 findings already committed');
    const all = await cli(['check-secrets', '--all']);
    expect(all.code).toBe(2);
    const fingerprints = [...all.stderr.matchAll(/\[(old\.postman_environment\.json:[^\]]+)\]/g)].map((m) => m[1]);
    expect(fingerprints).toHaveLength(2);
    await writeFile(join(repo, '.secretsignore'), `# accepted: a test fixture\n${fingerprints.join('\n')}\n`);
    expect((await cli(['check-secrets', '--all'])).code).toBe(0);
  });

  it('a new secret in a file HEAD already has is refused', async () => {
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify({ ...environmentExport(), values: [] }, null, 2));
    git('add', '.');
    git('commit', '-qm', 'clean');
    await writeFile(join(repo, 'team.postman_environment.json'), JSON.stringify(environmentExport(), null, 2));
    git('add', '.');
    expect((await cli(['check-secrets'])).code).toBe(2);
  });

  it('a staged 6 MB .env is refused, not skipped (F7); a tracked .env.staging is reported (N01)', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n${'#'.repeat(6 * 1024 * 1024)}\n`);
    await writeFile(join(repo, '.env.staging'), '');
    git('add', '-f', '.env', '.env.staging');
    const result = await cli(['check-secrets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  .env: the whole file (an env file is tracked');
    expect(result.stderr).toContain('  .env.staging: the whole file (an env file is tracked');
  });

  it('secrets given only in the process environment, as in CI, are looked for (N02); every profile\'s too', async () => {
    await writeFile(join(repo, 'notes.md'), `token ${TOKEN}; prod ${'prod-secret-0123456789'}\n`);
    git('add', 'notes.md');
    const result = await cli(['check-secrets'], { DRIBBBLE_ACCESS_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('notes.md: DRIBBBLE_ACCESS_TOKEN = 9a8b…9a8b');
    await writeFile(join(repo, '.env.prod'), 'DRIBBBLE_CLIENT_SECRET=prod-secret-0123456789\n');
    expect((await cli(['check-secrets'])).stderr).toContain('notes.md: DRIBBBLE_CLIENT_SECRET');
  });

  it('a staged file name holding a newline cannot forge a line of the output (F13)', async () => {
    await writeFile(join(repo, '.env'), `DRIBBBLE_CLIENT_SECRET=${SECRET}\n`);
    await writeFile(join(repo, 'a\n  forged.md: nothing here'), SECRET);
    git('add', '.');
    const result = await cli(['check-secrets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  a\\n  forged.md: nothing here: DRIBBBLE_CLIENT_SECRET');
    expect(result.stderr.split('\n').some((line) => line.startsWith('  forged.md'))).toBe(false);
  });

  it('hostile Postman JSON gives findings or exit 2 naming the file, never exit 1 (F8); a UTF-16 environment is scanned (F7)', async () => {
    await writeFile(join(repo, 'a.postman_environment.json'), '{"name":"t","values":[null]}');
    await writeFile(join(repo, 'b.postman_collection.json'), '{"info":{},"item":[null]}');
    await writeFile(join(repo, 'c.postman_collection.json'), `{"info":{},"item":${'[{"item":'.repeat(20_000)}[]${'}]'.repeat(20_000)}}`);
    git('add', '.');
    const hostile = await cli(['check-secrets']);
    expect(hostile.code, hostile.stderr).toBe(2);
    expect(hostile.stderr).toContain('c.postman_collection.json: the whole file (cannot be scanned as a Postman or Newman file: it nests deeper than');
    const sanitized = await cli(['sanitize', 'c.postman_collection.json']);
    expect(sanitized.code).toBe(2);
    expect(sanitized.stderr).toContain('c.postman_collection.json cannot be sanitized');
    expect((await cli(['sanitize', 'a.postman_environment.json', 'b.postman_collection.json'])).code).toBe(0);

    git('rm', '-q', '--cached', 'c.postman_collection.json');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(environmentExport(), null, 2), 'utf16le')]);
    await writeFile(join(repo, 'ps.postman_environment.json'), utf16);
    git('add', 'ps.postman_environment.json');
    const found = await cli(['check-secrets']);
    expect(found.stderr).toContain('ps.postman_environment.json: values["client_secret"]');
  });
});

describe('the twelve planted secrets, through the built CLI', () => {
  it('check-secrets finds each; after sanitize, check-secrets --all and sanitize --check both pass; a second sanitize changes no byte', async () => {
    const planted = collectionFixture();
    for (const [, plant] of PLANTS) plant(planted);
    const file = join(repo, 'team.postman_collection.json');
    await writeFile(file, postmanV11Export(planted));
    git('add', '.');
    const found = await cli(['check-secrets']);
    expect(found.code).toBe(2);
    expect(Number(/(\d+) secrets in what this commit adds/.exec(found.stderr)?.[1])).toBeGreaterThanOrEqual(12);
    expect(found.stderr).not.toContain(SECRET);
    expect(found.stderr).not.toContain(TOKEN);
    expect((await cli(['sanitize', '--check', file])).code).toBe(2);
    expect((await cli(['sanitize', file])).code).toBe(0);
    git('add', '.');
    const all = await cli(['check-secrets', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect((await cli(['sanitize', '--check', file])).code).toBe(0);
    const once = await readFile(file);
    await cli(['sanitize', file]);
    expect((await readFile(file)).equals(once)).toBe(true);
  });
});

describe('Newman reports and CI', () => {
  it('a plain -r json report, staged with no .env present, is flagged; sanitize makes it pass check-secrets --all and sanitize --check', async () => {
    const report = {
      collection: { info: { name: 'Dribbble OAuth' }, item: [] },
      environment: { name: 'Dribbble', values: [{ key: 'client_secret', value: SECRET, type: 'secret', enabled: true }] },
      run: { executions: [{ request: { method: 'GET', header: [{ key: 'Authorization', value: `Bearer ${TOKEN}` }], url: { path: ['v2', 'user'] } }, response: { code: 200, stream: { type: 'Buffer', data: [...Buffer.from(`{"access_token":"${TOKEN}"}`)] } } }] },
    };
    await mkdir(join(repo, 'newman'));
    await writeFile(join(repo, 'newman', 'run.json'), JSON.stringify(report, null, 2));
    git('add', '-f', 'newman/run.json');
    const flagged = await cli(['check-secrets']);
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toContain('newman/run.json: environment.values["client_secret"]');
    expect(flagged.stderr).toContain('newman/run.json: run.executions[0].request.header["Authorization"]');
    expect((await cli(['sanitize', '--check', 'newman/run.json'])).code).toBe(2);
    expect((await cli(['sanitize', 'newman/run.json'])).code).toBe(0);
    git('add', '-f', 'newman/run.json');
    expect((await cli(['check-secrets', '--all'])).code).toBe(0);
    expect((await cli(['sanitize', '--check', 'newman/run.json'])).code).toBe(0);
    expect(await readFile(join(repo, 'newman', 'run.json'), 'utf8')).not.toContain(TOKEN);
  });

  it('this repository ignores newman/ and the README\'s CI recipe is what .ci/run runs', async () => {
    expect(spawnSync('git', ['check-ignore', 'newman/x.json'], { cwd: ROOT }).status).toBe(0);
    const ci = await readFile(join(ROOT, '.ci', 'run'), 'utf8');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(ci).toContain('npm run -s check-secrets -- --all');
    expect(readme).toContain('npm run -s check-secrets -- --all');
  });
});

describe('--export-environment', () => {
  it('refuses a path inside the work tree that git does not ignore, before anything is sent (exit 2)', async () => {
    await mkdir(join(repo, 'environments'));
    const result = await cli(['exchange', '--client-id', 'a', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', 'http://127.0.0.1:9/oauth', '--export-environment', 'environments/bea.postman_environment.json'], { DRIBBBLE_CLIENT_SECRET: SECRET, DRIBBBLE_CODE: 'a-code-0123456789' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error [unignored_secret_file]');
    expect(result.stderr).toContain('.gitignore');
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
    expect(result.stderr).toContain('is not a Postman or Newman file');
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

  it('profiles never lists .env.example (N14), and checks --profile like every command (F13)', async () => {
    await writeFile(join(repo, '.env.example'), 'DRIBBBLE_CLIENT_ID=\n');
    await writeFile(join(repo, '.env.qa'), 'DRIBBBLE_CLIENT_ID=qa-app\n');
    const list = await cli(['profiles']);
    expect(list.stdout).toContain('qa  (.env.qa)');
    expect(list.stdout).not.toContain('example');
    const bad = await cli(['profiles', '--profile', '../../etc/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error [invalid_profile]');
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
